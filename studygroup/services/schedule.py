"""Assignments: when a reading is due, in which order, with which prompts; and the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Assignment, Group, Membership, Reading, Role, User
from ..models.types import utcnow
from .changes import reading_changed
from .notifications import notify_assignment, withdraw_assignment
from .prompts import sync_prompt_threads

MAX_PROMPTS = 10
PROMPT_MAX = 500
POSITION_MAX = 9999
THIS_WEEK = timedelta(days=7)
WHOLE_DAY = timedelta(days=1)


class ScheduleError(ValueError):
    """An assignment that cannot be saved, with a message for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Schedule:
    """A group's readings as members look for them: now, next, before, and not yet planned."""

    this_week: list[Assignment]
    upcoming: list[Assignment]
    past: list[Assignment]
    library: list[Reading]
    archived: list[Reading]


def due_from_parts(day: date, at: time | None, timezone: str = "") -> datetime:
    """A due moment from the form's date, optional time and the browser's time zone name.

    A date without a time is a calendar date: stored as midnight UTC and shown as that date.
    """
    if at is None:
        return datetime.combine(day, time(), tzinfo=UTC)
    try:
        zone = ZoneInfo(timezone) if timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC  # no or bad zone from the browser: the form said the time is in UTC
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def deadline(assignment: Assignment) -> datetime:
    """When it stops being due: its time, or the end of its date (UTC) when it has none."""
    return assignment.due_at if assignment.due_has_time else assignment.due_at + WHOLE_DAY


def clean_prompts(prompts: list[str]) -> list[str]:
    """Drop blank prompts and check the rest: a short list of questions."""
    kept = [prompt.strip() for prompt in prompts if prompt.strip()]
    if len(kept) > MAX_PROMPTS:
        raise ScheduleError(f"Use at most {MAX_PROMPTS} prompts.", "prompts")
    if any(len(prompt) > PROMPT_MAX for prompt in kept):
        raise ScheduleError(f"Keep each prompt under {PROMPT_MAX} characters.", "prompts")
    return kept


def assign(
    *,
    reading: Reading,
    due_at: datetime,
    due_has_time: bool,
    position: int | None = None,
    prompts: list[str] | None = None,
    post_first: bool | None = None,
    assigned_by: User,
) -> Assignment:
    """Put a reading on the schedule, or change its place there.

    The group hears about a reading when it is first scheduled, not on every change.
    `post_first` None keeps the assignment's "post before you see" setting as it is.
    """
    if due_at.tzinfo is None:
        raise ScheduleError("Give the due time with its time zone.", "due_date")
    if position is not None and not 1 <= position <= POSITION_MAX:
        raise ScheduleError(f"Use a number from 1 to {POSITION_MAX}.", "position")
    cleaned = clean_prompts(prompts or [])
    is_new = reading.assignment is None
    assignment = reading.assignment or Assignment(reading=reading, group_id=reading.group_id)
    assignment.due_at, assignment.due_has_time = due_at, due_has_time
    assignment.position, assignment.prompts = position, cleaned
    db.session.add(assignment)
    if post_first is not None and post_first != bool(assignment.post_first):
        assignment.post_first = post_first
        reading_changed(reading.id)  # who sees what changes: so does every list's ETag
    sync_prompt_threads(reading=reading, prompts=cleaned, author=assigned_by)
    if is_new:
        notify_assignment(assignment=assignment, assigned_by=assigned_by)
    db.session.commit()
    return assignment


def unassign(*, reading: Reading) -> None:
    """Take a reading off the schedule; it stays in the library."""
    if reading.assignment is not None:
        db.session.delete(reading.assignment)
        reading.assignment = None
        withdraw_assignment(reading=reading)
        sync_prompt_threads(reading=reading, prompts=[], author=None)
        reading_changed(reading.id)  # "post before you see" ends with the assignment
        db.session.commit()


def schedule_for(*, group: Group, now: datetime | None = None) -> Schedule:
    """The group's schedule in two queries: assignments by due date, then the library."""
    now = now or utcnow()
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.group_id == group.id)
        .options(joinedload(Assignment.reading))
        .order_by(Assignment.due_at, Assignment.position.asc().nulls_last(), Assignment.id)
    ).all()
    past = [a for a in assignments if deadline(a) <= now]
    coming = [a for a in assignments if deadline(a) > now]
    library = db.session.scalars(
        select(Reading)
        .outerjoin(Assignment)
        .where(Reading.group_id == group.id, Assignment.id.is_(None))
        .order_by(Reading.created_at.desc(), Reading.id.desc())
    ).all()
    return Schedule(
        this_week=[a for a in coming if a.due_at < now + THIS_WEEK],
        upcoming=[a for a in coming if a.due_at >= now + THIS_WEEK],
        past=past[::-1],
        library=[r for r in library if r.archived_at is None],
        archived=[r for r in library if r.archived_at is not None],
    )


def next_due_for(
    *, user: User, now: datetime | None = None, limit: int | None = 5
) -> list[Assignment]:
    """The user's next due readings across all their groups, soonest first."""
    now = now or utcnow()
    still_due = or_(
        and_(Assignment.due_has_time.is_(True), Assignment.due_at > now),
        and_(Assignment.due_has_time.is_(False), Assignment.due_at > now - WHOLE_DAY),
    )
    return list(
        db.session.scalars(
            select(Assignment)
            .join(Membership, Membership.group_id == Assignment.group_id)
            .where(Membership.user_id == user.id, Membership.role != Role.PENDING, still_due)
            .options(joinedload(Assignment.reading), joinedload(Assignment.group))
            .order_by(Assignment.due_at, Assignment.position.asc().nulls_last(), Assignment.id)
            .limit(limit)
        )
    )
