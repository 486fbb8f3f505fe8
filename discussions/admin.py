"""Moderation: posts, replies and reports. Every change goes through discussions.services."""

from django.contrib import admin, messages
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, OuterRef, Subquery
from django.utils.html import format_html
from django.utils.text import Truncator

from organisations.models import Organisation
from promises.models import Promise

from . import services
from .models import Comment, Post, Report


class ModeratedAdmin(admin.ModelAdmin):
    actions = ("hide", "unhide")
    list_filter = ("is_hidden", "created_at")
    list_select_related = ("author",)
    readonly_fields = ("author", "created_at", "is_hidden", "hidden_at")

    @admin.display(description="texte")
    def excerpt(self, obj) -> str:
        return Truncator(obj.text).chars(80) or "(photo)"

    @admin.action(description="Masquer", permissions=["change"])
    def hide(self, request, queryset) -> None:
        for content in queryset:
            services.content_set_hidden(content=content, hidden=True)
        self.message_user(request, f"{queryset.count()} contenu(s) masqué(s).", messages.SUCCESS)

    @admin.action(description="Réafficher", permissions=["change"])
    def unhide(self, request, queryset) -> None:
        for content in queryset:
            services.content_set_hidden(content=content, hidden=False)
        self.message_user(request, f"{queryset.count()} contenu(s) réaffiché(s).", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False  # Participants write on the site.


@admin.register(Post)
class PostAdmin(ModeratedAdmin):
    list_display = ("excerpt", "author", "promise", "created_at", "is_pinned", "is_hidden")
    list_select_related = ("author", "promise")
    search_fields = ("text", "author__email", "promise__action")
    readonly_fields = (
        *ModeratedAdmin.readonly_fields,
        "promise",
        "photo",
        "thumbnail",
        "is_pinned",
    )
    fields = (
        "promise",
        "author",
        "text",
        "photo",
        "thumbnail",
        "is_pinned",
        "created_at",
        "is_hidden",
        "hidden_at",
    )


@admin.register(Comment)
class CommentAdmin(ModeratedAdmin):
    list_display = ("excerpt", "author", "post", "created_at", "is_hidden")
    list_select_related = ("author", "post__author")
    search_fields = ("text", "author__email")
    readonly_fields = (*ModeratedAdmin.readonly_fields, "post")
    fields = ("post", "author", "text", "created_at", "is_hidden", "hidden_at")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports grouped by content: sorted by content, each row showing how many people reported
    the same content; the actions apply to the reported content."""

    list_display = (
        "content_link",
        "content_type",
        "reporters",
        "reason",
        "reporter",
        "status",
        "created_at",
    )
    # The content column links to the content itself; the reason opens the report.
    list_display_links = ("reason",)
    list_filter = ("status", "content_type", "reason")
    list_select_related = ("reporter", "content_type")
    ordering = ("status", "content_type", "object_id", "-created_at")
    actions = ("hide_content", "unhide_content", "dismiss")
    readonly_fields = (
        "reporter",
        "content_type",
        "object_id",
        "reason",
        "details",
        "status",
        "created_at",
        "resolved_at",
    )

    def get_queryset(self, request):
        same_content = (
            Report.objects.filter(
                content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
            )
            .values("content_type")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(reporter_total=Subquery(same_content))
            # Each content with what its link needs: one query per kind of content.
            .prefetch_related(
                GenericPrefetch(
                    "content",
                    [
                        Post.objects.select_related("promise"),
                        Comment.objects.select_related("post__promise"),
                        Promise.objects.all(),
                        Organisation.objects.all(),
                    ],
                )
            )
        )

    @admin.display(description="signalements de ce contenu", ordering="reporter_total")
    def reporters(self, report) -> int:
        return report.reporter_total

    @admin.display(description="contenu")
    def content_link(self, report) -> str:
        content = report.content
        if content is None:
            return "(supprimé)"
        label = Truncator(getattr(content, "text", None) or str(content)).chars(60)
        return format_html('<a href="{}">{}</a>', content.get_absolute_url(), label)

    def _contents(self, queryset):
        seen = set()
        for report in queryset:
            key = (report.content_type_id, report.object_id)
            if key not in seen and report.content is not None:
                seen.add(key)
                yield report.content

    @admin.action(description="Masquer le contenu signalé", permissions=["change"])
    def hide_content(self, request, queryset) -> None:
        contents = list(self._contents(queryset))
        for content in contents:
            services.content_set_hidden(content=content, hidden=True)
        self.message_user(request, f"{len(contents)} contenu(s) masqué(s).", messages.SUCCESS)

    @admin.action(description="Réafficher le contenu signalé", permissions=["change"])
    def unhide_content(self, request, queryset) -> None:
        contents = list(self._contents(queryset))
        for content in contents:
            services.content_set_hidden(content=content, hidden=False)
            services.reports_dismiss(content=content)
        self.message_user(request, f"{len(contents)} contenu(s) réaffiché(s).", messages.SUCCESS)

    @admin.action(description="Classer sans suite", permissions=["change"])
    def dismiss(self, request, queryset) -> None:
        contents = list(self._contents(queryset))
        for content in contents:
            services.reports_dismiss(content=content)
        self.message_user(
            request, f"Signalements classés pour {len(contents)} contenu(s).", messages.SUCCESS
        )

    def has_add_permission(self, request) -> bool:
        return False
