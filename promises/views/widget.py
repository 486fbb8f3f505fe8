"""The embeddable widget: a promise's sentence, its live progress and a "Je promets" link, for
an association's site or a blog to show in an <iframe>.

The only page of the site allowed in a frame (frame-ancestors *, no X-Frame-Options; 'none'
and DENY stay on every other page). It is the same for everyone, and set up to be cached by
anyone for a minute: it never reads the session (which would add Vary: Cookie, and makes no
sense inside someone else's page), sets no cookie, and renders without the request's context
(no CSRF token, no messages). So it shows what an anonymous visitor sees: a promise hidden by
the moderation is a small 404 for everyone, its initiators included, that says no more than
for a slug that never existed. A promise for an organisation's members only is shown to its
members alone (a frame on their intranet, or the preview on the promise page): for them the
session is read and the answer is private (permissions.get_shared)."""

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from onpromet.site_url import absolute

from ..permissions import get_shared

SOURCE = "widget"


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request: HttpRequest, slug: str) -> HttpResponse:
    promise, public = get_shared(request, slug)
    context = {"promise": promise, "site_url": absolute("/")}
    if promise is not None:
        context["promise_url"] = f"{absolute(promise.get_absolute_url())}?source={SOURCE}"
    # No request: no context processor runs, so nothing touches the session or the CSRF token.
    body = render_to_string("promises/widget.html", context)
    response = HttpResponse(body, status=200 if promise is not None else 404)
    reach = {"public": True} if public else {"private": True}
    patch_cache_control(response, **reach, max_age=60)
    return response
