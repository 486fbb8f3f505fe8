from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onpromet.ratelimit import rate_limit

from .forms import ProfileForm


@login_required
@rate_limit("edit")
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
