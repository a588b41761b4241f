"""A demo account and group, so a first run has something to look at."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..models import Annotation, Group, Motivation, Reading, User
from ..models.types import utcnow
from . import groups, questions, readings, schedule, threads, users, votes
from .annotations import Target, create_annotation

DEMO_EMAIL_DOMAIN = "demo.studygroup.invalid"

SAMPLE_TITLE = "Why We Read Together"
SAMPLE_AUTHOR = "The Studygroup collective"
SAMPLE_PROMPTS = [
    "When did reading with other people change your mind about something?",
    "Which of the three habits below does our group practise least, and why?",
]
SAMPLE_ARTICLE = """\
Most of what we read, we read alone: on the bus, late at night, in the ten minutes before \
a meeting. Solitary reading has its pleasures, but it has a blind spot too. When nobody \
else has read the same page, nobody can ask you what you think it *says* \u2014 as opposed \
to what you already believed before you opened it.

## A slower kind of argument

A reading group changes the pace of disagreement. In a feed, an argument lasts as long as \
a scroll; in a circle that meets every Tuesday, it can last a season. People come back to a \
paragraph they dismissed a week earlier and find that it has been quietly working on them. \
The group remembers what each of us said, and so we become a little more careful, and a \
little more honest, about what we claim.

> \u201cWe did not agree by the end of the evening. But for the first time, we were \
disagreeing about the same thing.\u201d

That line, from a member of a tenants\u2019 association that started meeting to read \
housing policy, captures something important. Shared texts give a group a shared object. \
Without one, political conversation drifts towards slogans, because slogans are the only \
thing everyone has in common.

## Three habits that make it work

Groups that last tend to share a few habits, whatever they read:

1. **One text at a time.** A single article, read closely, beats a reading list skimmed \
in a hurry. Depth is what people remember.
2. **Questions before verdicts.** Each meeting opens with questions about the text \u2014 \
what does this sentence mean? what is the author assuming? \u2014 before anyone says whether \
it is right.
3. **Notes in the margin.** Marking a passage before the meeting means the discussion \
starts from the page, not from whoever speaks first or loudest.

None of this is new. Study circles, workers\u2019 education associations and kitchen-table \
book clubs have worked this way for more than a century. What they understood is that \
reading together is not only a way of learning *about* politics; it is a small practice \
*of* it. You listen to people you did not choose. You let a quiet member finish a thought. \
You change your mind in public, which is harder than changing it in private\u2026 and \
worth more.

## What to bring on Tuesday

Bring the text, read once through and once again with a pencil. Bring one passage you \
underlined because you agreed, and one because you did not. Bring a question you could \
not answer on your own. Leave the verdicts at home for an hour; they will still be there \
afterwards, and they may be better for the wait.
"""


@dataclass(frozen=True)
class DemoLogin:
    name: str
    email: str
    password: str


def load_demo() -> list[DemoLogin]:
    """Create a facilitator, a group, this week's reading and two members who have written in
    its margins; every account has a fresh random password (the facilitator's login first)."""
    password = secrets.token_urlsafe(12)
    email = f"facilitator-{secrets.token_hex(3)}@{DEMO_EMAIL_DOMAIN}"
    user = users.create_user(email=email, display_name="Demo Facilitator", password=password)
    group = groups.create_group(
        creator=user,
        name="Tuesday Reading Circle",
        description="A demo group: one article a week, argued over on Tuesdays.",
    )
    reading = readings.create_reading(
        group=group,
        creator=user,
        title=SAMPLE_TITLE,
        author=SAMPLE_AUTHOR,
        source=SAMPLE_ARTICLE,
        source_format="markdown",
    )
    schedule.assign(
        reading=reading,
        due_at=schedule.due_from_parts((utcnow() + timedelta(days=3)).date(), None),
        due_has_time=False,
        position=1,
        prompts=SAMPLE_PROMPTS,
        assigned_by=user,
    )
    members = _start_the_conversation(group, reading, facilitator=user)
    return [DemoLogin("Demo Facilitator", email, password), *members]


def demo_accounts() -> list[User]:
    """The demo's accounts, facilitator first: how `make run` reminds people how to log in."""
    return users.accounts_in_domain(DEMO_EMAIL_DOMAIN)


def reset_passwords() -> list[DemoLogin]:
    """New random passwords for every demo account (the old ones were printed once, only)."""
    logins = []
    for user in demo_accounts():
        password = secrets.token_urlsafe(12)
        users.change_password(user, current=None, new=password)
        logins.append(DemoLogin(user.display_name, user.email, password))
    return logins


def _member(group: Group, name: str) -> tuple[User, DemoLogin]:
    """A demo voice, whose login is printed too: a newcomer can see a member's view."""
    email = f"{name.split()[0].lower()}-{secrets.token_hex(3)}@{DEMO_EMAIL_DOMAIN}"
    password = secrets.token_urlsafe(12)
    member = users.create_user(email=email, display_name=name, password=password)
    groups.join(group, member)
    return member, DemoLogin(name, email, password)


def _annotate(
    reading: Reading,
    author: User,
    motivation: Motivation,
    exact: str,
    *,
    body: str = "",
    color: str | None = None,
) -> Annotation:
    """Annotate the first occurrence of `exact` in the reading's text."""
    start = readings.current_revision(reading).text.index(exact)
    target = Target(start=start, end=start + len(exact), exact=exact)
    return create_annotation(
        reading=reading,
        author=author,
        motivation=motivation,
        target=target,
        body=body,
        color=color,
    )


def _start_the_conversation(
    group: Group, reading: Reading, *, facilitator: User
) -> list[DemoLogin]:
    """Margins with something in them: highlights, a thread, an answered and an open question.
    Returns the members' logins."""
    (rosa, rosa_login), (tomas, tomas_login) = (
        _member(group, "Rosa Lindqvist"),
        _member(group, "Tom\u00e1s Ortega"),
    )
    for who, color in ((rosa, "yellow"), (tomas, "green"), (facilitator, "yellow")):
        _annotate(
            reading, who, Motivation.HIGHLIGHTING, "Depth is what people remember.", color=color
        )
    slogans = _annotate(
        reading,
        tomas,
        Motivation.COMMENTING,
        "slogans are the only thing everyone has in common",
        body="Is that fair? A slogan can also be where a shared vocabulary *starts*.",
    )
    reply = threads.create_reply(
        parent=slogans,
        author=rosa,
        body="Starts, maybe. But a group that only shares slogans has nothing to argue *about*.",
    )
    votes.set_vote(annotation=reply, user=tomas, on=True)
    question = _annotate(
        reading,
        rosa,
        Motivation.QUESTIONING,
        "a small practice of it",
        body="What would practising politics look like in *our* meetings, week to week?",
    )
    votes.set_vote(annotation=question, user=tomas, on=True)
    asked = _annotate(
        reading,
        tomas,
        Motivation.QUESTIONING,
        "kitchen-table book clubs",
        body="Does anyone know a history of these study circles?",
    )
    answer = threads.create_reply(
        parent=asked,
        author=facilitator,
        body="The Swedish study circles of the early 1900s are the classic case; "
        "I'll bring a short piece on them.",
    )
    questions.mark_answer(question=asked, answer=answer, by=tomas)
    return [rosa_login, tomas_login]
