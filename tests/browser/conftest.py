"""Real-browser fixtures: Debian's Chromium, driven by Playwright, on the live server.

Playwright's own browser download does not work offline, so the tests launch
the system Chromium (``apt-get install chromium``, or ``make browser-deps``).
Where it is missing the tests are skipped on a developer's machine and fail
under CI=true, so CI can never pass without having looked.

Screenshots and axe-core results go to test-artifacts/browser/<database>/
(git-ignored); the path is printed at the end of the run.
"""

import contextlib
import itertools
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from tests.browser import checks

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 375, "height": 812},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
ARTIFACTS_ROOT = Path(
    os.environ.get(
        "BROWSER_ARTIFACTS",
        Path(__file__).resolve().parents[2] / "test-artifacts" / "browser",
    )
)
# Playwright's default of 30 s only hides a hang on this 2-core machine.
TIMEOUT_MS = 15_000

# The live server binds 127.0.0.1 (not "localhost", which may resolve to ::1)
# on a free port unless DJANGO_LIVE_TEST_SERVER_ADDRESS names one.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:0")

_session_report = {"screenshots": [], "axe": [], "skipped": None, "folder": None}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium against the live server"
    )


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's outcome on the item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    report = _session_report
    if report["skipped"]:
        terminalreporter.write_sep("!", "browser tests skipped", yellow=True)
        terminalreporter.write_line(report["skipped"])
    if report["folder"] is None:
        return
    folder = report["folder"]
    terminalreporter.write_sep("-", "browser artifacts")
    terminalreporter.write_line(
        f"{len(report['screenshots'])} screenshots in {folder}"
        " (list: screenshots.txt; axe-core results: axe-results.json)"
    )
    for line in checks.axe_summary_lines(report["axe"]):
        terminalreporter.write_line(line)


def _artifacts_folder():
    if _session_report["folder"] is None:
        folder = ARTIFACTS_ROOT / connection.vendor
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _session_report["folder"] = folder
    return _session_report["folder"]


