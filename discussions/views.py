from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onpromet.errors import Refusal
from onpromet.ratelimit import rate_limit
from organisations.models import Organisation
from promises import services as promise_services
from promises.models import Promise
from promises.permissions import get_access, get_promise

from . import services
from .forms import CommentForm, KeepForm, PostEditForm, PostForm, ReportForm
from .models import Comment, Post
from .permissions import PostAccess

PHOTOS_PER_PAGE = 24


def _post_access(request: HttpRequest, slug: str, pk: int) -> PostAccess:
    access = get_access(request, slug)
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk, promise=access.promise)
    return PostAccess(post=post, promise_access=access)


def _back(post_or_promise) -> HttpResponse:
    return redirect(post_or_promise.get_absolute_url())


@login_required
@require_POST
@rate_limit("post")
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug, needs="can_post")
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        post = services.post_create(
            promise=access.promise,
            author=request.user,
            text=form.cleaned_data["text"],
            photo=form.cleaned_data["photo"],
        )
        messages.success(request, "Votre message est publié.")
        return _back(post)
    # Nothing is lost: the form comes back with its text and the reason of the refusal.
    return render(request, "discussions/post_form.html", {"promise": access.promise, "form": form})


@login_required
@require_POST
@rate_limit("post")
def comment_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post_access = _post_access(request, slug, pk)
    if not post_access.can_reply:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.comment_create(
            post=post_access.post, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, "Votre réponse est publiée.")
        return redirect(comment.get_absolute_url())
    return render(
        request,
        "discussions/comment_form.html",
        {"promise": post_access.post.promise, "post": post_access.post, "form": form},
    )


@login_required
@rate_limit("edit")
def post_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post_access = _post_access(request, slug, pk)
    post = post_access.post
    if not post_access.can_edit:
        if post_access.is_author:
            messages.error(
                request, "Un message ne peut plus être modifié 15 minutes après sa publication."
            )
            return _back(post)
        raise PermissionDenied
    form = PostEditForm(
        request.POST if request.method == "POST" else None, initial={"text": post.text}
    )
    if request.method == "POST" and form.is_valid():
        services.post_update_text(post=post, text=form.cleaned_data["text"])
        messages.success(request, "Votre message est modifié.")
        return _back(post)
    return render(request, "discussions/post_edit.html", {"post": post, "form": form})


@login_required
def post_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post_access = _post_access(request, slug, pk)
    if not post_access.can_delete:
        raise PermissionDenied
    post = post_access.post
    if request.method == "POST":
        promise = post.promise
        services.post_delete(post=post)
        messages.success(request, "Le message est supprimé.")
        return _back(promise)
    return render(request, "discussions/post_delete.html", {"post": post})


@login_required
@require_POST
def post_pin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post_access = _post_access(request, slug, pk)
    if not post_access.can_pin:
        raise PermissionDenied
    pinned = services.post_toggle_pin(post=post_access.post)
    messages.success(
        request, "Message épinglé en tête de la discussion." if pinned else "Message désépinglé."
    )
    return _back(post_access.post)


def gallery(request: HttpRequest, slug: str) -> HttpResponse:
    promise = get_promise(request, slug)
    photos = Paginator(
        promise.posts.with_photo()
        .filter(is_hidden=False, author__is_active=True)
        .select_related("author")
        .order_by("-created_at", "-pk"),
        PHOTOS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(request, "discussions/gallery.html", {"promise": promise, "photos": photos})


# Reportable content, by the word used in the URL.
_REPORTABLE = {
    "promesse": lambda request, pk: get_object_or_404(
        Promise.objects.visible_to(request.user), pk=pk
    ),
    "message": lambda request, pk: get_object_or_404(
        Post.objects.filter(promise__in=Promise.objects.visible_to(request.user)), pk=pk
    ),
    "reponse": lambda request, pk: get_object_or_404(
        Comment.objects.filter(post__promise__in=Promise.objects.visible_to(request.user)), pk=pk
    ),
    "organisation": lambda request, pk: get_object_or_404(
        Organisation.objects.filter(is_active=True, is_hidden=False), pk=pk
    ),
}


@login_required
@rate_limit("report")
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _REPORTABLE:
        raise Http404
    content = _REPORTABLE[kind](request, pk)
    if getattr(content, "author_id", None) == request.user.pk:
        raise PermissionDenied  # Nobody reports their own words.
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, content=content, **form.cleaned_data)
        except Refusal as error:
            messages.info(request, str(error))
        else:
            messages.success(request, "Merci, votre signalement est transmis à la modération.")
        return redirect(content.get_absolute_url())
    return render(
        request, "discussions/report.html", {"form": form, "content": content, "kind": kind}
    )


@login_required
@rate_limit("post")
def pledge_keep(request: HttpRequest, slug: str) -> HttpResponse:
    """J'ai tenu ma promesse."""
    access = get_access(request, slug)
    promise = access.promise
    if access.has_kept:
        messages.info(request, promise_services.ALREADY_KEPT)
        return redirect(promise)
    if not access.can_keep:
        raise PermissionDenied
    form = KeepForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_keep_and_post(
                promise=promise,
                user=request.user,
                comment=form.cleaned_data["comment"],
                photo=form.cleaned_data["photo"],
            )
        except promise_services.AlreadyKeptError as error:
            messages.info(request, str(error))
        except Refusal as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Bravo, et merci ! Votre promesse tenue est comptée.")
        return redirect(promise)
    return render(request, "discussions/keep.html", {"promise": promise, "form": form})
