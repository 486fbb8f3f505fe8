"""An organisation's page (/organisations/<slug>/): who it is, its public promises for everyone
and its internal ones for its members (Promise.objects.visible_to decides), its figures over
what the visitor may see; and, for its admins, the impact report (rapport/, rapport.csv,
rapport.pdf) over a period they choose (promises/impact.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from onpromet.pagecache import page_number
from onpromet.site_url import absolute
from organisations.access import OrganisationAccess
from organisations.models import Organisation

from .. import selectors
from ..figures import promises_totals
from ..impact import PeriodForm, impact_report, report_chart, report_csv
from ..models import Promise
from ..report_pdf import report_pdf
from .browse import PROMISES_PER_PAGE

# The query parameters of the two paginated lists.
PUBLIC_PAGE, INTERNAL_PAGE = "page", "internes"


def organisation_access(request: HttpRequest, slug: str) -> OrganisationAccess:
    """The organisation if this visitor may see its page: 404 once deactivated; hidden by the
    moderation, only for its members and the moderators (with a notice)."""
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    access = OrganisationAccess.of(organisation, request.user)
    if organisation.is_hidden and not (access.is_member or request.user.is_staff):
        raise Http404("Pas d'organisation à cette adresse.")
    return access


def _page(promises, request: HttpRequest, param: str):
    ordered = promises.order_by("-created_at", "-pk").only("pk", "version")
    return Paginator(ordered, PROMISES_PER_PAGE).get_page(page_number(request, param))


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = organisation_access(request, slug)
    organisation = access.organisation
    visible = Promise.objects.visible_to(request.user).listed().filter(organisation=organisation)
    public = _page(visible.filter(visibility=Promise.Visibility.PUBLIC), request, PUBLIC_PAGE)
    internal = None
    if access.is_member:
        internal = _page(
            visible.filter(visibility=Promise.Visibility.MEMBERS), request, INTERNAL_PAGE
        )
    public.object_list, internal_cards = selectors.cards(
        list(public.object_list), list(internal.object_list) if internal else []
    )
    if internal:
        internal.object_list = internal_cards
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "access": access,
            "public": public,
            "internal": internal,
            # Each list's pagination keeps the other's page.
            "public_query": f"{INTERNAL_PAGE}={internal.number}" if internal else "",
            "internal_query": f"{PUBLIC_PAGE}={public.number}",
            "totals": promises_totals(visible),
        },
    )


# --- The impact report ----------------------------------------------------------------------


def _report_access(request: HttpRequest, slug: str) -> OrganisationAccess:
    """Its admins only: anyone else logged in gets a 403 (the organisation's page is public,
    its report is not), moderators included (they moderate in the admin)."""
    access = organisation_access(request, slug)
    if not access.can_manage:
        raise PermissionDenied("Seuls les administrateurs de l'organisation voient son rapport.")
    return access


@login_required
def organisation_report(request: HttpRequest, slug: str) -> HttpResponse:
    access = _report_access(request, slug)
    form = PeriodForm.from_query(request.GET)
    context = {"organisation": access.organisation, "access": access, "form": form}
    if form.is_valid():
        report = impact_report(
            organisation=access.organisation,
            user=request.user,
            start=form.cleaned_data["du"],
            end=form.cleaned_data["au"],
        )
        context.update(report=report, chart=report_chart(report), query=form.query)
    return render(request, "organisations/report.html", context)


def _report_or_400(request: HttpRequest, slug: str):
    access = _report_access(request, slug)
    form = PeriodForm.from_query(request.GET)
    if not form.is_valid():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        return None, HttpResponse(
            f"Période invalide : {errors}", status=400, content_type="text/plain; charset=utf-8"
        )
    report = impact_report(
        organisation=access.organisation,
        user=request.user,
        start=form.cleaned_data["du"],
        end=form.cleaned_data["au"],
    )
    return report, None


@login_required
def organisation_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    report, refusal = _report_or_400(request, slug)
    if refusal:
        return refusal
    response = HttpResponse(
        report_csv(report, site=absolute("")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{report.filename("csv")}"'
    return response


@login_required
def organisation_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    report, refusal = _report_or_400(request, slug)
    if refusal:
        return refusal
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename("pdf")}"'
    return response
