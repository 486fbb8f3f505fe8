"""The commune field's suggestions as one types (templates/promises/form.html): htmx fills a
<datalist> with them. Without JavaScript the form resolves what was typed on submit
(PromiseForm), so this is only a help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from onpromet.ratelimit import client_ip, hit, too_many_requests

from .. import places

# Per IP and minute: a few people typing on one network, not a scraper walking the list.
SUGGESTIONS_PER_MINUTE = 120


@require_safe
@vary_on_headers("HX-Request")
def commune_suggestions(request: HttpRequest) -> HttpResponse:
    """At most places.SUGGESTIONS communes, "Biscarrosse (40600)", escaped by the template;
    any input gets an answer (nothing for less than two letters). The field sends its own
    name (city); ?q= works too. An htmx call gets the options; a visitor who opens the
    address gets a page around them."""
    if not hit(f"communes:ip:{client_ip(request)}", SUGGESTIONS_PER_MINUTE, 60):
        return too_many_requests(request, retry_after=60)
    typed = (request.GET.get("q") or request.GET.get("city") or "")[:100]
    communes = places.suggestions(typed)
    if request.htmx:
        return render(request, "promises/_commune_suggestions.html", {"communes": communes})
    return render(request, "promises/communes.html", {"communes": communes, "typed": typed})
