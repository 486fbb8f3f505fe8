import datetime

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from onpromet import honeypot
from onpromet.ratelimit import rate_limit
from onpromet.site_url import absolute, site_domain

from . import forms, services
from .figures import promise_figures
from .forms import (
    AbandonForm,
    InvitationForm,
    KeepForm,
    PromiseEditForm,
    PromiseForm,
    RecapForm,
    SearchForm,
    UpdateForm,
)
from .models import Invitation, Pledge, Promise
from .permissions import PromiseAccess, get_access, get_promise

PROMISES_PER_PAGE = 12
PARTICIPANTS_PER_PAGE = 30
# The home page shows a few cards per section: enough to tempt, short on a phone.
HOME_CARDS = 3
# "Bientôt à l'objectif": at least half-way there.
HOME_CLOSE_SHARE = 0.5


def _closest_first(promises):
    ratio = Cast(F("pledge_count"), FloatField()) / Cast(F("objective"), FloatField())
    return promises.annotate(ratio=ratio).order_by("-ratio", "deadline")


def home(request: HttpRequest) -> HttpResponse:
    """Open promises close to their objective, then the newest of the others: each card once,
    in two queries whatever the number of promises."""
    open_promises = Promise.objects.listed().with_card_data().filter(state=Promise.State.OPEN)
    closest = list(
        _closest_first(open_promises).filter(
            ratio__gte=HOME_CLOSE_SHARE, pledge_count__lt=F("objective")
        )[:HOME_CARDS]
    )
    newest = list(
        open_promises.exclude(pk__in=[promise.pk for promise in closest]).order_by(
            "-created_at", "-pk"
        )[:HOME_CARDS]
    )
    return render(request, "home.html", {"closest": closest, "newest": newest})


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
        access = get_access(request, slug)
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
@rate_limit("promise", successes_only=True)
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
@rate_limit("edit")
def promise_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug)
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
    access = get_access(request, slug)
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
    promise = get_promise(request, slug)
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
    access = get_access(request, slug)
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
    access = get_access(request, slug)
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


# --- The bilan (recap) ------------------------------------------------------------------------


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
    access = get_access(request, slug)
    if not access.is_initiator:
        raise PermissionDenied
    promise = access.promise
    if not access.can_write_recap:
        messages.error(request, "Le bilan s'écrit une fois l'objectif atteint.")
        return redirect(promise)
    initial = {"text": access.recap.text} if access.recap else None
    form = RecapForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recap_save(promise=promise, author=request.user, **form.cleaned_data)
        except services.RecapError as error:
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
    access = get_access(request, slug)
    if not access.is_initiator:
        raise PermissionDenied
    promise = access.promise
    if request.method == "POST":
        try:
            services.recap_publish(promise=promise)
        except services.RecapError as error:
            messages.error(request, str(error))
            return redirect(_recap_or_promise(access), slug=slug)
        messages.success(
            request,
            "Le bilan est publié : la promesse est terminée, et chaque participant le reçoit "
            "par e-mail.",
        )
        return redirect("promises:recap", slug=promise.slug)
    if not access.can_publish_recap:
        messages.error(request, _publish_refusal(access))
        return redirect(_recap_or_promise(access), slug=slug)
    return render(
        request, "promises/confirm_recap_publish.html", {"promise": promise, "access": access}
    )


def _recap_or_promise(access: PromiseAccess) -> str:
    """Where a refused publication leads back: the bilan, if this visitor may see it."""
    return "promises:recap" if access.can_see_recap else "promises:detail"


def _publish_refusal(access: PromiseAccess) -> str:
    if access.recap and access.recap.is_published:
        return "Le bilan est déjà publié."
    if access.can_write_recap:
        return "Écrivez d'abord le bilan, puis publiez-le."
    return "Le bilan se publie une fois l'objectif atteint."


# --- The action: co-initiators, news, agenda, kept promises, relaunch -------------------------

UPDATES_PER_PAGE = 20


