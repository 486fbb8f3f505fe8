from django import template
from django.core.paginator import Paginator

from discussions.forms import PostForm
from discussions.permissions import PostAccess
from onpromet.pagecache import page_number

register = template.Library()

POSTS_PER_PAGE = 20


@register.filter
def masked_for(content, user) -> bool:
    """{% if post|masked_for:user %}: hidden content, for someone who may not read it."""
    return content.is_masked_for(user)


@register.inclusion_tag("discussions/_discussion.html", takes_context=True)
def discussion(context, access):
    """{% discussion access %} on a promise page: its posts (pinned first, then newest),
    paginated with ?discussion=N, in a constant number of queries."""
    request = context["request"]
    page = Paginator(access.promise.posts.for_page(), POSTS_PER_PAGE).get_page(
        page_number(request, "discussion")  # as the page's cache key reads it
    )
    page.object_list = [PostAccess(post=post, promise_access=access) for post in page]
    return {
        "request": request,
        "user": context["user"],
        "csrf_token": context.get("csrf_token"),
        "promise": access.promise,
        "access": access,
        "posts": page,
        "post_form": PostForm(),
    }
