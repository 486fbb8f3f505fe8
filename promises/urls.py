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
]
