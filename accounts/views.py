from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from promises.models import Pledge

from .forms import ProfileForm


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    pledges = (
        Pledge.objects.filter(user=request.user)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("promise", "promise__created_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "accounts/my_space.html",
        {
            "initiated": [p for p in pledges if p.is_initiator],
            "joined": [p for p in pledges if not p.is_initiator],
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