@login_required
@rate_limit("invite")
def initiators(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiators and pending invitations; the invitation form."""
    access = get_access(request, slug)
    if not access.can_manage_initiators:
        raise PermissionDenied
    promise = access.promise
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.can_invite:
            raise PermissionDenied
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.invitation_create(promise=promise, invited_by=request.user, email=email)
            except services.PledgeError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"Invitation envoyée à {email}.")
                return redirect("promises:initiators", slug=promise.slug)
    pledges = promise.pledges.filter(is_initiator=True, status=Pledge.Status.ACTIVE)
    return render(
        request,
        "promises/initiators.html",
        {
            "promise": promise,
            "access": access,
            "form": form,
            "initiators": pledges.select_related("user").order_by("activated_at"),
            "invitations": promise.invitations.filter(accepted_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created_at"),
        },
    )


@login_required
def initiator_leave(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug)
    if not access.is_initiator:
        raise PermissionDenied
    promise = access.promise
    if request.method == "POST":
        try:
            services.initiator_leave(promise=promise, user=request.user)
        except services.PledgeError as error:
            messages.error(request, str(error))
            return redirect("promises:initiators", slug=promise.slug)
        messages.success(request, "Vous ne menez plus cette promesse.")
        return redirect(promise)
    return render(request, "promises/confirm_leave.html", {"promise": promise, "access": access})


def _invitation_problem(access: PromiseAccess, invitation: Invitation) -> str:
    """Why this invitation cannot be accepted by this user, or ""."""
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == access.user.pk:
            return "Vous avez déjà accepté cette invitation."
        return "Cette invitation a déjà été acceptée."
    if not access.is_live:
        return "Cette promesse est close : l'invitation n'est plus valable."
    if access.is_initiator:
        return "Vous êtes déjà initiateur ou initiatrice de cette promesse."
    return ""


def invitation_accept(request: HttpRequest, slug: str, invitation: str) -> HttpResponse:
    """The link of the invitation email. The link is the credential: any logged-in member who
    holds it may accept it, once; the page says to which address it was sent."""
    promise = get_promise(request, slug)
    invitation = get_object_or_404(
        Invitation.objects.select_related("invited_by"), promise=promise, token=invitation
    )
    if not request.user.is_authenticated:
        messages.info(request, "Connectez-vous, ou créez votre compte, pour accepter l'invitation.")
        return redirect_to_login(request.get_full_path())
    access = PromiseAccess.of(promise, request.user)
    problem = _invitation_problem(access, invitation)
    if request.method == "POST":
        if problem:
            messages.error(request, problem)
            return redirect(promise)
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.PledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Bienvenue ! Vous menez maintenant cette promesse.")
        return redirect(promise)
    return render(
        request,
        "promises/invitation.html",
        {
            "promise": promise,
            "invitation": invitation,
            "problem": problem,
            "other_address": invitation.email.lower() != request.user.email.lower(),
        },
    )


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
    page = Paginator(
        promise.updates.select_related("author").order_by("-created_at", "-pk"), UPDATES_PER_PAGE
    ).get_page(request.GET.get("page"))
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


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Ajouter à mon agenda: an iCalendar file (RFC 5545) of the action, all day long, for
    anyone who can see the promise (a late joiner too). An action on one day of each week is
    one event repeated by its rule, from its first such day to the end of the period; any
    other period is one event over all its days."""
    promise = get_promise(request, slug)
    if promise.action_date is None:
        raise Http404
    url = absolute(promise.get_absolute_url())
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//OnPromet//Promesses collectives//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    # Stable across downloads: a calendar that imports the file again updates the event.
    event.add("uid", f"promesse-{promise.pk}@{site_domain()}")
    event.add("dtstamp", timezone.now())
    # All-day events end on the next day (DTEND is exclusive).
    if promise.is_weekly:
        first = promise.action_first_day
        event.add("dtstart", first)
        event.add("dtend", first + datetime.timedelta(days=1))
        # UNTIL is a date like DTSTART (RFC 5545 wants the same type), and inclusive. The
        # days in date.weekday() order, Monday first.
        byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[promise.action_weekday]
        event.add("rrule", {"freq": "weekly", "byday": byday, "until": promise.action_end_date})
    else:
        event.add("dtstart", promise.action_date)
        event.add("dtend", promise.action_last_day + datetime.timedelta(days=1))
    event.add("summary", promise.sentence)
    event.add("location", promise.city)
    event.add("url", url)
    event.add(
        "description",
        f"{promise.action_when[:1].upper()}{promise.action_when[1:]}.\n\n"
        f"{promise.description}\n\n{url}",
    )
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promesse.ics"'
    return response


@login_required
@rate_limit("post")
def pledge_keep(request: HttpRequest, slug: str) -> HttpResponse:
    """J'ai tenu ma promesse."""
    access = get_access(request, slug)
    promise = access.promise
    if access.has_kept:
        messages.info(request, "Vous avez déjà dit avoir tenu votre promesse. Merci encore !")
        return redirect(promise)
    if not access.can_keep:
        raise PermissionDenied
    form = KeepForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_keep(
                promise=promise,
                user=request.user,
                comment=form.cleaned_data["comment"],
                photo=form.cleaned_data["photo"],
            )
        except services.AlreadyKeptError as error:
            messages.info(request, str(error))
        except services.PledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Bravo, et merci ! Votre promesse tenue est comptée.")
        return redirect(promise)
    return render(request, "promises/keep.html", {"promise": promise, "form": form})


def _relaunch_initial(promise: Promise) -> dict:
    """The failed promise's terms, with dates still to come."""
    today = timezone.localdate()
    span = promise.deadline - promise.created_at
    days = min(max(span.days, 7), forms.DEADLINE_MAX_DAYS)
    deadline = today + datetime.timedelta(days=days)
    upcoming = promise.action_date and promise.action_date > deadline
    return {
        "action": promise.action,
        "objective": promise.objective,
        "deadline": deadline,
        "action_date": promise.action_date if upcoming else None,
        "action_end_date": promise.action_end_date if upcoming else None,
        "action_weekday": promise.action_weekday if upcoming else None,
        "action_schedule": promise.action_schedule,
        "description": promise.description,
        "themes": list(promise.themes.all()),
        "city": promise.city,
    }


@login_required
@rate_limit("promise", successes_only=True)
def promise_relaunch(request: HttpRequest, slug: str) -> HttpResponse:
    """Relancer: the create form, pre-filled from the failed promise."""
    access = get_access(request, slug)
    if not access.can_relaunch:
        raise PermissionDenied
    failed = access.promise
    form = PromiseForm(
        request.POST if request.method == "POST" else None, initial=_relaunch_initial(failed)
    )
    del form.fields[honeypot.HONEYPOT_NAME]  # only initiators come here: no bots to catch
    if request.method == "POST" and form.is_valid():
        try:
            relaunch = services.promise_relaunch(
                promise=failed, created_by=request.user, data=form.cleaned_data
            )
        except services.PledgeError as error:
            messages.error(request, str(error))
            return redirect(failed)
        messages.success(
            request,
            "Votre promesse est relancée. Les anciens participants sont invités par e-mail à "
            "promettre à nouveau.",
        )
        return redirect(relaunch)
    return render(request, "promises/form.html", {"form": form, "relaunch_of": failed})
