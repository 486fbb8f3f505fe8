from django.urls import path

from . import views

app_name = "promises"

urlpatterns = [
    path("", views.promise_list, name="list"),
    path("nouvelle/", views.promise_create, name="create"),
    path("<slug:slug>/", views.promise_detail, name="detail"),
    path("<slug:slug>/modifier/", views.promise_edit, name="edit"),
    path("<slug:slug>/annuler/", views.promise_cancel, name="cancel"),
    path("<slug:slug>/promettre/", views.pledge, name="pledge"),
    path("<slug:slug>/retirer/", views.pledge_withdraw, name="withdraw"),
    path("<slug:slug>/abandonner/", views.pledge_abandon, name="abandon"),
    # The action: co-initiators, news, agenda, kept promises, relaunch.
    path("<slug:slug>/initiateurs/", views.initiators, name="initiators"),
    path("<slug:slug>/initiateurs/quitter/", views.initiator_leave, name="leave"),
    path("<slug:slug>/invitation/<str:invitation>/", views.invitation_accept, name="invitation"),
    path("<slug:slug>/nouvelles/", views.updates, name="updates"),
    path("<slug:slug>/agenda.ics", views.agenda, name="agenda"),
    path("<slug:slug>/promesse-tenue/", views.pledge_keep, name="keep"),
    path("<slug:slug>/relancer/", views.promise_relaunch, name="relaunch"),
    # The bilan: public once published; written and published by the initiators.
    path("<slug:slug>/bilan/", views.recap, name="recap"),
    path("<slug:slug>/bilan/ecrire/", views.recap_edit, name="recap_edit"),
    path("<slug:slug>/bilan/publier/", views.recap_publish, name="recap_publish"),
]
