from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        from notifications import kinds
        from promises import caching
        from promises.figures import photo_proof_register

        from . import emails
        from .models import Post, wrote_in

        # The discussions' emails, in the outbox's registry.
        kinds.register(*emails.TOPICS, *emails.KINDS)

        # Posts, photos, replies and reports made, in the data export's registry.
        from accounts import export as data_export

        from . import export

        data_export.register(*export.SECTIONS)

        # What deleting an account does to posts, photos, replies and reports.
        from accounts import deletion

        from .deletion import discussions_erase

        deletion.register(deletion.Eraser("discussions", 20, erase=discussions_erase))

        # A post or reply of the visitor's own makes their promise page theirs alone: they may
        # edit or delete it, and read it even hidden.
        caching.register_personal(lambda access: wrote_in(access.promise, access.user))

        # The bilan's "a posté au moins une photo": a visible photo post in the discussion.
        photo_proof_register(
            lambda promise_id, user_id: Post.objects.with_photo().filter(
                promise_id=promise_id, author_id=user_id, is_hidden=False
            )
        )
