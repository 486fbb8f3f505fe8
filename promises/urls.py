from django.urls import path

from .views import (
    alerts,
    browse,
    calendar,
    detail,
    initiators,
    lifecycle,
    news,
    pledges,
    preview,
    recap,
)
from .views import commitments as sponsors
from .views.communes import commune_suggestions
from .views.printing import flyers, poster
from .views.share import og_image, square_image
from .views.widget import widget

app_name = "promises"

urlpatterns = [
    path("", browse.promise_list, name="list"),
    path("nouvelle/", lifecycle.promise_create, name="create"),
    path("apercu/", preview.sentence_preview, name="sentence_preview"),
    path("communes/", commune_suggestions, name="communes"),
    path("alertes/", alerts.alert_create, name="alert_create"),
    path("alertes/<int:pk>/supprimer/", alerts.alert_delete, name="alert_delete"),
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
    # The pictures for social networks: the link preview, and the square one to post.
    path("<slug:slug>/image.png", og_image, name="og_image"),
    path("<slug:slug>/image-carree.png", square_image, name="square_image"),
    # The bilan: public once published; written and published by the initiators.
    path("<slug:slug>/bilan/", recap.recap, name="recap"),
    path("<slug:slug>/bilan/ecrire/", recap.recap_edit, name="recap_edit"),
    path("<slug:slug>/bilan/publier/", recap.recap_publish, name="recap_publish"),
    # The promise travels: on paper (PDF), and in other sites' frames (the only page allowed
    # in one).
    path("<slug:slug>/affiche.pdf", poster, name="poster"),
    path("<slug:slug>/flyers.pdf", flyers, name="flyers"),
    path("<slug:slug>/widget/", widget, name="widget"),
    # A sponsor's commitment: an organisation's admin proposes and withdraws it, the
    # initiators accept or refuse it (promises.commitments).
    path("<slug:slug>/engagement/", sponsors.commitment_propose, name="commitment"),
    path(
        "<slug:slug>/engagement/<int:pk>/accepter/",
        sponsors.commitment_accept,
        name="commitment_accept",
    ),
    path(
        "<slug:slug>/engagement/<int:pk>/refuser/",
        sponsors.commitment_refuse,
        name="commitment_refuse",
    ),
    path(
        "<slug:slug>/engagement/<int:pk>/retirer/",
        sponsors.commitment_withdraw,
        name="commitment_withdraw",
    ),
]
