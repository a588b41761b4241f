"""Readings, revisions and assignments as JSON."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..intake import Intake
from ..models import Assignment, Reading, ReadingRevision
from ..services.revisions import EditOutcome


def assignment_json(assignment: Assignment | None) -> dict[str, Any] | None:
    if assignment is None:
        return None
    due = assignment.due_at
    return {
        "due": due.isoformat() if assignment.due_has_time else due.date().isoformat(),
        "due_has_time": assignment.due_has_time,
        "position": assignment.position,
        "prompts": list(assignment.prompts),
        "post_first": assignment.post_first,
    }


def reading_summary_json(reading: Reading) -> dict[str, Any]:
    """What a list needs: no text, so a library of long articles stays a small response."""
    return {
        "id": reading.id,
        "url": url_for("readings.show", reading_id=reading.id, _external=True),
        "api_url": url_for("api_readings.show", reading_id=reading.id, _external=True),
        "group_id": reading.group_id,
        "title": reading.title,
        "author": reading.author,
        "source_url": reading.source_url,
        "published": reading.published_on.isoformat() if reading.published_on else None,
        "archived": reading.archived_at is not None,
        "revision": reading.current_revision,
        "created_at": reading.created_at.isoformat(),
        "assignment": assignment_json(reading.assignment),
    }


def reading_json(reading: Reading, revision: ReadingRevision, *, read: bool) -> dict[str, Any]:
    """The reading with its current text: `text` is what annotation offsets count in."""
    return {
        **reading_summary_json(reading),
        "format": revision.source_format,
        "source": revision.source,
        "html": revision.html,
        "text": revision.text,
        "read": read,
    }


def outcome_json(outcome: EditOutcome) -> dict[str, Any]:
    return {
        "reanchored": outcome.reanchored,
        "orphaned": outcome.orphaned,
        "still_orphaned": outcome.still_orphaned,
    }


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def outcome_message(outcome: EditOutcome) -> str:
    """The flash after an edit: where the annotations went, in words."""
    if not outcome.revised:
        return "The reading's details have been saved."
    parts = [f"Saved as revision {outcome.revision.number}."]
    if outcome.reanchored or outcome.orphaned:
        parts.append(
            f"{_count(outcome.reanchored, 'annotation', 'annotations')} moved, "
            f"{outcome.orphaned} orphaned."
        )
    if outcome.orphaned:
        parts.append("Orphaned annotations keep their old quote so nothing is lost.")
    if outcome.still_orphaned:
        parts.append(
            _count(outcome.still_orphaned, "annotation stays", "annotations stay") + " orphaned."
        )
    return " ".join(parts)


def preview_json(intake: Intake, details: dict[str, str]) -> dict[str, Any]:
    """What a reading would be, unsaved: its details, sanitized HTML, text and structure."""
    return {
        **details,
        "format": intake.source_format,
        "layout": intake.layout,
        "html": intake.html,
        "text": intake.text,
        "structure": intake.structure.as_dict(),
        "summary": intake.summary,
    }
