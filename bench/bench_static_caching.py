"""What immutable, content-hashed static URLs save on the reader's reloads, in Chromium.

Run as `python bench/bench_static_caching.py`. One app serves two loopback ports: (a) as
shipped (`/static/<tree-hash>/...`, cached for a year, immutable) and (b) the same responses
with `Cache-Control: no-cache`, so the browser revalidates every script and style on each
load. Each has its own browser context and tab, which opens the reader once to fill its
cache, then again RELOADS times (navigating to the same URL); the two tabs alternate so
machine load hits both alike. Prints medians to DOMContentLoaded and to "annotations
painted" and counts the static requests that reached the server; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench_reader_paint import CHROMIUM, build_app, launch, log_in, measure, serving

ANNOTATIONS = 100
RELOADS = 10
StartResponse = Callable[..., Any]


class StaticCounter:
    """WSGI middleware counting the static requests that reach the app, by status and file; with
    `no_cache` it replaces their Cache-Control, as a server without hashed URLs would send."""

    def __init__(self, app: Any, *, no_cache: bool) -> None:
        self.app, self.no_cache, self.requests = app, no_cache, Counter[tuple[str, str]]()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not environ["PATH_INFO"].startswith("/static/"):
            return self.app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            self.requests[status.split()[0], environ["PATH_INFO"].split("/", 3)[-1]] += 1
            if self.no_cache:
                headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-cache"))
            return start_response(status, headers, *args)

        return self.app(environ, start)


def main() -> int:
    if not os.path.exists(CHROMIUM):
        print(f"skipped: Chromium not found at {CHROMIUM} (set STUDYGROUP_CHROMIUM)")
        return 0
    from playwright.sync_api import sync_playwright

    labels = {"immutable": False, "no-cache": True}
    with tempfile.TemporaryDirectory() as folder:
        app, email, reading_id = build_app(Path(folder), ANNOTATIONS)
        counters = {label: StaticCounter(app, no_cache=flag) for label, flag in labels.items()}
        with (
            serving(counters["immutable"]) as base_a,
            serving(counters["no-cache"]) as base_b,
            sync_playwright() as playwright,
        ):
            browser = launch(playwright)
            pages = {}
            for label, base in zip(labels, (base_a, base_b), strict=True):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                pages[label] = (log_in(context, base, email), f"{base}/readings/{reading_id}")
                measure(*pages[label])  # the first load fills the cache
                counters[label].requests.clear()
            runs: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
            for _ in range(RELOADS):
                for label, (page, url) in pages.items():
                    runs[label].append(measure(page, url))
            browser.close()

    def median(label: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[label])

    def per_load(label: str) -> float:
        return counters[label].requests.total() / RELOADS

    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(f"reader of a reading with {ANNOTATIONS} annotations, {RELOADS} reloads each; Chromium")
    print(f"machine load: {load:.1f} runnable processes per CPU (figures are noisy above 1)")
    print(f"{'medians from navigation start':<38}{'immutable':>11}{'no-cache':>11}{'ratio':>8}")
    rows = [
        ("to DOMContentLoaded (ms)", lambda label: median(label, "dcl")),
        ('to "annotations painted" (ms)', lambda label: median(label, "painted")),
        ("static requests reaching the server", per_load),
    ]
    for name, figure in rows:
        a, b = figure("immutable"), figure("no-cache")
        ratio = f"{a / b:.2f}" if b else "-"
        print(f"{name:<38}{a:>11.1f}{b:>11.1f}{ratio:>8}")
    for label in labels:
        statuses = Counter[str]()
        for (status, _), n in counters[label].requests.items():
            statuses[status] += n
        files = sorted({file for _, file in counters[label].requests})
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        print(
            f"  {label}: "
            + ", ".join(f"{n}× {s}" for s, n in sorted(statuses.items()))
            + f" over the reloads, for {len(files)} file(s): {shown or 'none'}"
        )
    print("  (Chromium revalidates the tab's icon on every load, even when it is immutable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
