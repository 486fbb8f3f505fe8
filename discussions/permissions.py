"""Who may do what on a post, decided in one place, on top of the promise's PromiseAccess."""

from dataclasses import dataclass

from promises.permissions import PromiseAccess

from .models import Post


@dataclass(frozen=True)
class PostAccess:
    post: Post
    promise_access: PromiseAccess

    @property
    def user(self):
        return self.promise_access.user

    @property
    def is_author(self) -> bool:
        return self.user.is_authenticated and self.user.pk == self.post.author_id

    @property
    def can_edit(self) -> bool:
        return self.post.is_editable_by(self.user) and not self.post.is_hidden

    @property
    def can_delete(self) -> bool:
        return self.is_author or self.promise_access.is_moderator

    @property
    def can_reply(self) -> bool:
        return self.promise_access.can_post and not self.post.is_hidden

    @property
    def can_pin(self) -> bool:
        return self.promise_access.is_initiator and not self.post.is_hidden

    @property
    def can_report(self) -> bool:
        return self.user.is_authenticated and not self.is_author
