from django.urls import path

from . import views

app_name = "organisations"

# Managing an organisation (organisations.views); its page is the promises app's
# (onpromet/urls.py, name "organisation"). Fixed paths first: a slug never takes them
# (services.RESERVED_SLUGS).
urlpatterns = [
    path("", views.organisation_list, name="mine"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/reglages/", views.organisation_settings, name="settings"),
    path("<slug:slug>/membres/", views.members, name="members"),
    path("<slug:slug>/membres/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/invitations/<int:pk>/annuler/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<slug:slug>/lien/reinitialiser/", views.join_link_reset, name="join_link_reset"),
    path("<slug:slug>/rejoindre/", views.join_by_domain, name="join_domain"),
    path("<slug:slug>/rejoindre/<str:token>/", views.join_link, name="join_link"),
    path("<slug:slug>/quitter/", views.leave, name="leave"),
]
