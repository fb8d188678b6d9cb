from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

SEED = (
    Path(__file__).resolve().parent.parent
    / "seed"
    / "yancheng-union-bulletin-2024-02.md"
)


@pytest.fixture(autouse=True, scope="session")
def plain_http_test_client():
    """The test client speaks plain HTTP, which production redirects to HTTPS.

    tests/test_hardening.py checks the unmodified production settings.
    """
    # A fast hasher too: real PBKDF2 rounds make every log-in test slow.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(SECURE_SSL_REDIRECT=False, PASSWORD_HASHERS=fast):
        yield


@pytest.fixture(autouse=True, scope="session")
def one_review_stage_by_default():
    """Sections without their own 审核级数 keep the editor's one-step flow.

    Production's default is 三审 (REVIEW_DEFAULT_STAGES=3, checked in
    tests/test_review_chain.py); the tests written before the chain describe
    the one-stage flow, and the review tests set the stages they exercise.
    """
    with override_settings(REVIEW_DEFAULT_STAGES=1):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Hashed static names need collectstatic; tests render without it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Forget content type ids between tests.

    A transactional test flushes the tables, and the content types come back
    under new ids; ids remembered from before would then point nowhere (a
    revision's foreign key, say).
    """
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def fresh_cache():
    from serving.pagecache import forget_local

    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seeded(db, seed_text):
    """The seed bulletin imported and published a day ago."""
    from articles.services import import_bulletin

    return import_bulletin(text=seed_text, publish=True)
