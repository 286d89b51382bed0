"""Suite-wide fixtures."""

import pytest


@pytest.fixture(autouse=True)
def reference_data_after_flush(request):
    """Transactional tests (live server, threads) flush every table afterwards, reference data included; reload the
    data that migrations load, so each such test starts from what a migrated database holds."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (request.node.get_closest_marker("browser") is not None
                     or (marker is not None and marker.kwargs.get("transaction"))
                     or {"transactional_db", "live_server"} & set(request.fixturenames))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from shuangchuang.core.reference import load_departments
    from shuangchuang.credit.reference import load_lists
    from shuangchuang.registration.reference import load_rules
    from shuangchuang.registry.reference import load_reference_data, reference_cache_clear

    load_departments()
    load_reference_data()
    load_lists()
    load_rules()
    reference_cache_clear()
    yield


CHROMIUM = "/usr/bin/chromium"  # Debian's chromium; Playwright never downloads a browser here


@pytest.fixture
def browser_context(monkeypatch):
    """A Playwright context in Debian's chromium, zh-CN locale (the platform's first language)."""
    import os

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        )
        yield browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        browser.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def english_page(browser_context, live_server):
    """A page whose language cookie says English (tests that assert English texts)."""
    host = live_server.url.split("//")[1].split(":")[0]
    browser_context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    return browser_context.new_page()
