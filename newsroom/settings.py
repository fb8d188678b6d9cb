"""Settings for newsroom, read from the environment.

A fresh clone runs with no set-up: without DATABASE_URL it uses an embedded
SQLite file, without REDIS_URL a local-memory cache.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import jinja2
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


# The development key is only good for DEBUG runs and tests; serving with it
# and DEBUG off is refused in newsroom/wsgi.py.
DEVELOPMENT_SECRET_KEY = "django-insecure-newsroom-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "tinymce",
    "counties",
    "articles",
    "review",
    "notifications",
    "serving",
    "axes",
    "security",
    "bench",
    "assessment",
    "wordimport",
    "previews",
    "editing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "serving.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

# Reader pages render with Jinja2 (templates/jinja2/), which compiles them to
# Python and spends less time per page than the Django template language (kept
# because measured against a DTL port: docs/performance.md); the admin
# (templates/admin/ and the apps' own templates) stays on DTL, found when
# Jinja2 has no template of that name.
TEMPLATES = [
    {
        "NAME": "jinja2",
        "BACKEND": "newsroom.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": [
                "articles.context_processors.navigation",
                "articles.context_processors.preview",
            ],
            "autoescape": True,
            # Compiled templates stay in the environment's cache; only DEBUG
            # runs look at the files again.
            "auto_reload": DEBUG,
            # Missing optional context renders as "", as in DTL (Django's
            # default under DEBUG would print the expression instead).
            "undefined": jinja2.Undefined,
            # Pages end with the file's last newline, as DTL's did.
            "keep_trailing_newline": True,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Chinese for the few admin strings Django's zh_Hans catalog lacks.
LOCALE_PATHS = [BASE_DIR / "locale"]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Server-side parameters let PostgreSQL keep a statement's plan: psycopg
    # prepares a statement after PREPARE_THRESHOLD runs on a connection, so
    # the reader pages' queries are planned once per connection instead of on
    # every request (docs/performance.md). PREPARE_THRESHOLD= (empty) turns
    # preparing off, as a pooler in transaction mode needs.
    _prepare = os.environ.get("PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(_prepare) if _prepare else None,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering index's INCLUDE columns (article_status_recent) are a PostgreSQL
# feature; SQLite builds the index without them and Django warns on every run.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that degrades to cache misses while Redis is down.
            "BACKEND": "security.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            # Django's default of 300 entries is fewer than a site's pages:
            # culling dropped cached pages and the content generation itself
            # while a crawl was still reading them.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Hashed, pre-compressed static files served by WhiteNoise (or nginx).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The app serves MEDIA_URL itself (safely, see security/media.py) in DEBUG runs
# or when told to; otherwise nginx does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)


# Photo storage. Photos and their renditions go through Django's storage API
# only, so several app servers can share S3-compatible object storage
# (django-storages, installed by `make install-s3`) instead of media/.
def media_storage(environ):
    """The STORAGES["default"] entry the environment asks for."""
    kind = environ.get("MEDIA_STORAGE", "local").strip().lower()
    if kind in ("", "local"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {kind!r}")
    if not environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
        "location": environ.get("AWS_LOCATION", "media"),
        # Published photos are public: plain URLs cache well and never expire.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=False),
        "file_overwrite": True,
    }
    for variable, option in [
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_S3_CUSTOM_DOMAIN", "custom_domain"),
        ("AWS_ACCESS_KEY_ID", "access_key"),
        ("AWS_SECRET_ACCESS_KEY", "secret_key"),
        ("AWS_DEFAULT_ACL", "default_acl"),
    ]:
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES["default"] = media_storage(os.environ)

SITE_NAME = _("盐城工会")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# Workflow e-mails link back to the admin; this is the site's own address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# TinyMCE ships inside django-tinymce, so the editor works with no internet.
# Tags split on Chinese separators too (，、；), in the admin and importers.
TAGGIT_TAGS_FROM_STRING = "articles.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.edit_string"

TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    "language": "zh_CN",
    "height": 480,
    "menubar": False,
    "promotion": False,
    "branding": False,
    # The status bar's element path read "p" or "ul › li": HTML, not words.
    "elementpath": False,
    "plugins": "lists link image table code autolink",
    "toolbar": (
        "undo redo | blocks | bold italic | bullist numlist blockquote | "
        "link image libraryphoto table | removeformat code"
    ),
    # static/js/photo-chooser.js: the 图库图片 button inserts a rendition.
    "setup": "deskPhotoSetup",
    "block_formats": "正文=p; 小标题=h3; 小小标题=h4",
    "relative_urls": False,
    "convert_urls": False,
    # Accessibility (axe-core aria-prohibited-attr): TinyMCE puts aria-label
    # on the editing area's <body> and on the resize handle's bare <div>;
    # the iframe's title already names the area, and the height is fixed.
    "iframe_aria_text": "",
    "resize": False,
    # On a phone the toolbar wraps onto a second row instead of hiding
    # buttons behind a "more" menu.
    "toolbar_mode": "wrap",
}
# The zh_CN pack leaves "Blockquote" in English; the second file adds it.
TINYMCE_EXTRA_MEDIA = {"js": ["tinymce/langs/zh_CN.js", "js/tinymce-zh.js"]}
# The compressor (and its URLs) would write cache keys a request chooses;
# TinyMCE loads from static files instead (security/checks.py holds to it).
TINYMCE_COMPRESSOR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# Security. Production defaults switch on whenever DEBUG is off;
# each can be turned off by the environment for a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a proxy its X-Forwarded-For names the client (security/client.py),
# only from the proxies in TRUSTED_PROXIES (addresses or networks) when set.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
TRUSTED_PROXIES = [
    ipaddress.ip_network(item, strict=False)
    for item in env_list("TRUSTED_PROXIES", "")
]
if BEHIND_TLS_PROXY:
    # Only behind a proxy that sets (and strips) X-Forwarded-Proto itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy, sent by security.middleware (the shape of Django
# 6's SECURE_CSP). Reader pages run no inline script or style; their one
# script is the site's own file (static/js/reader.js, the 大字 switch).
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    # Violations are posted to security.views.csp_report and logged.
    "report-uri": ["/csp-report/"],
}
# The admin keeps scripts to our own files, but TinyMCE and the admin set
# inline style attributes, and TinyMCE pastes images as blob:/data: URLs.
CSP_ADMIN_PATHS = ("/admin/",)
CSP_ADMIN_POLICY = CSP_POLICY | {
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# Photos kept in object storage are served from its own host (the CDN or
# bucket domain), which pages must be allowed to show.
MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN") or (
    f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}"
    if STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage"
    and os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    else ""
)
if MEDIA_ORIGIN:
    for _policy in (CSP_POLICY, CSP_ADMIN_POLICY):
        _policy["img-src"] = [*_policy["img-src"], MEDIA_ORIGIN]

# Admin log-in lock-out (django-axes); a successful log-in clears the count.
AUTHENTICATION_BACKENDS = [
    "security.auth.LoginAttemptBackend",
    "security.auth.StaffBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
# An address that fails too often is locked, and so is one account from one
# address; an account is never locked for everyone, so a stranger who knows
# an editor's user name cannot lock the editor out (docs/security.md).
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_CLIENT_IP_CALLABLE = "security.client.client_ip"

# Page cache for anonymous readers (serving/middleware.py). Pages are
# invalidated on every content change; these bound how long a copy may live.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))  # 0: off
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("PAGE_CACHE_SHARED_SECONDS", "10"))
# How often each worker re-reads the content generation from the shared cache:
# another server's change shows here within this time.
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "1"))
PAGE_CACHE_EXCLUDED_PATHS = (
    "/admin/",
    "/healthz",
    "/readyz",
    "/csp-report/",
    # Preview links show drafts: never stored (previews/views.py also sends
    # private, no-store, which nginx honours).
    "/preview/",
    STATIC_URL,
    MEDIA_URL,
)
# The query parameters a cached page may carry, each with the values it may
# take (a full match, once): anything else is rendered and not stored, so
# random values cannot fill the cache. p pages the sitemaps.
PAGE_CACHE_QUERY_PARAMETERS = {
    "page": r"[1-9][0-9]{0,2}",
    "p": r"[1-9][0-9]{0,3}",
    "q": r"[^\x00-\x1f\x7f]{0,100}",
    "section": r"[-a-z0-9]{0,80}",
    "county": r"[-a-z0-9]{0,80}",
    "start": r"([0-9]{4}-[0-9]{2}-[0-9]{2})?",
    "end": r"([0-9]{4}-[0-9]{2}-[0-9]{2})?",
    "year": r"[0-9]{4}",
    "month": r"(0?[1-9]|1[0-2])",
}
# At most this many pages with a query string are stored per path and
# content generation (the free-text search above is otherwise unbounded).
PAGE_CACHE_QUERIES_PER_PATH = int(os.environ.get("PAGE_CACHE_QUERIES_PER_PATH", "500"))
# Saving or deleting a model of these apps invalidates every cached page.
PAGE_CACHE_CONTENT_APPS = ["articles", "counties", "taggit"]

# 三审 (review app): stages of a section that has not set its own count.
REVIEW_DEFAULT_STAGES = int(os.environ.get("REVIEW_DEFAULT_STAGES", "3"))

# Preview links (previews app): how many days a new link stays open unless the
# editor picks otherwise, and the most an editor may pick.
PREVIEW_LINK_MAX_DAYS = 30
PREVIEW_LINK_DAYS = min(
    max(int(os.environ.get("PREVIEW_LINK_DAYS", "7")), 1), PREVIEW_LINK_MAX_DAYS
)
