import contextlib

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit

from . import deletion, export
from .forms import AccountDeleteForm, ProfileForm
from .models import DataExport


@login_required
@rate_limit("edit")
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def data(request: HttpRequest) -> HttpResponse:
    """/moi/donnees/: what the archive holds, the state of the last request, the button."""
    if request.method == "POST":
        try:
            export.data_export_request(user=request.user)
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Votre archive est en préparation : nous vous enverrons un e-mail dès "
                "qu'elle sera prête, en général en quelques minutes.",
            )
        return redirect("accounts:data")
    return render(
        request,
        "accounts/data.html",
        {
            "latest": export.data_export_latest(user=request.user),
            "refusal": export.data_export_refusal(user=request.user),
            "validity_days": DataExport.VALIDITY.days,
        },
    )


@login_required
@never_cache
def data_download(request: HttpRequest, token: str) -> HttpResponse:
    """The archive, for its owner only, while it lasts; anyone else gets a 404, as for a link
    that does not exist."""
    data_export = get_object_or_404(DataExport, token=token, user=request.user)
    if not data_export.is_ready:
        raise Http404
    if data_export.is_expired or not data_export.file:
        return render(request, "accounts/data_expired.html", status=410)
    try:
        opened = data_export.file.open("rb")
    except FileNotFoundError:
        return render(request, "accounts/data_expired.html", status=410)
    filename = f"onpromet-donnees-{timezone.localdate(data_export.ready_at):%Y-%m-%d}.zip"
    response = FileResponse(opened, as_attachment=True, filename=filename)
    response["Content-Type"] = "application/zip"
    return response


@login_required
@rate_limit("edit")  # each try is a password guess: counted, right or wrong
def account_delete(request: HttpRequest) -> HttpResponse:
    """Supprimer mon compte: what happens, then the password; the account is deleted at once
    (accounts.deletion) and the visitor logged out."""
    form = AccountDeleteForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Refused only when deleted meanwhile (a second tab, a moderator): gone all the same.
        with contextlib.suppress(Refusal):
            deletion.account_delete(user=request.user)
        logout(request)
        # After the log-out, which starts a new session: the message is kept in that one.
        messages.success(request, "Votre compte est supprimé.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
