"""Nouvelles: the initiators' news."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onpromet.ratelimit import rate_limit

from .. import selectors, services
from ..forms import UpdateForm
from ..permissions import get_access

UPDATES_PER_PAGE = 20


@rate_limit("post")
def updates(request: HttpRequest, slug: str) -> HttpResponse:
    """Nouvelles: every update of the promise; the form for its initiators."""
    access = get_access(request, slug)
    promise = access.promise
    form = UpdateForm() if access.can_post_update else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.can_post_update:
            raise PermissionDenied
        form = UpdateForm(request.POST, request.FILES)
        if form.is_valid():
            update = services.update_create(
                promise=promise,
                author=request.user,
                text=form.cleaned_data["text"],
                photo=form.cleaned_data["photo"],
            )
            if update.emailed:
                messages.success(
                    request, "Votre nouvelle est publiée et envoyée par e-mail aux participants."
                )
            else:
                messages.success(
                    request,
                    "Votre nouvelle est publiée sur la page. Elle n'est pas envoyée par e-mail : "
                    "une nouvelle l'a déjà été aujourd'hui.",
                )
            return redirect("promises:updates", slug=promise.slug)
    page = Paginator(selectors.promise_updates(promise), UPDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "promises/updates.html",
        {
            "promise": promise,
            "access": access,
            "form": form,
            "page": page,
            "emailed_today": form is not None and services.update_emailed_today(promise=promise),
        },
    )
