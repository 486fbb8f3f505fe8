from django.urls import path

from .views import browse, calendar, detail, initiators, lifecycle, news, pledges, preview, recap

app_name = "promises"

urlpatterns = [
    path("", browse.promise_list, name="list"),
    path("nouvelle/", lifecycle.promise_create, name="create"),
    path("apercu/", preview.sentence_preview, name="sentence_preview"),
    path("<slug:slug>/", detail.promise_detail, name="detail"),
    path("<slug:slug>/modifier/", lifecycle.promise_edit, name="edit"),
    path("<slug:slug>/annuler/", lifecycle.promise_cancel, name="cancel"),
    path("<slug:slug>/relancer/", lifecycle.promise_relaunch, name="relaunch"),
    path("<slug:slug>/promettre/", pledges.pledge, name="pledge"),
    path("<slug:slug>/retirer/", pledges.pledge_withdraw, name="withdraw"),
    path("<slug:slug>/abandonner/", pledges.pledge_abandon, name="abandon"),
    path("<slug:slug>/initiateurs/", initiators.initiators, name="initiators"),
    path("<slug:slug>/initiateurs/quitter/", initiators.initiator_leave, name="leave"),
    path(
        "<slug:slug>/invitation/<str:invitation>/",
        initiators.invitation_accept,
        name="invitation",
    ),
    path("<slug:slug>/nouvelles/", news.updates, name="updates"),
    path("<slug:slug>/agenda.ics", calendar.agenda, name="agenda"),
    # The bilan: public once published; written and published by the initiators.
    path("<slug:slug>/bilan/", recap.recap, name="recap"),
    path("<slug:slug>/bilan/ecrire/", recap.recap_edit, name="recap_edit"),
    path("<slug:slug>/bilan/publier/", recap.recap_publish, name="recap_publish"),
]
