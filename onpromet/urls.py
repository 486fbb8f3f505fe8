from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from promises import views as promise_views

# French error pages that need no database (a 503 with Retry-After when it is down).
handler400 = "onpromet.views.bad_request"
handler500 = "onpromet.views.server_error"

admin.site.site_header = "OnPromet — modération"
admin.site.site_title = "OnPromet"

urlpatterns = [
    path("", promise_views.home, name="home"),
    path("promesses/", include("promises.urls")),
    path("", include("discussions.urls")),
    path("moi/", include("accounts.urls")),
    # The former address of "Mon espace", in links and bookmarks: moved for good.
    path("mon-espace/", RedirectView.as_view(pattern_name="accounts:dashboard", permanent=True)),
    path(
        "mon-espace/profil/",
        RedirectView.as_view(pattern_name="accounts:profile", permanent=True),
    ),
    path("notifications/", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]


def media(request, path):
    # MEDIA_ROOT read at each request, not at import: tests give each test its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media)]
