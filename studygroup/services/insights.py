"""What facilitators see of the room: who read, who wrote what, where the group dwelt.

Read-only aggregates in a constant number of queries, whatever the number of annotations.
Only what the whole group may see counts (`shared_with_group`): a private note is its
author's alone, and a hidden or deleted annotation is not part of the conversation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, joinedload

from ..extensions import db
from ..models import (
    Annotation,
    Assignment,
    Group,
    Membership,
    Motivation,
    Reading,
    ReadMark,
    Role,
    User,
    Vote,
)
from ..models.types import utcnow
from .annotations import shared_with_group
from .readings import current_revision

TOP_PASSAGES = 5
ACTIVE_THREADS = 5
ACTIVITY_DAYS = 14
QUOTE_MAX = 280
KINDS = {
    Motivation.HIGHLIGHTING: "highlights",
    Motivation.COMMENTING: "comments",
    Motivation.QUESTIONING: "questions",
    Motivation.REPLYING: "replies",
}


@dataclass(frozen=True)
class MemberRow:
    """One member's part in a reading: not a grade, so no score and no rank."""

    user_id: int
    display_name: str
    role: Role
    read_at: datetime | None
    counts: dict[str, int]  # highlights, comments, questions, replies
    last_activity: datetime | None

    @property
    def read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class Stretch:
    """A stretch of the text (code points) and how many distinct members marked it."""

    start: int
    end: int
    members: int


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    quote: str
    members: int


@dataclass(frozen=True)
class OpenQuestion:
    question: Annotation
    votes: int
    replies: int

    @property
    def age(self) -> timedelta:
        return utcnow() - self.question.created_at


@dataclass(frozen=True)
class Day:
    day: date
    annotations: int  # written that day (replies included)
    reads: int  # marked read that day


@dataclass(frozen=True)
class ActiveThread:
    root: Annotation
    replies: int
    repliers: int


@dataclass(frozen=True)
class Dashboard:
    rows: list[MemberRow]
    members: int  # in the group, whatever rows the viewer may see
    read: int
    top_passages: list[Passage]
    open_questions: list[OpenQuestion]
    activity: list[Day]


class Fact(NamedTuple):
    """What the aggregates need of one annotation: no bodies, no ORM objects."""

    author_id: int | None
    motivation: Motivation
    root_id: int | None
    start: int | None
    end: int | None
    revision: int | None
    created_at: datetime
    orphaned: bool


def _facts(reading: Reading) -> list[Fact]:
    """Every annotation the group shares on the reading, as plain columns: one query."""
    columns = [getattr(Annotation, name) for name in Fact._fields]
    rows = db.session.execute(
        select(*columns).where(Annotation.reading_id == reading.id, shared_with_group())
    )
    return [Fact(*row) for row in rows]


