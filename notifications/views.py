from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from . import kinds, services
from .emails import read_unsubscribe_token
from .forms import PreferencesForm


# The token in the URL is the credential: mail clients POST here without a session or a CSRF
# token (RFC 8058 one-click unsubscribe). A GET only shows a confirmation page, so that link
# scanners do not unsubscribe anybody.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, topics = read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id)
        # A digest's header names every topic it gathers, separated by commas.
        chosen = [kinds.topic(key) for key in topics.split(",")]
    except (signing.BadSignature, ValueError, LookupError, get_user_model().DoesNotExist):
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    done = request.method == "POST"
    if done:
        for topic in chosen:
            services.topic_set(user=user, topic=topic.key, cadence=kinds.Cadence.NEVER)
    labels = [topic.label for topic in chosen]
    return render(request, "notifications/unsubscribe.html", {"topic_labels": labels, "done": done})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        cadences=services.topic_cadences(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.topics_set(user=request.user, cadences=form.cleaned_data)
        messages.success(request, "Vos préférences d'e-mails sont enregistrées.")
        return redirect("notifications:preferences")
    # Under a topic, what its app shows there (the search alerts list themselves).
    panels = {
        topic.key: {"template": topic.panel, **topic.panel_context(request.user)}
        for topic in kinds.topics()
        if topic.panel
    }
    return render(request, "notifications/preferences.html", {"form": form, "panels": panels})
