"""The site's URLs plus the ceiling (bench.views.ceiling): ROOT_URLCONF of bench.settings only."""

from django.urls import path

from onpromet import urls as site

from . import views

# Error pages are looked up on the ROOT_URLCONF: the site's own.
handler400 = site.handler400
handler500 = site.handler500

urlpatterns = [path("_bench/plafond/", views.ceiling, name="bench_ceiling"), *site.urlpatterns]
