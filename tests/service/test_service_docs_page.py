"""/docs works offline: Swagger UI comes from the installed package, and a headless browser that may
reach nothing but the server shows every operation."""

from __future__ import annotations

from pathlib import Path

import pytest

from service_harness import make_server

CHROMIUM = "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_docs_page_renders_every_operation_without_the_internet(tmp_path):
    server = make_server(tmp_path, None, None)
    server.start()
    outside: list[str] = []
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()

            def only_loopback(route):
                if route.request.url.startswith(server.url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_loopback)
            page.goto(server.url + "/docs")
            page.wait_for_selector("#operations-events-post_message_v1_messages_post", timeout=30_000)
            text = page.inner_text("body")
            browser.close()
    finally:
        server.stop()
    assert "/v1/messages" in text and "/v1/media" in text and "/v1/contact-check" in text
    assert outside == []
