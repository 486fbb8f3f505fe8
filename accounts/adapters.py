import time
from types import SimpleNamespace
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from onpromet.email_html import inline_css
from onpromet.mail import email_send_later
from onpromet.site_url import absolute, site_domain

# Links that allauth's flows build from the request (request.build_absolute_uri, so from its
# Host header) and hand to send_mail without an adapter hook, and links our templates add:
# email template → context key → the URL name it must point to on the public site. The
# confirmation and reset-key links have hooks (below).
RESET_LINK = {"password_reset_url": "account_reset_password"}  # nosec B105 (a URL name)
FIXED_LINKS = {
    "account/email/unknown_account": {"signup_url": "account_signup"},
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "login_url": "account_login",
        **RESET_LINK,
    },
    # Security notices (ACCOUNT_EMAIL_NOTIFICATIONS): "not you? choose a new password".
    "account/email/email_changed": RESET_LINK,
    "account/email/email_deleted": RESET_LINK,
    "account/email/password_changed": RESET_LINK,
    "account/email/password_reset": RESET_LINK,
    "account/email/password_set": RESET_LINK,
}

LOGIN_FAILED = {"app": "allauth.account", "action": "login_failed"}


def _below_failure_limits(request, key: str) -> bool:
    """Whether the address `key` and the request's IP both have fewer recent log-in failures
    than settings allow, by reading allauth's counters only.

    allauth's own check, ratelimit.consume(dry_run=True), still takes each counter's lock and
    answers "too many" when it cannot get it within a second: 30 log-ins at once from one IP
    queued on the IP's lock for up to 1 s, and some were refused (measured on the threaded
    test server with Redis). A read needs no lock: the counter is a list that cache.set()
    replaces whole."""
    now = time.time()
    for rate in ratelimit.get_rates(**LOGIN_FAILED):
        cache_key = ratelimit.get_cache_key(request, **LOGIN_FAILED, rate=rate, key=key)
        allowed, _ = ratelimit.apply_rate(cache.get(cache_key, []), now, rate, dry_run=True)
        if not allowed:
            return False
    return True


class AccountAdapter(DefaultAccountAdapter):
    """Account emails from SITE_URL and sent by a worker; only failed log-ins count against
    the limits. What a pledge adds to sign-up (the promise named in the confirmation email,
    the landing on it) is promises.adapters.PledgeAccountAdapter, settings' ACCOUNT_ADAPTER."""

    # --- Emails: every link and the site's name come from settings.SITE_URL -----------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (confirmation, password reset…) are rendered here and sent by a
        worker: a request never waits on the SMTP server."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            # allauth's templates name the site with current_site.domain; without the sites
            # framework that would be a RequestSite, i.e. the Host header the client sent.
            "current_site": SimpleNamespace(name="OnPromet", domain=site_domain()),
            # The layout's links (email/base.html), as in the outbox's emails.
            "site_url": settings.SITE_URL,
            # The greeting names `user` when allauth passes the account's holder; otherwise the
            # auth context processor would put the logged-in visitor there, and a reset asked
            # for someone else's address would greet that address with the visitor's name.
            "user": None,
            **context,
            **{
                key: absolute(reverse(url_name))
                for key, url_name in FIXED_LINKS.get(template_prefix, {}).items()
            },
        }
        email_send_later(message=self.render_mail(template_prefix, email, context))

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's email (every account email has a text part, so the HTML is an
        alternative), its CSS inlined as in the outbox's emails."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.alternatives = [
            alternative._replace(content=inline_css(alternative.content))
            if alternative.mimetype == "text/html"
            else alternative
            for alternative in message.alternatives
        ]
        return message

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # As allauth does: the key is opaque ("<uidb36>-<token>") and goes into the URL whole.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute(path.replace("UID-KEY", quote(key)))

    # --- Log-in limits: only failures count ------------------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of the per-address failure count (and of its reset after a new password).

        allauth prefixes the address with get_current_site(request).domain, which without the
        sites framework is the Host header: a client changing the port it sends
        (`Host: 127.0.0.1:1`, `:2`…, all allowed) would get a fresh count for every attempt."""
        return credentials.get("email", credentials.get("username", "")).lower()

    def pre_authenticate(self, request, **credentials) -> None:
        """Refuse while the address or the IP has too many recent failures, without counting
        this attempt: it is counted in authentication_failed, once we know it failed.

        allauth counts every attempt here and takes the hit back once the password proves
        right, so N correct log-ins in flight at once from one IP (an office, a school, a
        phone network behind NAT) hold N hits together, and beyond the per-IP limit correct
        passwords were refused. The price: attempts in flight at once are all checked before
        any of them is counted, so a burst may try a few more passwords than the limit."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        if not _below_failure_limits(request, key):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials) -> None:
        """Count the failure, under allauth's lock, so that failures at the same moment are all
        counted (one that cannot have the lock within 1 s goes uncounted, as in allauth)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.consume(request, **LOGIN_FAILED, key=key)
