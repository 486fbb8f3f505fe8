from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timeuntil

from onpromet.french import french_number
from promises.models import Promise

register = template.Library()

_STATE_CLASSES = {
    Promise.State.OPEN: "text-bg-primary",
    Promise.State.REACHED: "text-bg-success",
    Promise.State.FAILED: "text-bg-secondary",
    Promise.State.CANCELLED: "text-bg-light border",
    Promise.State.FINISHED: "text-bg-dark",
}


@register.filter
def count(number: int) -> str:
    return french_number(number)


@register.filter
def progress_step(percent: int) -> int:
    """The width class of a progress bar, by steps of 5 % (no inline style under our CSP)."""
    return 5 * round(percent / 5)


@register.filter
def state_class(state: str) -> str:
    return _STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def time_left(deadline) -> str:
    return timeuntil(deadline, depth=1)


@register.filter
def french(value: str) -> SafeString:
    """Escape user text but keep the apostrophe as typed ("d'aller"): in element content and in
    double-quoted attributes an apostrophe cannot end anything, so it needs no entity."""
    return mark_safe(escape(value).replace("&#x27;", "'"))  # noqa: S308  # nosec B308 B703