def _write_reports():
    folder = _session_report["folder"]
    if folder is None:
        return
    (folder / "screenshots.txt").write_text(
        "".join(
            f"{path.relative_to(folder)}\n" for path in _session_report["screenshots"]
        ),
        encoding="utf-8",
    )
    (folder / "axe-results.json").write_text(
        json.dumps(_session_report["axe"], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests; closed after the last one.

    Playwright's sync API runs an asyncio loop in this thread, which Django
    takes for async code and refuses ORM calls; DJANGO_ALLOW_ASYNC_UNSAFE lifts
    that while the browser is up. Package scope ends it before other tests run.
    """
    if not os.access(CHROMIUM, os.X_OK):
        message = (
            f"{CHROMIUM} not found: run `make browser-deps` (apt-get install chromium)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI=true and {message}", pytrace=False)
        _session_report["skipped"] = message
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With a loop running, Django looks its connections up per context rather
    # than per thread, and would open fresh ones: without the test database's
    # serialized rows and, on SQLite, not the connection the live server shares.
    # Handing the thread's own connections to this context keeps one of each.
    own_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, own in own_connections.items():
                connections[alias] = own
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
        _write_reports()


class Tab:
    """A page in a fresh browser context, watched for errors and foreign hosts.

    Every request is routed: one to another host is recorded and aborted, so
    the test fails on it without the machine ever reaching the network.
    """

    def __init__(self, context, *, origin, viewport, folder, label, steps):
        self.context = context
        self.origin = origin
        self.viewport = viewport
        self.folder = folder
        self.label = label
        self.steps = steps
        self.console_errors = []
        self.foreign_requests = []
        self.failed_responses = []
        context.route("**/*", self._route)
        self.page = self._watch(context.new_page())

    def _watch(self, page):
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("response", self._response)
        return page

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location})")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_responses.append(f"{response.status} {response.url}")

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/") or re.match(r"^(data|blob|about):", url):
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort("blockedbyclient")

    def popup(self, page):
        """Watch a window the page opened (the admin's add-another popups)."""
        return self._watch(page)

    def goto(self, path):
        response = self.page.goto(self.origin + path)
        assert response is not None and response.ok, (
            f"GET {path}: {response and response.status}"
        )
        return response

    def screenshot(self, step, page=None):
        """Save a full-page screenshot, numbered in the order of the test's steps."""
        prefix = (
            f"{next(self.steps):02d}-{self.label}-"
            if self.label
            else f"{next(self.steps):02d}-"
        )
        path = self.folder / f"{prefix}{step}.png"
        (page or self.page).screenshot(path=path, full_page=True)
        _session_report["screenshots"].append(path)
        return path

    def problems(self):
        """Console errors, failed sub-requests and requests to other hosts so far.

        Each is reported once: the lists start afresh after this call.
        """
        problems = (
            [f"console error: {error}" for error in self.console_errors]
            + [f"failed request: {failed}" for failed in self.failed_responses]
            + [f"request to another host: {url}" for url in self.foreign_requests]
        )
        self.console_errors, self.failed_responses = [], []
        self.foreign_requests = []
        return problems

    def assert_clean(self):
        """No console error, failed sub-request, or request to another host so far."""
        problems = self.problems()
        assert not problems, "\n".join(problems)

    def axe(self, name):
        """Run axe-core here; return its serious and critical violations as problems.

        Every violation, minor ones included, goes into axe-results.json.
        """
        # Scripts that finish the page (the admin names its fields) have run
        # by the load event; a selector can appear well before it.
        self.page.wait_for_load_state("load")
        violations = checks.run_axe(self.page)
        _session_report["axe"].append(
            {"page": name, "viewport": self.viewport, "violations": violations}
        )
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
        return [checks.describe_violations(name, serious)] if serious else []

    def log_in_with_form(self, username, password):
        """Log in on the admin's log-in page, as a person would."""
        self.goto("/admin/login/?next=/admin/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("input[type=submit], button[type=submit]")
        self.page.wait_for_selector("#user-tools")
        assert self.page.url.endswith("/admin/"), self.page.url

    def log_in(self, user):
        """Reuse a Django session instead of typing a password for page checks."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.origin}]
        )


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return request.param


class InFlight:
    """The live server's application, counting the requests in progress.

    A tab that closes still sends what its page sends on leaving (the
    article form's presence and autosave beacons); the test's data must be
    flushed only after those requests have finished, or SQLite refuses the
    flush (the table is locked by the request's read).
    """

    def __init__(self, app):
        self.app = app
        self.running = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.running += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()

    def wait_idle(self, grace=0.3, timeout=10):
        """Give late beacons `grace` seconds to arrive, then wait for none."""
        time.sleep(grace)
        with self.changed:
            self.changed.wait_for(lambda: self.running == 0, timeout=timeout)


def in_flight(live_server):
    server = live_server.thread.httpd
    if not isinstance(server.get_app(), InFlight):
        server.set_app(InFlight(server.get_app()))
    return server.get_app()


@pytest.fixture
def open_tab(browser, live_server, django_db_serialized_rollback, request):
    """Open watched tabs on the live server; each gets its own browser context.

    The live server needs committed data, so these tests run in transactions
    that are flushed afterwards; serialized rollback puts back the rows data
    migrations made (the nine county unions, the staff groups) for the next.
    """
    tabs = []
    requests = in_flight(live_server)
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    folder = _artifacts_folder() / test_name
    folder.mkdir(parents=True, exist_ok=True)
    steps = itertools.count(1)

    def open_one(viewport, label=None):
        """A tab on viewport; label (who is looking) prefixes its screenshots."""
        context = browser.new_context(
            locale="zh-CN",
            timezone_id=settings.TIME_ZONE,
            service_workers="block",
            **VIEWPORTS[viewport],
        )
        tabs.append(
            Tab(
                context,
                origin=live_server.url,
                viewport=viewport,
                folder=folder,
                label=label,
                steps=steps,
            )
        )
        return tabs[-1]

    yield open_one
    failed = getattr(request.node, "report_call", None)
    for tab in tabs:
        if failed is not None and failed.failed:
            # What each tab showed when the test failed, for the person fixing
            # it; a tab that cannot be drawn any more must not hide the failure.
            with contextlib.suppress(Exception):
                tab.screenshot("at-failure")
        tab.context.close()
    if tabs:
        requests.wait_idle()


@pytest.fixture
def tab(open_tab, viewport):
    """A watched tab in the viewport the test is parametrized with."""
    return open_tab(viewport)
