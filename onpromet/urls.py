from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from onpromet import views
from promises.sitemaps import SITEMAPS, sitemap_index
from promises.views.browse import home
from promises.views.dashboard import dashboard
from promises.views.finder import action_finder
from promises.views.links import share_link, short_link
from promises.views.organisations import (
    organisation_detail,
    organisation_report,
    organisation_report_csv,
    organisation_report_pdf,
)
from promises.views.themes import theme_detail, theme_list

# French error pages that need no database (a 503 with Retry-After when it is down).
handler400 = "onpromet.views.bad_request"
handler500 = "onpromet.views.server_error"

admin.site.site_header = "OnPromet — modération"
admin.site.site_title = "OnPromet"

urlpatterns = [
    path("", home, name="home"),
    path("promesses/", include("promises.urls")),
    path("agir/", action_finder, name="finder"),
    path("themes/", theme_list, name="themes"),
    path("themes/<slug:slug>/", theme_detail, name="theme"),
    # For search engines: public promises, themes and pages only.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    # What is stored, why and for how long (RGPD).
    path("confidentialite/", views.privacy, name="privacy"),
    # The short links of posters and SMS, and the participants' share links.
    path("p/<str:code>/", short_link, name="short_link"),
    path("p/<str:code>/<str:token>/", share_link, name="share_link"),
    # The organisations: managing them (organisations.urls, first: its fixed paths), then each
    # one's page (the promises app: it lists promises).
    path("organisations/", include("organisations.urls")),
    path("organisations/<slug:slug>/", organisation_detail, name="organisation"),
    # Its impact report, for its admins.
    path("organisations/<slug:slug>/rapport/", organisation_report, name="organisation_report"),
    path(
        "organisations/<slug:slug>/rapport.csv",
        organisation_report_csv,
        name="organisation_report_csv",
    ),
    path(
        "organisations/<slug:slug>/rapport.pdf",
        organisation_report_pdf,
        name="organisation_report_pdf",
    ),
    path("", include("discussions.urls")),
    path("moi/", dashboard, name="dashboard"),
    path("moi/", include("accounts.urls")),
    # The former address of "Mon espace", in links and bookmarks: moved for good.
    path("mon-espace/", RedirectView.as_view(pattern_name="dashboard", permanent=True)),
    path(
        "mon-espace/profil/",
        RedirectView.as_view(pattern_name="accounts:profile", permanent=True),
    ),
    path("notifications/", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Asked for by browsers on files that are not pages, by feed readers and crawlers, whatever
    # the pages' <link rel="icon"> says. A temporary redirect: in production the file's name
    # carries its hash, which changes with the icon. Lazy: looked up at each request, once the
    # static files are collected, not when this module is imported.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.ico"))),
    # The French error pages, to look at in development (onpromet.views.error_preview).
    *(
        path(f"_erreurs/{status:d}/", views.error_preview, {"status": status})
        for status in views.ERROR_PREVIEWS
    ),
]


def media(request, path):
    # MEDIA_ROOT read at each request, not at import: tests give each test its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media)]
