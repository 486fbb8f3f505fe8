from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from onpromet import honeypot
from onpromet.ratelimit import rate_limit

from . import services
from .forms import AbandonForm, PromiseEditForm, PromiseForm, SearchForm
from .models import Pledge, Promise
from .permissions import PromiseAccess

PROMISES_PER_PAGE = 12
PARTICIPANTS_PER_PAGE = 30
HOME_CARDS = 6


def _get_promise(request: HttpRequest, slug: str) -> Promise:
    """The promise if this visitor may see it, else 404 (the access helper of every view)."""
    promises = Promise.objects.visible_to(request.user).select_related("created_by")
    return get_object_or_404(promises, slug=slug)


def _get_access(request: HttpRequest, slug: str) -> PromiseAccess:
    return PromiseAccess.of(_get_promise(request, slug), request.user)


def _closest_first(promises):
    ratio = Cast(F("pledge_count"), FloatField()) / Cast(F("objective"), FloatField())
    return promises.annotate(ratio=ratio).order_by("-ratio", "deadline")


def home(request: HttpRequest) -> HttpResponse:
    open_promises = Promise.objects.listed().with_card_data().filter(state=Promise.State.OPEN)
    return render(
        request,
        "home.html",
        {
            "closest": _closest_first(open_promises)[:HOME_CARDS],
            "newest": open_promises.order_by("-created_at")[:HOME_CARDS],
        },
    )


def promise_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    promises = Promise.objects.listed().with_card_data()
    sort = "recentes"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            promises = promises.filter(
                Q(action__icontains=data["q"]) | Q(description__icontains=data["q"])
            )
        if data["etat"]:
            promises = promises.filter(state=data["etat"])
        if data["theme"]:
            promises = promises.filter(themes=data["theme"])
        sort = data["tri"] or sort
    if sort == "proches":
        promises = _closest_first(promises)
    elif sort == "echeance":
        promises = promises.order_by("deadline")
    else:
        promises = promises.order_by("-created_at")
    page = Paginator(promises, PROMISES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "promises/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def promise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        access = _get_access(request, slug)
    except Http404:
        if Promise.objects.filter(slug=slug, is_hidden=True).exists():
            # A shared link to a hidden promise explains why it is gone, and shows nothing else.
            return render(request, "promises/hidden.html", status=404)
        raise
    promise = access.promise
    pledges = promise.pledges.filter(status=Pledge.Status.ACTIVE).select_related("user")
    participants = Paginator(
        pledges.filter(is_initiator=False).order_by("-activated_at", "-pk"), PARTICIPANTS_PER_PAGE
    ).get_page(request.GET.get("participants"))
    return render(
        request,
        "promises/detail.html",
        {
            "promise": promise,
            "access": access,
            "initiators": list(pledges.filter(is_initiator=True).order_by("activated_at")),
            "participants": participants,
            "abandon_form": AbandonForm(),
        },
    )


@login_required
def promise_create(request: HttpRequest) -> HttpResponse:
    form = PromiseForm(request.POST if request.method == "POST" else None)
    if honeypot.caught(form):
        # A bot: told nothing useful, and nothing is created.
        messages.info(request, "Merci, votre envoi a bien été reçu.")
        return redirect("home")
    if request.method == "POST" and form.is_valid():
        promise = services.promise_create(created_by=request.user, **form.cleaned_data)
        messages.success(
            request, "Votre promesse est lancée ! Partagez-la pour la faire connaître."
        )
        return redirect(promise)
    return render(request, "promises/form.html", {"form": form})


@login_required
def promise_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_access(request, slug)
    if not access.can_edit:
        raise PermissionDenied
    promise = access.promise
    form = PromiseEditForm(
        request.POST if request.method == "POST" else None,
        instance=promise,
        terms_locked=promise.terms_locked(),
    )
    if request.method == "POST" and form.is_valid():
        services.promise_update(promise=promise, data=form.cleaned_data)
        messages.success(request, "Votre promesse est mise à jour.")
        return redirect(promise)
    return render(request, "promises/form.html", {"form": form, "promise": promise})


@login_required
def promise_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_access(request, slug)
    if not access.can_cancel:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.promise_cancel(promise=access.promise)
        except services.PledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La promesse est annulée.")
        return redirect(access.promise)
    return render(request, "promises/confirm_cancel.html", {"promise": access.promise})


@require_POST
@rate_limit("pledge")
def pledge(request: HttpRequest, slug: str) -> HttpResponse:
    promise = _get_promise(request, slug)
    if not request.user.is_authenticated:
        services.pledge_intent_store(request=request, promise=promise)
        messages.info(
            request,
            "Créez votre compte (ou connectez-vous) : votre promesse sera comptée dès que "
            "votre adresse e-mail sera confirmée.",
        )
        return redirect(
            f"{reverse('account_signup')}?{urlencode({'next': promise.get_absolute_url()})}"
        )
    try:
        pledge = services.pledge_create(promise=promise, user=request.user)
    except services.PledgeError as error:
        messages.error(request, str(error))
    else:
        if pledge.is_pending:
            messages.warning(
                request,
                "Votre promesse sera comptée dès que vous aurez confirmé votre adresse e-mail.",
            )
        else:
            messages.success(request, "Merci ! Votre promesse est comptée.")
    return redirect(promise)


@login_required
def pledge_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_access(request, slug)
    if not access.can_withdraw:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.pledge_withdraw(promise=access.promise, user=request.user)
        except services.PledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre promesse est retirée.")
        return redirect(access.promise)
    return render(request, "promises/confirm_withdraw.html", {"promise": access.promise})


@login_required
def pledge_abandon(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_access(request, slug)
    if not access.can_abandon:
        raise PermissionDenied
    form = AbandonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_abandon(
                promise=access.promise, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre abandon est enregistré. Merci de l'avoir dit.")
        return redirect(access.promise)
    return render(
        request, "promises/confirm_abandon.html", {"promise": access.promise, "form": form}
    )
