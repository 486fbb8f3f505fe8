"""OnPromet settings: one module, every deployment difference an environment variable.

Defaults suit a developer's machine (local Postgres and Redis, DEBUG on). Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and the email variables; see the README.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)

# Only when DEBUG is on; production refuses to start without SECRET_KEY (below).
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
# Sessions, CSRF tokens, password-reset and unsubscribe links are signed with it: a short key
# can be guessed offline from any of them (Django's deploy check asks for 50 characters).
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters long when DEBUG is off "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# The public address of the site, used to build absolute links in emails.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    # Ours, in the order of their dependencies: each app may import those above it, never
    # those below (../shared/tools/app-imports prints the arrows).
    "onpromet",  # shared pieces (French wording, photos, rate limits, mail); no models
    "accounts",
    "notifications",  # the email outbox; the apps below register their kinds in it
    "organisations",  # associations, companies, public bodies and their members
    "promises",
    "discussions",
    "demo",  # the demo data (seed_demo), above everything it fills
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out admin log-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onpromet.urls"
WSGI_APPLICATION = "onpromet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------

DATABASE_URL = envstr("DATABASE_URL", DEFAULT_DATABASE_URL)
# Connections. `runserver` serves each browser keep-alive connection in a thread of its own: a
# connection kept after the request (CONN_MAX_AGE) would be held per thread, and twenty tabs
# would take Postgres's hundred connections. So by default each request closes its connection,
# and production processes share a bounded psycopg pool each (DATABASE_POOL_SIZE connections at
# most per process; 0 turns the pool off). See the README for how many connections that makes.
DATABASE_POOL_SIZE = envint("DATABASE_POOL_SIZE", 0 if DEBUG else 4)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=0 if DATABASE_POOL_SIZE else envint("CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…).")
if DATABASE_POOL_SIZE:
    DATABASES["default"]["OPTIONS"] = {
        # A request waits at most `timeout` seconds for a connection, then gets the 503 page:
        # short, so that an outage of Postgres answers quickly rather than holding workers.
        "pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 3},
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -------------------------------------------------------

REDIS_URL = envstr("REDIS_URL", DEFAULT_REDIS_URL)
# Rate limits and rendered pages (onpromet/pagecache.py) live in the cache, which fails open
# when Redis is down (onpromet/cache.py): log-in, sign-up and pledges keep working, and pages
# are rendered for each request. Short timeouts: a Redis that does not answer
# delays a request by half a second, then the backend leaves it alone for a few seconds.
CACHES = {
    "default": {
        "BACKEND": "onpromet.cache.FailOpenRedisCache",
        "LOCATION": envstr("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": "onpromet",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Reliability: a task is acknowledged only once done, and given back to the queue if its
# worker dies; each worker process reserves one task at a time. Time limits stay far below the
# Redis visibility timeout, so a running task is never handed to a second worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work: one static schedule (no database scheduler needed).
CELERY_BEAT_SCHEDULE = {
    # The promises' clock: deadlines passed, objectives met without the transition, reminders.
    "lifecycle": {"task": "promises.tasks.sweep", "schedule": 60.0},
    # The outbox's: broadcasts with work left (a lost task, a dead worker, Redis down).
    "outbox": {"task": "notifications.tasks.sweep", "schedule": 60.0},
    # Data exports: build those left behind (Redis down at the request), delete expired ones.
    "data_exports": {"task": "accounts.tasks.data_exports_sweep", "schedule": 60.0},
    # Retention: accounts never confirmed, 30 days after sign-up.
    "retention": {"task": "accounts.tasks.retention_sweep", "schedule": 3600.0},
}

# Account emails (confirmation, password reset) are sent by a worker, not by the request.
EMAILS_VIA_WORKER = envbool("EMAILS_VIA_WORKER", True)

# The email outbox (notifications app).
OUTBOX_BATCH_SIZE = envint("OUTBOX_BATCH_SIZE", 200)
OUTBOX_PARALLELISM = envint("OUTBOX_PARALLELISM", 2)
# A task sends for this long, then hands over to a fresh task (well below the time limit).
OUTBOX_TASK_BUDGET_SECONDS = envint("OUTBOX_TASK_BUDGET_SECONDS", 60)
# How long a worker holds claimed deliveries; after it, another worker may take them over.
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 120)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BASE_SECONDS = envint("OUTBOX_RETRY_BASE_SECONDS", 60)

# --- Authentication (django-allauth) ------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out admin log-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "promises.adapters.PledgeAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A confirmation link only shows a page with a button: mail scanners that follow links
# must not confirm addresses on their own.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # no "[OnPromet] ": the sender is OnPromet, as in the outbox
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords only (accounts.adapters counts a log-in once it has failed). Strict per
    # address: 5 guesses per 5 minutes. Generous per IP, because many people share one (an
    # office, a school, a phone network) and mistype; it still stops one IP from trying a
    # password on address after address.
    "login_failed": "20/m/ip,5/5m/key",
    # Not allauth's limit on every log-in, right or wrong (30 a minute per IP): it refused the
    # 31st person behind a shared IP, and its lock, taken on each log-in and given up after
    # 1 s, refused some of 30 log-ins sent at once. Guessing is limited by the line above.
    "login": None,
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105 (a rate, not a password)
}

# --- Abuse: our own rate limits and the admin log-in -------------------------------------

# Our own actions, counted per member by onpromet/ratelimit.py: action → (times, seconds).
RATE_LIMITS = {
    "pledge": (envint("RATE_LIMIT_PLEDGES_PER_MINUTE", 20), 60),
    # Posts and replies of the discussions, counted together; reports of content.
    "post": (envint("RATE_LIMIT_POSTS_PER_MINUTE", 6), 60),
    "report": (envint("RATE_LIMIT_REPORTS_PER_MINUTE", 5), 60),
    # Co-initiator invitations send an email to any address: a few per hour and member.
    "invite": (envint("RATE_LIMIT_INVITATIONS_PER_HOUR", 10), 3600),
    # New promises, relaunches included: public pages in listings and search. Only promises
    # actually launched count (a form sent back with errors does not).
    "promise": (envint("RATE_LIMIT_PROMISES_PER_HOUR", 5), 3600),
    # Edits of what others read: a promise, a post, a bilan, one's name.
    "edit": (envint("RATE_LIMIT_EDITS_PER_HOUR", 30), 3600),
    # New organisations (only those created count); invitations to join one, by its admins:
    # a company invites a team at once, still not a mailing service.
    "organisation": (envint("RATE_LIMIT_ORGANISATIONS_PER_DAY", 5), 86400),
    "organisation_invite": (envint("RATE_LIMIT_ORGANISATION_INVITATIONS_PER_HOUR", 60), 3600),
}

# The admin log-in (django-axes): 5 failures for one address from one IP lock that pair out
# for an hour. Only the admin: the site's log-in is allauth's, rate limited above.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The admin's log-in form calls the address field "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_ONLY_ADMIN_SITE = True
# …and failures elsewhere (allauth's log-in) are neither recorded nor counted.
AXES_WHITELIST_CALLABLE = "onpromet.ratelimit.outside_admin"
AXES_RESET_ON_SUCCESS = True
# Failures are kept to count them; successful log-ins (IP, browser) are not logged.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_CLIENT_IP_CALLABLE = "onpromet.ratelimit.client_ip"
# Behind our reverse proxy, the visitor's IP is the last one it adds to X-Forwarded-For (the
# others can be forged): allauth's limits, axes and ours all count by that IP.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if envbool("BEHIND_PROXY", False) else 0

# --- Email --------------------------------------------------------------------------------

EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "OnPromet <bonjour@onpromet.localhost>")
SERVER_EMAIL = envstr("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Internationalisation -----------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Front-end libraries come from npm (package.json) and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Files for one person only (the data exports' archives): never under MEDIA_ROOT, which is
# served to anyone; a view that checks who asks sends them (accounts/storage.py).
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# The app serves uploaded photos itself in development; in production the web server or the
# object storage does (see the README).
SERVE_MEDIA = envbool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with inline SVG data URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# The browser features no page of ours uses are turned off for every page and frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Flash messages are kept in the session, not in a cookie of their own (Django's default
# tries a cookie first): the site sets only the session and CSRF cookies, as /confidentialite/
# says.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token).
CSRF_COOKIE_HTTPONLY = True

# Behind HTTPS in production: secure cookies and HSTS (all on unless DEBUG).
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}

# Social previews: the Open Graph tags and canonical link of every page (templates/base.html)
# take the site's public address from SITE_URL, never from the request's Host.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("promises.views.share.page_addresses")
