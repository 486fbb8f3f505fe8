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
        user_id, topic = read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id)
        label = kinds.topic(topic).label
    except (signing.BadSignature, ValueError, LookupError, get_user_model().DoesNotExist):
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    done = request.method == "POST"
    if done:
        services.topic_set(user=user, topic=topic, enabled=False)
    return render(request, "notifications/unsubscribe.html", {"topic_label": label, "done": done})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"topics": sorted(services.topics_wanted(user=request.user))},
    )
    if request.method == "POST" and form.is_valid():
        services.topics_set(user=request.user, wanted=set(form.cleaned_data["topics"]))
        messages.success(request, "Vos préférences d'e-mails sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
