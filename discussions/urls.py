from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("promesses/<slug:slug>/discussion/", views.post_create, name="post_create"),
    path(
        "promesses/<slug:slug>/discussion/<int:pk>/repondre/",
        views.comment_create,
        name="comment_create",
    ),
    path("promesses/<slug:slug>/discussion/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path(
        "promesses/<slug:slug>/discussion/<int:pk>/supprimer/",
        views.post_delete,
        name="post_delete",
    ),
    path("promesses/<slug:slug>/discussion/<int:pk>/epingler/", views.post_pin, name="post_pin"),
    path("promesses/<slug:slug>/photos/", views.gallery, name="gallery"),
    # J'ai tenu ma promesse: a word or a photo becomes a post.
    path("promesses/<slug:slug>/promesse-tenue/", views.pledge_keep, name="keep"),
    path("signaler/<str:kind>/<int:pk>/", views.report, name="report"),
]
