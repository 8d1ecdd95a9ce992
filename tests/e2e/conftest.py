"""Browser journeys: Debian's Chromium, driven by Playwright, against a live server of the app.

One browser serves the whole session; each test gets a fresh context (cookies, viewport). Every
page a journey reaches through `log_in`, `follow_menu` or `page.goto`, and the page it ends on, is
swept with axe-core (rules tagged wcag2a and wcag2aa, GB/T 37668-2019 follows WCAG 2.0 AA) once
per user, kind of page and screen width: a serious or critical violation fails the journey and
is printed. The browser is /usr/bin/chromium from Debian's package, never one of Playwright's
downloads (`.ci/browser-deps` installs it). Where it is missing the journeys skip and say why,
except under REQUIRE_SERVICES=1 (CI), where they fail.
"""

import datetime
import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.conftest import REQUIRE_SERVICES
from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from
# the test body, which are fine here (nothing else runs in that loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Named in the README; /test-artifacts/ is git-ignored.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"needs Debian's Chromium at {CHROMIUM}: run .ci/browser-deps (as root)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this may not skip)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _new_page(browser, viewport, **options):
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # A page that breaks the CSP, throws, or misses an asset fails the journey instead of
    # passing silently. A 400 on the page itself is a form's answer, not an error.
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"script error: {error}"))
    page.on("console", lambda message: _record_console_error(page, message))
    page.on("response", lambda response: _record_missing_asset(page, response))
    page.who = "anonymous"
    _sweep_on_arrival(page)
    # A journey that ends on a download link's click leaves Chromium's page waiting for a load
    # that never comes; the sweep at close then waited 10 s on it (seen once in CI, on the
    # documents journey). Such a page is opened afresh for its sweep.
    page.after_download = False
    page.on("download", lambda _download: setattr(page, "after_download", True))
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and setattr(page, "after_download", False),
    )
    close = context.close

    def close_after_the_last_sweep(**kwargs):
        try:
            if not page.is_closed():
                if page.after_download and _sweep_key(page, page.url) not in _swept:
                    page.goto(page.url)  # sweeps on arrival
                else:
                    axe_sweep(page)
                _sweep_the_pages_passed_through(page)
        finally:
            close(**kwargs)

    context.close = close_after_the_last_sweep
    return context, page


def _remember_page(page, request) -> None:
    if (
        request.is_navigation_request()
        and request.frame == page.main_frame
        and request.method == "GET"
    ):
        page.visited.append(request.url)


def _sweep_on_arrival(page) -> None:
    # Pages reached by a click or a form's redirect are remembered, and swept at the end; only
    # those fetched with GET, which can be opened again.
    page.visited = []
    page.on("request", lambda request: _remember_page(page, request))
    goto = page.goto

    def goto_and_sweep(url, **kwargs):
        response = goto(url, **kwargs)
        axe_sweep(page)
        return response

    page.goto = goto_and_sweep


# axe-core runs once per (user, kind of page, screen width) in the whole session: the ids in a
# path are folded, so a session's page is swept once, not once per session.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations"],
}
AXE_FAILING_IMPACTS = ("serious", "critical")
_swept: set[tuple[str, str, int]] = set()
# Not opened again at the end: the login page is swept on the way in, and logging out ends the
# session whose pages are being swept.
_NOT_REVISITED = ("/login/", "/logout/")


def _sweep_key(page, url: str) -> tuple[str, str, int]:
    return (page.who, re.sub(r"\d+", "N", urlsplit(url).path), page.viewport_size["width"])


def _sweep_the_pages_passed_through(page) -> None:
    """Open again, as the same user, each page the journey passed through without a sweep (a
    click, a form's redirect) and sweep it: its state may differ from the journey's moment, but
    its template, landmarks and colours are the same."""
    for url in dict.fromkeys(page.visited):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.path in _NOT_REVISITED:
            continue
        if _sweep_key(page, url) not in _swept:
            try:
                page.goto(url)
            except PlaywrightError:  # a page that answered once and no longer does: not ours
                _swept.add(_sweep_key(page, url))