def _members(reading: Reading) -> list[tuple[int, str, Role]]:
    rows = db.session.execute(
        select(User.id, User.display_name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == reading.group_id,
            Membership.role.in_((Role.MEMBER, Role.FACILITATOR)),
        )
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    return [(user_id, name, role) for user_id, name, role in rows]


def _read_marks(reading: Reading) -> dict[int, datetime]:
    rows = db.session.execute(
        select(ReadMark.user_id, ReadMark.read_at).where(ReadMark.reading_id == reading.id)
    ).all()
    return {user_id: read_at for user_id, read_at in rows}


def _passages(facts: list[Fact], *, revision: int) -> list[tuple[int | None, int, int]]:
    """(author, start, end) of the anchored passages among the facts (replies have none)."""
    return [
        (fact.author_id, fact.start, fact.end)
        for fact in facts
        if fact.root_id is None
        and fact.start is not None
        and fact.end is not None
        and not fact.orphaned
        and fact.revision == revision
    ]


def heat(passages: list[tuple[int | None, int, int]]) -> list[Stretch]:
    """Sweep the passages' boundaries, counting distinct authors over each stretch."""
    events: list[tuple[int, int, int]] = []
    for index, (author_id, start, end) in enumerate(passages):
        if end <= start:
            continue
        who = author_id if author_id is not None else -1 - index  # a departed account
        events.append((start, 1, who))
        events.append((end, -1, who))
    events.sort()
    active: dict[int, int] = {}
    stretches: list[Stretch] = []
    i, total = 0, len(events)
    while i < total:
        here = events[i][0]
        while i < total and events[i][0] == here:
            _, delta, who = events[i]
            count = active.get(who, 0) + delta
            if count:
                active[who] = count
            else:
                del active[who]
            i += 1
        if i == total or not active:
            continue
        following, members = events[i][0], len(active)
        if stretches and stretches[-1].end == here and stretches[-1].members == members:
            stretches[-1] = Stretch(stretches[-1].start, following, members)
        else:
            stretches.append(Stretch(here, following, members))
    return stretches


def _quote(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Widen a stretch to whole words, and keep the quote short enough to print."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    quote = " ".join(text[start:end].split())
    if len(quote) > QUOTE_MAX:
        quote = quote[: QUOTE_MAX - 1].rstrip() + "…"
    return start, end, quote


def top_passages(stretches: list[Stretch], text: str) -> list[Passage]:
    """The stretches most members marked, most first (longer first among equals)."""
    ranked = sorted(stretches, key=lambda s: (-s.members, -(s.end - s.start), s.start))
    passages = []
    for stretch in ranked[:TOP_PASSAGES]:
        start, end, quote = _quote(text, stretch.start, stretch.end)
        passages.append(Passage(start=start, end=end, quote=quote, members=stretch.members))
    return passages


def heatmap(*, reading: Reading) -> list[Stretch]:
    """The reading's heat strip: one query, for the anchored passages only."""
    rows = db.session.execute(
        select(Annotation.author_id, Annotation.start, Annotation.end).where(
            Annotation.reading_id == reading.id,
            Annotation.parent_id.is_(None),
            Annotation.revision == reading.current_revision,
            Annotation.orphaned.is_(False),
            Annotation.start.is_not(None),
            shared_with_group(),
        )
    )
    return heat([(author_id, start or 0, end or 0) for author_id, start, end in rows])


def open_questions(*, reading: Reading) -> list[OpenQuestion]:
    """Unanswered questions the group shares, the longest waiting first: one query."""
    reply = aliased(Annotation)
    votes = select(func.count(Vote.id)).where(Vote.annotation_id == Annotation.id).scalar_subquery()
    replies = (
        select(func.count(reply.id))
        .where(reply.root_id == Annotation.id, reply.deleted_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Annotation, votes, replies)
        .options(joinedload(Annotation.author))
        .where(
            Annotation.reading_id == reading.id,
            Annotation.motivation == Motivation.QUESTIONING,
            Annotation.parent_id.is_(None),
            Annotation.answer_id.is_(None),
            shared_with_group(),
        )
        .order_by(Annotation.created_at, Annotation.id)
    ).all()
    return [OpenQuestion(question=q, votes=v, replies=r) for q, v, r in rows]


def _activity(reading: Reading, facts: list[Fact], reads: dict[int, datetime]) -> list[Day]:
    """Writing and reading per day over the fortnight up to the due date (or up to today)."""
    assignment = reading.assignment
    last = (assignment.due_at if assignment else utcnow()).date()
    first = last - timedelta(days=ACTIVITY_DAYS - 1)
    written = Counter(fact.created_at.date() for fact in facts)
    read = Counter(moment.date() for moment in reads.values())
    days = (first + timedelta(days=n) for n in range(ACTIVITY_DAYS))
    return [Day(day=d, annotations=written[d], reads=read[d]) for d in days]


def _rows(
    members: list[tuple[int, str, Role]], facts: list[Fact], reads: dict[int, datetime]
) -> list[MemberRow]:
    counts: dict[int, Counter[str]] = {}
    last: dict[int, datetime] = dict(reads)
    for fact in facts:
        if fact.author_id is None:
            continue
        counts.setdefault(fact.author_id, Counter())[KINDS[fact.motivation]] += 1
        if fact.author_id not in last or last[fact.author_id] < fact.created_at:
            last[fact.author_id] = fact.created_at
    return [
        MemberRow(
            user_id=user_id,
            display_name=name,
            role=role,
            read_at=reads.get(user_id),
            counts={kind: counts.get(user_id, Counter())[kind] for kind in KINDS.values()},
            last_activity=last.get(user_id),
        )
        for user_id, name, role in members
    ]


def dashboard(*, reading: Reading, only_user_id: int | None = None) -> Dashboard:
    """The room for one reading: five queries. `only_user_id` keeps just that member's row."""
    facts = _facts(reading)
    members = _members(reading)
    reads = _read_marks(reading)
    text = current_revision(reading).text
    rows = _rows(members, facts, reads)
    if only_user_id is not None:
        rows = [row for row in rows if row.user_id == only_user_id]
    member_ids = {user_id for user_id, _, _ in members}
    return Dashboard(
        rows=rows,
        members=len(members),
        read=len(member_ids & reads.keys()),
        top_passages=top_passages(heat(_passages(facts, revision=reading.current_revision)), text),
        open_questions=open_questions(reading=reading),
        activity=_activity(reading, facts, reads),
    )


def active_threads(*, reading: Reading) -> list[ActiveThread]:
    """The threads with the most shared replies, and how many people replied: 2 queries."""
    rows = db.session.execute(
        select(
            Annotation.root_id,
            func.count(Annotation.id),
            func.count(func.distinct(Annotation.author_id)),
        )
        .where(Annotation.reading_id == reading.id, Annotation.root_id.is_not(None))
        .where(shared_with_group())
        .group_by(Annotation.root_id)
        .order_by(func.count(Annotation.id).desc(), Annotation.root_id)
        .limit(ACTIVE_THREADS)
    ).all()
    roots = {
        root.id: root
        for root in db.session.scalars(
            select(Annotation)
            .options(joinedload(Annotation.author))
            .where(Annotation.id.in_([root_id for root_id, _, _ in rows]), shared_with_group())
        )
    }
    return [
        ActiveThread(root=roots[root_id], replies=count, repliers=repliers)
        for root_id, count, repliers in rows
        if root_id in roots
    ]


@dataclass(frozen=True)
class ReadingSummary:
    """One scheduled reading in the group's overview."""

    reading: Reading
    read: int
    annotations: int
    open_questions: int


@dataclass(frozen=True)
class GroupOverview:
    members: int
    readings: list[ReadingSummary]  # by due date, latest first


def group_overview(*, group: Group) -> GroupOverview:
    """Each scheduled reading's read marks, shared annotations and open questions: 4 queries."""
    scheduled = list(
        db.session.scalars(
            select(Reading)
            .join(Assignment, Assignment.reading_id == Reading.id)
            .options(joinedload(Reading.assignment))
            .where(Reading.group_id == group.id)
            .order_by(Assignment.due_at.desc(), Reading.id)
        ).unique()
    )
    member_ids = select(Membership.user_id).where(
        Membership.group_id == group.id, Membership.role.in_((Role.MEMBER, Role.FACILITATOR))
    )
    members = db.session.scalar(select(func.count()).select_from(member_ids.subquery())) or 0
    ids = [reading.id for reading in scheduled]
    reads = dict(
        db.session.execute(
            select(ReadMark.reading_id, func.count())
            .where(ReadMark.reading_id.in_(ids), ReadMark.user_id.in_(member_ids))
            .group_by(ReadMark.reading_id)
        ).all()
    )
    is_open = and_(
        Annotation.motivation == Motivation.QUESTIONING,
        Annotation.parent_id.is_(None),
        Annotation.answer_id.is_(None),
    )
    counts = {
        reading_id: (total, open_count)
        for reading_id, total, open_count in db.session.execute(
            select(
                Annotation.reading_id,
                func.count(Annotation.id),
                func.coalesce(func.sum(case((is_open, 1), else_=0)), 0),
            )
            .where(Annotation.reading_id.in_(ids), shared_with_group())
            .group_by(Annotation.reading_id)
        ).all()
    }
    return GroupOverview(
        members=members,
        readings=[
            ReadingSummary(
                reading=reading,
                read=reads.get(reading.id, 0),
                annotations=counts.get(reading.id, (0, 0))[0],
                open_questions=counts.get(reading.id, (0, 0))[1],
            )
            for reading in scheduled
        ],
    )
