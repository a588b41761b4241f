"""Where to send a person after a form: back where they came from, but only on this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

# Browsers drop tabs and newlines anywhere in a URL, strip leading and trailing control
# characters and spaces, and read "\" as "/": "/\t/evil.example" is "//evil.example" to them.
_BROWSER_IGNORES = re.compile(r"[\x00-\x20\x7f]")


def is_local_path(target: str) -> bool:
    """Whether a browser would read `target` as a path on this site (not another host)."""
    if _BROWSER_IGNORES.search(target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return target.startswith("/") and not target.startswith("//") and not parts.netloc


def safe_next(default: str) -> str:
    """The `next` parameter when it is a path on this site, otherwise `default`."""
    target = request.args.get("next") or request.form.get("next") or ""
    return target if is_local_path(target) else default
