"""A reading's dashboard as JSON: counts and passages, never a score."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..models import Reading
from ..services.insights import Dashboard, MemberRow, OpenQuestion, Passage, Stretch
from .annotations import timestamp


def passage_url(reading: Reading, passage: Passage) -> str:
    """Into the reader, at the passage (heatmap.js scrolls to it)."""
    anchor = f"passage-{passage.start}-{passage.end}"
    return url_for("readings.show", reading_id=reading.id, _anchor=anchor, _external=True)


def question_url(question: OpenQuestion) -> str:
    anchor = f"annotation-{question.question.id}"
    return url_for(
        "readings.show", reading_id=question.question.reading_id, _anchor=anchor, _external=True
    )


def stretch_json(stretch: Stretch) -> dict[str, int]:
    return {"start": stretch.start, "end": stretch.end, "members": stretch.members}


def _row_json(row: MemberRow) -> dict[str, Any]:
    return {
        "user": {"id": row.user_id, "display_name": row.display_name},
        "role": row.role.value,
        "read": row.read,
        "read_at": timestamp(row.read_at) if row.read_at else None,
        "counts": row.counts,
        "last_activity": timestamp(row.last_activity) if row.last_activity else None,
    }


def _question_json(item: OpenQuestion) -> dict[str, Any]:
    question = item.question
    return {
        "id": question.id,
        "body": question.body_source,
        "quote": question.exact,
        "author": question.author.display_name if question.author else None,
        "votes": item.votes,
        "replies": item.replies,
        "created": timestamp(question.created_at),
        "age_days": item.age.days,
        "url": question_url(item),
    }


def dashboard_json(reading: Reading, room: Dashboard) -> dict[str, Any]:
    return {
        "reading_id": reading.id,
        "members": room.members,
        "read": room.read,
        "rows": [_row_json(row) for row in room.rows],
        "top_passages": [
            {
                "quote": passage.quote,
                "start": passage.start,
                "end": passage.end,
                "members": passage.members,
                "url": passage_url(reading, passage),
            }
            for passage in room.top_passages
        ],
        "open_questions": [_question_json(item) for item in room.open_questions],
        "activity": [
            {"day": day.day.isoformat(), "annotations": day.annotations, "reads": day.reads}
            for day in room.activity
        ],
    }
