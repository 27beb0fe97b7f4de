"""Chromium as the tests and bench/ start it, a tab that records what went wrong in it, and axe-core."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# Debian's Chromium, as the browser tests, the screenshots and Lighthouse start it
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The browser resolves no host name but 127.0.0.1: a request to another host fails in the browser itself, and the
# tests see it in the page's request events (Tab.outside_requests). Intercepting every request in Playwright
# instead would turn off the browser's cache and pass each request through the test process.
ONLY_THIS_HOST = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@dataclass
class Tab:
    """One browser tab, kept open across pages, with what went wrong in it since :meth:`clear`: console errors,
    uncaught exceptions, dialogs (dismissed), requests to another host and requests that failed."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for seen in (self.console_errors, self.page_errors, self.dialogs, self.outside_requests, self.failed_requests):
            seen.clear()

    @property
    def script_problems(self) -> list[str]:
        """What the page's scripts got wrong: console errors, uncaught exceptions and dialogs."""
        return [*self.console_errors, *self.page_errors, *(f"dialog: {message}" for message in self.dialogs)]


def open_tab(browser: Any, **context_options: Any) -> Tab:
    """A new tab in a context of its own (``context_options`` as Playwright's ``new_context`` takes them) that
    records what goes wrong in it."""
    tab = Tab(browser.new_context(**context_options).new_page())

    def requested(request: Any) -> None:
        # the site must not need anything from another host; the browser refuses it (ONLY_THIS_HOST)
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname != "127.0.0.1":
            tab.outside_requests.append(request.url)

    def failed(request: Any) -> None:
        # ERR_ABORTED: a request cut short by leaving the page (the search index, say), not a fault of the page
        if urlsplit(request.url).hostname == "127.0.0.1" and "ERR_ABORTED" not in str(request.failure):
            tab.failed_requests.append(f"{request.url} ({request.failure})")

    def answered(response: Any) -> None:
        if response.status >= 400:
            tab.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def dialog(shown: Any) -> None:
        tab.dialogs.append(shown.message)
        shown.dismiss()

    tab.page.on("request", requested)
    tab.page.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.page.on("dialog", dialog)
    tab.page.on("requestfailed", failed)
    tab.page.on("response", answered)
    return tab


@functools.cache
def axe_script() -> str:
    """axe-core's script, as axe-playwright-python bundles it: nothing is fetched from a CDN."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


# The rules of axe-core's default set whose verdict depends on the colours: all a palette toggle can change, since
# the toggle changes the colours alone (tests/test_browser.py checks that it leaves the article's HTML as it was)
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def start_axe(page: Any, rules: tuple[str, ...] | None = None) -> None:
    """Start axe-core on the whole of a Playwright page without waiting for it, so that several tabs (renderer
    processes) can run it at once; :func:`axe_findings` waits for it. Every rule axe-core turns on by default runs
    (or only ``rules``), none is turned off, and nothing is left out of the page."""
    page.evaluate(axe_script())
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    # axe.run does most of its work before its promise settles; starting it from a timer lets evaluate() return
    page.evaluate(
        "(options) => { window.__axeRun = new Promise((go) => setTimeout(go, 0))"
        ".then(() => axe.run(document, options)); }",
        options,
    )


def axe_findings(page: Any) -> list[str]:
    """Wait for the run :func:`start_axe` started, and describe each violation in a line: its rule, its impact, what
    it asks for and where (at most five places)."""
    found = []
    for violation in page.evaluate("() => window.__axeRun.then((results) => results.violations)"):
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        found.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {'; '.join(targets[:5])}")
    return found
