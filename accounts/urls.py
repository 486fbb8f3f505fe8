from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_space, name="my_space"),
    path("profil/", views.profile, name="profile"),
]
