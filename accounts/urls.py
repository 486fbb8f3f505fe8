from django.urls import path

from . import views

app_name = "accounts"

# Under /moi/, beside the dashboard (promises.views.dashboard, mounted by onpromet/urls.py).
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("donnees/", views.data, name="data"),
    path("donnees/<str:token>/", views.data_download, name="data_download"),
    path("supprimer/", views.account_delete, name="delete"),
]
