"""The themes: /themes/, and each theme's page with its promises."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from onpromet.pagecache import page_number, render_cached

from .. import caching, selectors
from ..models import Promise, Theme
from .browse import PROMISES_PER_PAGE


def themes_with_counts():
    """Every theme, with how many open promises anyone may see it has (one query)."""
    open_listed = (
        Promise.objects.visible_to(AnonymousUser()).listed().filter(state=Promise.State.OPEN)
    )
    return Theme.objects.annotate(
        open_count=Count("promises", filter=Q(promises__in=open_listed.values("pk")))
    ).order_by("name")


def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "promises/themes.html", {"themes": themes_with_counts()})


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A theme's page: its words and icon, then its promises, newest first, as /promesses/
    lists them (one builder: selectors.promises_page)."""
    theme = get_object_or_404(Theme, slug=slug)
    page = selectors.promises_page(
        user=request.user,
        theme=theme,
        number=page_number(request, "page"),
        per_page=PROMISES_PER_PAGE,
    )

    def context() -> dict:
        (page.object_list,) = selectors.cards(page.object_list)
        return {
            "theme": theme,
            "page": page,
            "themes": Theme.objects.exclude(pk=theme.pk),
            "alert_fields": [("theme", theme.slug)],  # Prévenez-moi: this theme's new promises
        }

    key = (
        caching.reader(request.user),
        (theme.pk, theme.name, theme.slug, theme.icon, theme.description),
        page.number,
        page.paginator.count,
        caching.versions(page.object_list),
    )
    return render_cached(request, "promises/theme.html", key=key, context=context)
