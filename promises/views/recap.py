"""The bilan (recap): public once published; written and published by the initiators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit

from .. import services
from ..figures import promise_figures
from ..forms import RecapForm
from ..permissions import PromiseAccess, get_access


def _recap_access(request: HttpRequest, slug: str) -> PromiseAccess:
    """The bilan exists for everyone once published; before, only for its initiators (a
    draft, or the invitation to write it): anyone else gets a 404, as if there were none."""
    access = get_access(request, slug)
    if not access.can_see_recap:
        raise Http404("Pas de bilan publié pour cette promesse.")
    return access


def recap(request: HttpRequest, slug: str) -> HttpResponse:
    access = _recap_access(request, slug)
    figures = promise_figures(access.promise)
    return render(
        request,
        "promises/recap.html",
        {"promise": access.promise, "access": access, "recap": access.recap, "figures": figures},
    )


@login_required
@rate_limit("edit")
def recap_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="is_initiator")
    promise = access.promise
    if not access.can_write_recap:
        messages.error(request, services.recap_write_refusal(promise=promise))
        return redirect(promise)
    initial = {"text": access.recap.text} if access.recap else None
    form = RecapForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recap_save(promise=promise, author=request.user, **form.cleaned_data)
        except Refusal as error:
            messages.error(request, str(error))
            return redirect(promise)
        if access.recap and access.recap.is_published:
            messages.success(request, "Le bilan est corrigé.")
        else:
            messages.success(
                request, "Le bilan est enregistré. Relisez-le, puis publiez-le quand il est prêt."
            )
        return redirect("promises:recap", slug=promise.slug)
    return render(
        request, "promises/recap_form.html", {"promise": promise, "form": form, "access": access}
    )


@login_required
def recap_publish(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="is_initiator")
    promise = access.promise
    if request.method == "POST":
        try:
            services.recap_publish(promise=promise)
        except Refusal as error:
            messages.error(request, str(error))
            return redirect(_recap_or_promise(access), slug=slug)
        messages.success(
            request,
            "Le bilan est publié : la promesse est terminée, et chaque participant le reçoit "
            "par e-mail.",
        )
        return redirect("promises:recap", slug=promise.slug)
    if not access.can_publish_recap:
        messages.error(request, services.recap_publish_refusal(promise=promise, recap=access.recap))
        return redirect(_recap_or_promise(access), slug=slug)
    return render(
        request, "promises/confirm_recap_publish.html", {"promise": promise, "access": access}
    )


def _recap_or_promise(access: PromiseAccess) -> str:
    """Where a refused publication leads back: the bilan, if this visitor may see it."""
    return "promises:recap" if access.can_see_recap else "promises:detail"
