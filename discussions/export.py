"""The discussions' part of the data export (accounts.export): the person's posts with their
photos, their replies, and the reports they made. Nothing others wrote: of the replies to
their posts, a count; of the content they reported, its kind and address, not its text nor
its author; the reports about their own content are the moderators' business, not in it."""

from django.db.models import Count

from accounts.export import Part, Section, photo_added

from .models import Comment, Post, Report

# What a report is about, by the model of its content.
_REPORTED = {"post": "message", "comment": "réponse", "promise": "promesse"}


def _posts(user) -> Part:
    posts = (
        Post.objects.filter(author=user)
        .select_related("promise")
        .annotate(replies=Count("comments"))
        .order_by("created_at", "pk")
    )
    records, files = [], []
    for post in posts:
        photo = photo_added(files, post.photo, f"message-{post.pk}")
        records.append(
            {
                "promesse": post.promise.sentence,
                "adresse": post.get_absolute_url(),
                "message": post.text,
                "photo": photo,
                "publié le": post.created_at,
                "modifié le": post.edited_at,
                "épinglé": post.is_pinned,
                "masqué par la modération": post.is_hidden,
                "réponses reçues": post.replies,
            }
        )
    return Part(records, files)


def _replies(user) -> Part:
    comments = (
        Comment.objects.filter(author=user)
        .select_related("post__promise")
        .order_by("created_at", "pk")
    )
    return Part(
        [
            {
                "promesse": comment.post.promise.sentence,
                "adresse": comment.get_absolute_url(),
                "réponse": comment.text,
                "publiée le": comment.created_at,
                "masquée par la modération": comment.is_hidden,
            }
            for comment in comments
        ]
    )


def _address(report: Report) -> str:
    content = report.content
    # "" when the content was deleted since.
    return "" if content is None else content.get_absolute_url()


def _reports(user) -> Part:
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("content_type")
        .prefetch_related("content")
        .order_by("created_at", "pk")
    )
    return Part(
        [
            {
                "contenu signalé": _REPORTED.get(report.content_type.model, "contenu"),
                "adresse": _address(report),
                "raison": report.get_reason_display(),
                "précisions": report.details,
                "statut": report.get_status_display(),
                "signalé le": report.created_at,
            }
            for report in reports
        ]
    )


SECTIONS = [
    Section("posts", "Messages dans les discussions", 50, _posts),
    Section("replies", "Réponses", 60, _replies),
    Section("reports", "Signalements faits", 80, _reports),
]
