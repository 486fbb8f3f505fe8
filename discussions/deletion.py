"""What deleting an account (accounts.deletion) does to the discussions: registered as an
eraser from DiscussionsConfig.ready().

The person's posts and photos are deleted, files included, and so are the replies under
them: they answer something that no longer exists, and would read as nonsense alone. Their
own replies under other people's posts are deleted too (their words). The reports they made
are deleted, and so are the reports about the content deleted here (it is gone).

The rows go through the ORM's delete, as post_delete does (the cascades: replies, and the
broadcasts about them); the promise pages' versions move by the triggers on posts and
replies (discussions/migrations/0002), whatever deletes them. The files are deleted once the
transaction commits: account_delete's transaction may still roll back, and a storage is not
transactional (post_delete deletes them after its own, shorter, transaction).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from accounts.models import User

from .models import Comment, Post, Report


def discussions_erase(user: User) -> None:
    posts = list(Post.objects.filter(author=user).only("pk", "photo", "thumbnail"))
    files = [
        (field.storage, field.name)
        for post in posts
        for field in (post.photo, post.thumbnail)
        if field
    ]
    replies = list(
        Comment.objects.filter(Q(author=user) | Q(post__author=user)).values_list("pk", flat=True)
    )
    Report.objects.filter(
        Q(reporter=user)
        | Q(
            content_type=ContentType.objects.get_for_model(Post),
            object_id__in=[p.pk for p in posts],
        )
        | Q(content_type=ContentType.objects.get_for_model(Comment), object_id__in=replies)
    ).delete()
    Comment.objects.filter(pk__in=replies).delete()
    Post.objects.filter(pk__in=[post.pk for post in posts]).delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
