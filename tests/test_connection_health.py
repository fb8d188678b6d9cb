"""The PostgreSQL backend's health check (newsroom/postgresql): no round trip
for a live idle connection, a new connection for one the server closed."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend's check"
)


@pytest.fixture
def checked(transactional_db):
    """The test connection, idle (autocommit) and due for its health check,
    with Django's own check (SELECT 1) counted."""
    assert settings.DATABASES["default"]["ENGINE"] == "newsroom.postgresql"
    connection.ensure_connection()
    connection.health_check_enabled = True
    connection.health_check_done = False
    calls = []
    real = connection.is_usable
    connection.is_usable = lambda: calls.append(1) or real()
    yield calls
    del connection.is_usable


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_live_idle_connection_is_kept_without_a_query(checked):
    pid = backend_pid()
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert checked == []  # no SELECT 1
    assert connection.health_check_done
    assert backend_pid() == pid


def test_a_connection_the_server_closed_is_replaced(checked):
    pid = backend_pid()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the goodbye reaches our socket
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert checked == [1]  # something to read: Django's own check ran
    assert connection.connection is None  # and closed the dead connection
    assert backend_pid() != pid  # the next query opens a new one
