from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from promises import views as promise_views

admin.site.site_header = "OnPromet — modération"
admin.site.site_title = "OnPromet"

urlpatterns = [
    path("", promise_views.home, name="home"),
    path("promesses/", include("promises.urls")),
    path("mon-espace/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