def axe_sweep(page) -> None:
    """Run axe-core on the page as it stands; fail on a serious or critical violation."""
    url = urlsplit(page.url)
    if url.scheme not in ("http", "https"):
        return
    key = _sweep_key(page, page.url)
    if key in _swept:
        return
    _swept.add(key)
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
    assert not failing, f"axe-core on {page.url} ({page.who}, {key[2]}px):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(f"{n['target']} {n['failureSummary']}" for n in v["nodes"][:5])
        for v in failing
    )


def _record_console_error(page, message) -> None:
    # Chrome reports every 4xx as "Failed to load resource"; _record_missing_asset sorts those.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.errors.append(f"console: {message.text}")


def _record_missing_asset(page, response) -> None:
    # The browser asks for /favicon.ico on its own; the app has none, and no page links it.
    if response.status < 400 or response.request.resource_type == "document":
        return
    if not response.url.endswith("/favicon.ico"):
        page.errors.append(f"{response.status} for {response.url}")


def new_page(browser, live_server, viewport=DESKTOP, **options):
    """A fresh context and page on the live server; the caller closes the context."""
    context, page = _new_page(browser, viewport, **options)
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone: narrow viewport, touch, as a trainee holds it."""
    context, page = new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield page
    context.close()


def log_in(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.who = username
    axe_sweep(page)


def follow_menu(page, label: str) -> None:
    """Click a header menu entry as a user would: open the menu on a phone, then the entry's
    section (the header groups its pages into dropdowns)."""
    nav = page.locator("nav.navbar")
    link = nav.get_by_role("link", name=label, exact=True).first
    if not link.is_visible():
        toggler = nav.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        # Roles skip hidden elements, so find the closed section by its item's text.
        item = page.locator(".dropdown-item").filter(has_text=re.compile(f"^{re.escape(label)}$"))
        section = nav.locator(".dropdown").filter(has=item)
        if section.count():
            section.locator(".dropdown-toggle").click()
    link.click()
    page.wait_for_load_state()
    axe_sweep(page)


def choose_in_picker(page, field: str, text: str) -> None:
    """Pick `text` in a searchable picker (static/js/pickers.js) as a user does: open it, type,
    press Enter. `field` is the form field's name (the select is id_<field>)."""
    page.locator(f"#id_{field}").locator("xpath=..").locator(".ts-control").click()
    expect(page.locator(f"#id_{field}-ts-control")).to_be_focused()
    page.keyboard.type(text)
    expect(page.locator(f"#id_{field}-ts-dropdown .option").first).to_have_text(text)
    page.keyboard.press("Enter")


def screenshot(page, name: str) -> Path:
    """Keep the journey's end as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_page_errors(page) -> None:
    assert not page.errors, "errors in the browser console:\n" + "\n".join(page.errors)


# The journeys happen on a fixed day of the camp's year, so "the next training day" and "leave
# for a future day" hold whatever the real date is.
CAMP_TODAY = datetime.datetime(2026, 3, 10, 12, 0)


@pytest.fixture
def camp_clock(monkeypatch):
    """Stops the app's clock (the live server runs in this process) at CAMP_TODAY. Session
    cookies carry no expiry date (they end with the browser), so the browser's own clock does
    not matter."""
    moment = timezone.make_aware(CAMP_TODAY)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@functools.cache
def _seed_operations() -> list:
    """The RunPython operations of the project's own migrations: the rows they seed (activity
    kinds, rank aliases, interview categories) are part of a working database. A data migration
    that rewrites existing rows instead says `hints={"seed": False}`."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    own = {c.label for c in apps.get_app_configs() if "site-packages" not in c.path}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        operation.code
        for (app_label, _name), migration in sorted(loader.disk_migrations.items())
        if app_label in own
        for operation in migration.operations
        if isinstance(operation, RunPython) and operation.hints.get("seed", True)
    ]


@pytest.fixture(autouse=True)
def _seeded(live_server):
    """A live-server test runs on a transactional database, which the previous such test
    flushed, seeds and all. Put the seeds back; the seed functions are idempotent
    (get_or_create). Serialized rollback would do it, but breaks as soon as any plain
    transactional test ran before (its flush re-creates content types that the rollback then
    inserts again)."""
    from django.apps import apps

    for seed in _seed_operations():
        seed(apps, None)
