from pathlib import Path

import pytest
from django.core.cache import cache

SEED = (
    Path(__file__).resolve().parent.parent
    / "seed"
    / "yancheng-union-bulletin-2024-02.md"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seeded(db, seed_text):
    """The seed bulletin imported and published a day ago."""
    from articles.services import import_bulletin

    return import_bulletin(text=seed_text, publish=True)
