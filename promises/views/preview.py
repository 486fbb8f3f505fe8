"""The live preview of a promise's sentence on the promise form (templates/promises/form.html):
htmx asks for it as the initiator types, and promises.text.sentence writes it, the function of
the promise page and of the emails, so the preview is the sentence that will be published."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .. import text
from ..models import Promise


def _objective(typed: str) -> int | None:
    """The objective as typed, or None (the sentence says "X") for what the form would refuse."""
    try:
        number = int(typed)
    except ValueError:
        return None
    return number if 1 <= number <= Promise.OBJECTIVE_MAX else None


@require_safe
@vary_on_headers("HX-Request")
def sentence_preview(request: HttpRequest) -> HttpResponse:
    """Any input gets an answer, escaped by the template. It reads no row and stores nothing, so
    it needs neither a login nor a rate limit (each keystroke would cost a query for the first
    and count against the second); the form's trigger waits for a pause in the typing.

    An htmx call gets the fragment; a visitor who opens the address gets a page around it."""
    action = text.normalise_action(request.GET.get("action", "")[: Promise.ACTION_MAX_LENGTH])
    objective = _objective(request.GET.get("objective", ""))
    sentence = text.sentence(action, objective) if action else ""
    if request.htmx:
        return render(request, "promises/_sentence_preview.html", {"sentence": sentence})
    return render(request, "promises/sentence_preview.html", {"sentence": sentence})
