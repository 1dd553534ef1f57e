"""Hearth settings. Everything that differs between a laptop and production comes from the environment.

Development: DEBUG=1 (``make run`` sets it) gives a dev secret key, SQLite under var/ and console e-mail.
Production: DEBUG unset or 0 requires SECRET_KEY and ALLOWED_HOSTS, and turns on secure cookies, HSTS and HTTPS.
"""

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
import stripe
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "houses",
    "residents",
    "billing",
    "vacancies",
    "peer",
    "reports",
    "compliance",
    "spreadsheets",
    "exports",
    "demo",
]

MIDDLEWARE = [
    # First, so every request has one access line and a request id, even one refused before authentication.
    "accounts.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Signed out: the language cookie of the switch, else Accept-Language. Signed in: accounts' LanguageMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.ViewerMiddleware",
    "accounts.two_factor.middleware.TwoFactorMiddleware",  # after the viewer: the requirement is per organization
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # residents keeps its templates in its slices (residents/<slice>/templates/), beside their views.
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "residents").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.viewer",
                "billing.context_processors.portal_money",
                "peer.context_processors.peer_house",
            ],
        },
    },
]


def _database_setting(name: str, default: str | None = None) -> dict:
    database = env.db(name, default=default) if default is not None else env.db(name)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, the closest SQLite has to SELECT ... FOR UPDATE.
        database.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
        database["OPTIONS"].setdefault("timeout", 20)
    elif database["ENGINE"].startswith("django.db.backends.postgresql"):
        # An unreachable server fails a connection within seconds (the webhook queues the event, /healthz says 503)
        # instead of the operating system's minutes-long TCP timeout.
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
        # JIT compiling cost seconds per dashboard query at 3,000 houses and saved nothing on these short queries.
        database["OPTIONS"].setdefault("options", "-c jit=off")
    database["ATOMIC_REQUESTS"] = False
    # Seconds a web process keeps its connection between requests, saving a connection's set-up per request (0 opens
    # one per request; the development server's thread per request would pile kept ones up). Celery closes every
    # connection before and after each task whatever this says (its Django fixup).
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
    # After a database restart a kept connection is dead: checked before a request reuses it, so one request at most
    # sees the error (a 500 that a retry or Stripe's redelivery repeats; every write is one transaction).
    database["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    return database


DATABASES = {"default": _database_setting("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hearth.sqlite3'}")}
# A read replica (a PostgreSQL streaming standby) for report work: config/db_routers.py sends the reads made inside
# accounts.replica.reporting_reads() there; every write, and every other read, stays on the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = _database_setting("DATABASE_REPLICA_URL")
    DATABASE_ROUTERS = ["config.db_routers.ReportingReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in and password reset counters live here: production needs one cache all processes share
# (CACHE_URL=redis://...); the deploy check refuses a process-local one.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down must not turn pages into errors: reads miss and writes are dropped, with a warning (the counters
    # fail open; django-axes' lockouts, kept in the database, still hold). Short timeouts so no page waits on it.
    CACHES["default"]["BACKEND"] = "accounts.cache.FailOpenRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 1, "socket_timeout": 1})
# Counters the cache could not read allow the request (see above) rather than refusing every sign-in.
RATELIMIT_FAIL_OPEN = True

AUTH_USER_MODEL = "accounts.User"
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model's name)
# knox's migrations would create its own token table beside ApiToken, which replaces it.
MIGRATION_MODULES = {"knox": None}
# Sliding expiry: a token lasts this long after its last use. Residents sign in from their own phone, staff often
# from shared office machines.
STAFF_TOKEN_TTL = timedelta(days=env.int("STAFF_TOKEN_TTL_DAYS", default=30))
RESIDENT_TOKEN_TTL = timedelta(days=env.int("RESIDENT_TOKEN_TTL_DAYS", default=90))
# Days a written export's zip is kept in storage before the nightly job deletes it (the row stays, "expired").
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
REST_KNOX = {"TOKEN_TTL": STAFF_TOKEN_TTL, "AUTO_REFRESH": True, "AUTH_HEADER_PREFIX": "Token"}
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.throttling.SignInLimitsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures from one address for one e-mail lock that pair out for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.auth.login_attempt_username"
AXES_LOCKOUT_CALLABLE = "accounts.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# One row per failed sign-in: the sign-in limits count these while the cache is unreachable (accounts.throttling).
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Two-factor sign-in (accounts/two_factor): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Hearth"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator key or a recovery code

# Client addresses: how many reverse proxies in front of Hearth append to X-Forwarded-For. 0 (the default) ignores
# the header, which anyone can forge; with N, the N-th address from the right is the client's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front of Hearth.")


def _rate_setting(name: str, default: str) -> str:
    value = env.str(name, default=default).strip()
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a count per period such as {default}, not {value!r}.")
    return value


# Limits per address across any accounts: a house's residents share one wifi address, so they are generous.
LOGIN_FAILURES_PER_ADDRESS = _rate_setting("LOGIN_FAILURES_PER_ADDRESS", "30/15m")
LOGIN_FAILURES_PER_ACCOUNT = _rate_setting("LOGIN_FAILURES_PER_ACCOUNT", "20/h")
PASSWORD_RESETS_PER_ADDRESS = _rate_setting("PASSWORD_RESETS_PER_ADDRESS", "20/h")
PASSWORD_RESETS_PER_EMAIL = _rate_setting("PASSWORD_RESETS_PER_EMAIL", "5/h")
# Public application forms sent per address (vacancies.public_views): a family may apply for two people, a robot not.
PUBLIC_APPLICATIONS_PER_ADDRESS = _rate_setting("PUBLIC_APPLICATIONS_PER_ADDRESS", "10/h")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = AXES_CLIENT_IP_CALLABLE

LANGUAGE_CODE = "en"
# Spanish as read in the United States: residents and applicants read it first; staff pages follow where translated.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Certification documents: the largest upload accepted, in bytes.
COMPLIANCE_UPLOAD_MAX_BYTES = env.int("COMPLIANCE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Uploaded and generated files (reports, documents) go through Django's storage API only, never a path on disk:
# MEDIA_STORAGE=local keeps them in MEDIA_ROOT, MEDIA_STORAGE=s3 in a private S3 (or S3-compatible) bucket, read back
# through the app or by short-lived signed links.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local").strip().lower()
if MEDIA_STORAGE == "local":
    _media_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE=s3.")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # An S3-compatible service (MinIO, Backblaze, DigitalOcean Spaces...); empty means AWS itself.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            # Empty: boto3 finds credentials itself (an instance role, ~/.aws).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            # Files hold residents' records: never public, every link signed and short-lived. No ACL is sent (new
            # AWS buckets have ACLs disabled and refuse x-amz-acl): the bucket's Block Public Access keeps it private.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Absolute links in e-mails sent by background jobs (no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hearth <hearth@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process so the demo and tests need no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# Every task is idempotent (each re-checks its row's state or writes under a unique key). acks_late: a message is
# acknowledged once its task ends, so a whole worker lost mid-task leaves it to come back after the visibility
# timeout. A pool child killed mid-task (out of memory) is acknowledged as failed, not redelivered at once (that
# would loop forever on a task that kills its child): the sweeps retry the work (reports' and exports' reapers, the
# Stripe event sweep, the rent job's next run). One task at a time per worker process.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task still running after the soft limit gets SoftTimeLimitExceeded (it fails cleanly); after the hard limit its
# child is killed. A report or an export takes minutes at most; these are far above any honest run.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=1500)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
# Publishing gives up within about a second when Redis is unreachable: the task is kept as a DeferredTask and sent
# again later (accounts/queue.py), so no page hangs on the broker. visibility_timeout: a message a lost worker
# never acknowledged is delivered again after this long (longer than CELERY_TASK_TIME_LIMIT, or a task still
# running would be handed to a second worker); the reports' reaper requeues a stuck report sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "month-end-reports": {
        "task": "reports.tasks.month_end_reports",
        "schedule": crontab(minute=0, hour=12, day_of_month=1),
    },
    # Daily, idempotent: each house's week is drawn on the first run inside that week in its own time zone.
    "drug-test-draws": {
        "task": "residents.tasks.draw_drug_tests_for_all_houses",
        "schedule": crontab(hour=11, minute=0),
    },
    # Friday noon UTC is still Friday in every US time zone: next week's chores are posted before the weekend.
    "chore-rotation-next-week": {
        "task": "residents.tasks.chore_rotation_generate_next_week",
        "schedule": crontab(minute=0, hour=12, day_of_week="fri"),
    },
    # 13:00 UTC is early morning across the continental US: the digest is waiting when the day starts.
    "certification-reminders": {
        "task": "compliance.tasks.send_certification_reminders",
        "schedule": crontab(minute=0, hour=13),
    },
    # Billing's daily jobs (idempotent; each organization uses its own calendar day). 10:15 UTC is after midnight in
    # every US time zone, so the day's rent is posted on its due date.
    "billing-post-rent-due": {"task": "billing.tasks.post_rent_due", "schedule": crontab(hour=10, minute=15)},
    # After the day's rent is posted: autopay charges the rent due today and retries failed charges that are due.
    "billing-charge-autopay": {"task": "billing.tasks.charge_autopay", "schedule": crontab(hour=10, minute=30)},
    "billing-assess-late-fees": {"task": "billing.tasks.assess_late_fees", "schedule": crontab(hour=10, minute=45)},
    # Rent reminders by e-mail, after the day's rent and late fees: 14:00 UTC is morning on the same calendar day in
    # every US time zone. Each is sent once, however often the job runs.
    "billing-rent-notices": {"task": "billing.tasks.send_rent_notices", "schedule": crontab(hour=14, minute=0)},
    # Stripe events a delivery left unapplied (a worker died, an error) are applied within minutes, each once.
    "billing-sweep-stripe-events": {"task": "billing.tasks.sweep_stripe_events", "schedule": crontab(minute="*/2")},
    # Tasks the broker could not take (Redis was down) are sent again, oldest first; the worker also does it at start.
    "resend-deferred-tasks": {"task": "accounts.tasks.resend_deferred_tasks", "schedule": crontab(minute="*")},
    "accounts-prune-sign-in-failures": {
        "task": "accounts.tasks.prune_sign_in_failures",
        "schedule": crontab(hour=9, minute=5),
    },
    # A report left "running" by a worker that died is queued again (reports.services.reports_requeue_stuck).
    "reports-requeue-stuck": {"task": "reports.tasks.requeue_stuck_reports", "schedule": crontab(minute="*/5")},
    # An export left "running" by a worker that died is queued again (exports.services.exports_requeue_stuck).
    "exports-requeue-stuck": {"task": "exports.tasks.requeue_stuck_exports", "schedule": crontab(minute="*/5")},
    # Stored export zips (everything, archived records too) are deleted once EXPORT_KEEP_DAYS have passed.
    "exports-expire": {"task": "exports.tasks.expire_exports", "schedule": crontab(hour=9, minute=20)},
    # Bed openings: planned move-outs coming within the notice days, unanswered waitlist offers passed on (hourly);
    # the partners' vacancy digest, once a day on each organization's date (15:00 UTC: morning across the US).
    "vacancies-scan-openings": {"task": "vacancies.tasks.scan_openings", "schedule": crontab(minute=7)},
    "vacancies-partner-digests": {
        "task": "vacancies.tasks.send_partner_digests",
        "schedule": crontab(hour=15, minute=0),
    },
}

# Online payments (Stripe Checkout). Without a secret key the app runs fully and says that online payment is not set
# up. The API version is pinned here, once: the one stripe-python 16.1 is typed for. Give the Stripe webhook endpoint
# the same version, so event payloads have the shape the handlers read.
STRIPE_API_VERSION = "2026-10-28.endive"
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Connect: the signing secret of the second endpoint (same address) Stripe sends connected accounts' events to.
STRIPE_CONNECT_WEBHOOK_SECRET = env.str("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
# A local stand-in for Stripe's API (tests, staging), e.g. http://127.0.0.1:12111; empty means Stripe itself.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
if STRIPE_SECRET_KEY and not STRIPE_SECRET_KEY.startswith(("sk_", "rk_")):
    raise ImproperlyConfigured("STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_... or rk_...).")
if STRIPE_PUBLISHABLE_KEY and not STRIPE_PUBLISHABLE_KEY.startswith("pk_"):
    raise ImproperlyConfigured("STRIPE_PUBLISHABLE_KEY must be a Stripe publishable key (pk_...).")
if STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
    # Without it no payment could ever be credited: the ledger is credited only by a verified webhook.
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET (whsec_...) must be set when STRIPE_SECRET_KEY is.")
if STRIPE_API_BASE and not STRIPE_API_BASE.startswith(("http://", "https://")):
    raise ImproperlyConfigured("STRIPE_API_BASE must be an http:// or https:// address.")
stripe.api_version = STRIPE_API_VERSION
if STRIPE_API_BASE:
    stripe.api_base = STRIPE_API_BASE.rstrip("/")


def _money_setting(name: str, default: str) -> Decimal:
    raw = env.str(name, default=default)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be an amount such as {default}, not {raw!r}.") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ImproperlyConfigured(f"{name} must be above zero with at most two decimal places, not {raw!r}.")
    return value.quantize(Decimal("0.01"))


ONLINE_PAYMENT_MIN = _money_setting("ONLINE_PAYMENT_MIN", "1.00")
ONLINE_PAYMENT_MAX = _money_setting("ONLINE_PAYMENT_MAX", "5000.00")
if ONLINE_PAYMENT_MIN > ONLINE_PAYMENT_MAX:
    raise ImproperlyConfigured("ONLINE_PAYMENT_MIN cannot be more than ONLINE_PAYMENT_MAX.")

# Stripe Connect (direct charges): each organization is paid into its own connected Stripe account, created from its
# payments settings. Off: every payment goes to the one account of STRIPE_SECRET_KEY (a deployment for one operator).
STRIPE_CONNECT = env.bool("STRIPE_CONNECT", default=False)
# The platform's share of each online payment under Connect, in percent (0 to 10); 0 takes nothing.
try:
    STRIPE_APPLICATION_FEE_PERCENT = Decimal(env.str("STRIPE_APPLICATION_FEE_PERCENT", default="0"))
except InvalidOperation:
    STRIPE_APPLICATION_FEE_PERCENT = Decimal("NaN")
if not (STRIPE_APPLICATION_FEE_PERCENT.is_finite() and 0 <= STRIPE_APPLICATION_FEE_PERCENT <= 10):
    raise ImproperlyConfigured("STRIPE_APPLICATION_FEE_PERCENT must be a percent between 0 and 10, such as 1.5.")
if STRIPE_CONNECT and STRIPE_SECRET_KEY and not STRIPE_CONNECT_WEBHOOK_SECRET.startswith("whsec_"):
    # Connected accounts' events come to a second endpoint with its own secret: without it none would be credited.
    raise ImproperlyConfigured("STRIPE_CONNECT_WEBHOOK_SECRET (whsec_...) must be set when STRIPE_CONNECT is on.")
# How long a resident's Checkout Session stays open (Stripe allows 30 minutes to 24 hours).
STRIPE_CHECKOUT_EXPIRES_MINUTES = 30

REST_FRAMEWORK = {
    # The token first: a missing, expired or revoked token is then a 401 with ``WWW-Authenticate: Token`` (DRF
    # answers 403 when the first class names no scheme, as the session does not).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsMember"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api_filters.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "accounts.api_filters.StrictQueryParams",
        "accounts.api_filters.StrictFilterBackend",
        "accounts.api_filters.StrictSearchFilter",
        "accounts.api_filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "accounts.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env.str("LOGIN_THROTTLE_RATE", default="20/min")},
    # DRF's get_ident then reads X-Forwarded-For as accounts.throttling.client_address does.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hearth API",
    "DESCRIPTION": (
        "Sober-living houses: beds, residents, rent and the evidence a house keeps as it runs. Dates and times are "
        "read in the organization's time zone; every time carries its UTC offset, and a time sent without one "
        "(2026-11-01T03:00:00) is refused: send 2026-11-01T03:00:00-05:00."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so clients get stable enum types.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role",
        # Every preferred or invited language (users, residents, invitations, rule signatures): one enum.
        "LanguageEnum": "django.conf.settings.LANGUAGES",
        "RentPeriodEnum": "billing.models.terms.RentPeriod",
        "WeekdayEnum": "billing.models.terms.Weekday",
        "LedgerEntryKindEnum": "billing.models.ledger.EntryKind",
        "ChargeKindEnum": "billing.models.ledger.CHARGE_KIND_CHOICES",
        "PaymentMethodEnum": "billing.models.payments.Payment.Method",
        "HouseGenderEnum": "houses.models.House.Gender",
        "HouseStatusEnum": "houses.models.House.Status",
        "BedStatusEnum": "houses.models.Bed.Status",
        "DischargeReasonEnum": "residents.models.Stay.DischargeReason",
        "ApplicationStatusEnum": "residents.models.Application.Status",
        "ApplicationMoveEnum": "residents.core.api.applications.MOVE_CHOICES",
        "PayerEnum": "residents.models.Resident.Payer",
        "GrievanceStatusEnum": "residents.conduct.models.grievances.Grievance.Status",
        "SubstanceEnum": "residents.testing.models.Substance",
        "TestReasonEnum": "residents.testing.models.TestReason",
        "DrugTestMethodEnum": "residents.testing.models.DrugTest.Method",
        "DrugTestResultEnum": "residents.testing.models.DrugTest.Result",
        "TestRequestStatusEnum": "residents.testing.models.TestRequest.Status",
        "GrievanceAboutEnum": "residents.conduct.models.grievances.Grievance.About",
        "IncidentCategoryEnum": "residents.conduct.models.incidents.Incident.Category",
        "IncidentSeverityEnum": "residents.conduct.models.incidents.Incident.Severity",
        "IncidentActionEnum": "residents.conduct.models.incidents.Incident.Action",
        "RuleCategoryEnum": "residents.house_rules.models.RuleCategory",
        "NarrLevelEnum": "houses.models.House.Level",
        "ReportKindEnum": "reports.models.Report.Kind",
        "ReportStatusEnum": "reports.models.Report.Status",
        "AuditActionEnum": "accounts.models.AuditEntry.Action",
        "DocumentKindEnum": "compliance.models.DocumentKind",
        "SafetyEquipmentKindEnum": "compliance.models.SafetyEquipment.Kind",
        "DrillKindEnum": "compliance.models.Drill.Kind",
        "InspectionStatusEnum": "compliance.models.Inspection.Status",
        "InspectionLineResultEnum": "compliance.models.safety.InspectionLine.Result",
        "InspectionLineItemEnum": "compliance.models.safety.InspectionLine.Item",
        "CertificationStatusEnum": "compliance.evidence.registry.STATUS_CHOICES",
        "HouseGovernanceEnum": "houses.models.House.Governance",
        "OfficeEnum": "peer.models.Office",
        "ExpenseKindEnum": "peer.models.ExpenseKind",
        "BusinessMeetingKindEnum": "peer.models.BusinessMeeting.Kind",
        "MotionKindEnum": "peer.models.Motion.Kind",
        "MotionOutcomeEnum": "peer.models.Motion.Outcome",
        "BallotChoiceEnum": "peer.models.Ballot.Choice",
        "BankEntryKindEnum": "peer.models.BankEntry.Kind",
        "ExpensePeriodEnum": "peer.models.ExpectedExpense.Period",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Production hardening; check --deploy reports nothing with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes /healthz on plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG  # the signed-out language switch (accounts.views.language_switch)
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from our own static files: no inline <script>, no on...= handlers, no style="..."
# (tests/browser/test_csp_crawl.py crawls every role's pages for violations). Forms may go on to Stripe's hosted
# Checkout and Connect onboarding, which our pages reach by a redirect after a form is sent. Inline SVG and data:
# images (QR codes, charts) are images of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://checkout.stripe.com", "https://connect.stripe.com"],
    },
}

# Logs (accounts/request_log.py): one JSON object a line in production, one line per request and per task run, each
# with its request id, organization id and user id, never personal data. LOG_FORMAT=text reads better on a laptop.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "accounts.request_log.ContextFilter"}},
    "formatters": {
        "json": {"()": "accounts.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # hearth.task writes each run's line; Celery's own "received" and "succeeded" lines (the latter with the
        # return value) would be more. Its failure lines (WARNING and up, with the traceback) stay.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # The access line replaces runserver's, which carries the query string.
        "django.server": {"level": "WARNING"},
    },
}
# The worker and beat log through LOGGING above, not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting (config/sentry.py): on only when SENTRY_DSN is set; personal data is scrubbed from every event.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
try:
    SENTRY_TRACES_SAMPLE_RATE = float(env.str("SENTRY_TRACES_SAMPLE_RATE", default="0"))
except ValueError:
    SENTRY_TRACES_SAMPLE_RATE = -1.0
if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a fraction from 0 (off) to 1, such as 0.05.")
if SENTRY_DSN:
    from config import sentry

    sentry.init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
