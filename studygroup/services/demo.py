"""A demo account and group, so a first run has something to look at."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..models.types import utcnow
from . import groups, readings, schedule, users

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
    email: str
    password: str


def load_demo() -> DemoLogin:
    """Create a facilitator with a fresh random password, a group, and this week's reading."""
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
    return DemoLogin(email=email, password=password)
