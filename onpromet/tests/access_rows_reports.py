"""The access matrix's rows for an organisation's page and its impact report (run by
test_gate_access.py): the page is public; hidden by the moderation, for its members and the
moderators only; deactivated, for nobody. The report, its CSV and its PDF are its admins'
(anyone else logged in: 403, moderators included)."""

from collections.abc import Callable

from django.urls import reverse

from onpromet.tests.access import (
    FORBIDDEN,
    LOGIN,
    MEMBERS_AND_ANONYMOUS,
    NOT_FOUND,
    OK,
    Row,
    World,
    _cells,
)
from organisations.models import Organisation
from organisations.services import organisation_set_hidden

ORG_ADMIN_ONLY = _cells(anonymous=LOGIN, others=FORBIDDEN, org_admin=OK)
NOBODY = _cells(anonymous=NOT_FOUND, others=NOT_FOUND)
MEMBERS_AND_MODERATORS = _cells(
    anonymous=NOT_FOUND,
    others=NOT_FOUND,
    member=OK,
    animateur=OK,
    org_admin=OK,
    moderator=OK,
    superuser=OK,
)
# Hidden, the organisation is not found but by its members and the moderators.
HIDDEN_REPORT = _cells(
    anonymous=LOGIN,
    others=NOT_FOUND,
    member=FORBIDDEN,
    animateur=FORBIDDEN,
    org_admin=OK,
    moderator=FORBIDDEN,
    superuser=FORBIDDEN,
)
REPORTS = ("organisation_report", "organisation_report_csv", "organisation_report_pdf")


def _url(name: str, prepare: Callable[[World], None] = lambda w: None) -> Callable[[World], str]:
    def url(w: World) -> str:
        prepare(w)  # before stored() is read
        return reverse(name, args=[w.org.slug])

    return url


def _deactivated(w: World) -> None:
    Organisation.objects.filter(pk=w.org.pk).update(is_active=False)


def _hidden(w: World) -> None:
    organisation_set_hidden(organisation=w.org, hidden=True)


ROWS = [
    Row("organisation page", "GET", _url("organisation"), MEMBERS_AND_ANONYMOUS),
    Row("hidden organisation page", "GET", _url("organisation", _hidden), MEMBERS_AND_MODERATORS),
    Row("deactivated organisation page", "GET", _url("organisation", _deactivated), NOBODY),
    *(Row(name.replace("_", " "), "GET", _url(name), ORG_ADMIN_ONLY) for name in REPORTS),
    *(
        Row(
            f"{name.replace('_', ' ')} of a hidden organisation",
            "GET",
            _url(name, _hidden),
            HIDDEN_REPORT,
        )
        for name in REPORTS
    ),
    *(
        Row(
            f"{name.replace('_', ' ')} of a deactivated organisation",
            "GET",
            _url(name, _deactivated),
            _cells(anonymous=LOGIN, others=NOT_FOUND),
        )
        for name in REPORTS
    ),
]
