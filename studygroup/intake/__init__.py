"""Intake of readings: detect -> convert -> structure -> sanitize, as small pure steps.

`prepare` is the pipeline every pasted, uploaded or fetched text walks through; only its last
step, rendering.render_reading, sanitizes. Fetching a page from the web lives apart in fetch.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rendering import canonical_text, normalize, render_reading
from . import detect, plaintext
from .structure import Structure, describe, structure_of

__all__ = ["AUTO", "Intake", "prepare"]

AUTO = "auto"


@dataclass(frozen=True)
class Intake:
    """A text ready to store: its resolved format, sanitized HTML, canonical text, structure."""

    source_format: str
    layout: str | None
    html: str
    text: str
    structure: Structure

    @property
    def summary(self) -> str:
        return describe(self.source_format, self.layout, self.structure)


def prepare(source: str, source_format: str = AUTO) -> Intake:
    """Resolve 'auto' by sniffing, lay plain text out as it was published, then sanitize."""
    source = normalize(source)
    if source_format == AUTO:
        source_format = detect.sniff_format(source)
    layout = None
    if source_format == "text":
        layout = detect.paragraph_layout(source)
        html = render_reading(plaintext.to_markup(source, layout), "html")
    else:
        html = render_reading(source, source_format)
    return Intake(source_format, layout, html, canonical_text(html), structure_of(html))
