"""Assignments and the schedule: due dates with optional times, prompts, this week/upcoming/past."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, Assignment, Group, Motivation, Reading, Role, User
from studygroup.models.types import utcnow
from studygroup.services import demo, groups, readings, schedule
from tests.conftest import Factory, signed_in_client


@dataclass
class Plan:
    app: Flask
    group: Group
    facilitator: User
    member: User
    factory: Factory

    def client(self, user: User) -> FlaskClient:
        return signed_in_client(self.app, user)

    def reading(self, title: str, group: Group | None = None) -> int:
        return self.factory.reading(group or self.group, self.facilitator, title=title).id

    def due(self, reading_id: int, due_at: datetime, *, has_time: bool = True, **kw: Any) -> None:
        with self.app.app_context():
            reading = db.session.get(Reading, reading_id)
            facilitator = db.session.get(User, self.facilitator.id)
            schedule.assign(
                reading=reading,
                due_at=due_at,
                due_has_time=has_time,
                assigned_by=facilitator,
                **kw,
            )

    def assignment(self, reading_id: int) -> Assignment | None:
        with self.app.app_context():
            found = db.session.scalar(select(Assignment).where(Assignment.reading_id == reading_id))
            if found is not None:
                db.session.expunge(found)
            return found


@pytest.fixture
def plan(app: Flask, factory: Factory) -> Plan:
    facilitator, member = factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    return Plan(app, group, facilitator, member, factory)


@pytest.mark.parametrize(
    ("fields", "due_at", "has_time"),
    [
        ({"due_date": "2031-03-04"}, datetime(2031, 3, 4, tzinfo=UTC), False),
        (
            {"due_date": "2031-03-04", "due_time": "19:30", "timezone": "Europe/Berlin"},
            datetime(2031, 3, 4, 18, 30, tzinfo=UTC),
            True,
        ),
        (
            {"due_date": "2031-07-04", "due_time": "19:30", "timezone": "America/New_York"},
            datetime(2031, 7, 4, 23, 30, tzinfo=UTC),
            True,
        ),
        (
            {"due_date": "2031-03-04", "due_time": "19:30", "timezone": "Not/AZone"},
            datetime(2031, 3, 4, 19, 30, tzinfo=UTC),
            True,
        ),
    ],
    ids=["date-only", "berlin-winter", "new-york-summer", "unknown-zone-is-utc"],
)
def test_facilitator_schedules_a_reading(plan, fields, due_at, has_time):
    reading_id = plan.reading("Essay")
    data = {**fields, "position": "3", "prompts": "What is argued?\n\n  Do you agree?  \n"}
    response = plan.client(plan.facilitator).post(f"/readings/{reading_id}/schedule", data=data)
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/groups/{plan.group.id}"
    assignment = plan.assignment(reading_id)
    assert assignment is not None
    assert (assignment.due_at, assignment.due_has_time) == (due_at, has_time)
    assert assignment.position == 3
    assert assignment.prompts == ["What is argued?", "Do you agree?"]
    assert assignment.group_id == plan.group.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the date it is due."),
        ({"due_date": "04/03/2031"}, "Not a valid date value."),
        ({"due_date": "2031-03-04", "due_time": "7pm"}, "Not a valid time value."),
        ({"due_date": "2031-03-04", "position": "0"}, "Number must be between 1 and 9999."),
        ({"due_date": "2031-03-04", "prompts": "\n".join("?" * 11)}, "Use at most 10 prompts."),
        ({"due_date": "2031-03-04", "prompts": "x" * 501}, "under 500 characters"),
    ],
    ids=["no-date", "bad-date", "bad-time", "position-zero", "too-many-prompts", "long-prompt"],
)
def test_bad_schedules_are_explained_and_not_saved(plan, data, message):
    reading_id = plan.reading("Essay")
    response = plan.client(plan.facilitator).post(f"/readings/{reading_id}/schedule", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert plan.assignment(reading_id) is None


def test_editing_a_schedule_prefills_the_form_and_saves_changes(plan):
    reading_id = plan.reading("Essay")
    plan.due(reading_id, datetime(2031, 3, 4, 18, 30, tzinfo=UTC), prompts=["Why?"], position=2)
    client = plan.client(plan.facilitator)
    page = client.get(f"/readings/{reading_id}/schedule").text
    assert 'value="2031-03-04"' in page and 'value="18:30"' in page and "Why?</textarea>" in page
    assert 'data-due-utc="2031-03-04T18:30:00+00:00"' in page  # the script shows local time
    response = client.post(
        f"/readings/{reading_id}/schedule",
        data={"due_date": "2031-04-01", "due_time": "", "position": "", "prompts": ""},
    )  # emptied fields, as a browser sends them
    assert response.status_code == 302
    assignment = plan.assignment(reading_id)
    assert assignment is not None
    assert (assignment.due_at, assignment.due_has_time) == (datetime(2031, 4, 1, tzinfo=UTC), False)
    assert (assignment.position, assignment.prompts) == (None, [])


def test_unassigning_keeps_the_reading_in_the_library(plan):
    reading_id = plan.reading("Keep me")
    plan.due(reading_id, utcnow() + timedelta(days=2))
    client = plan.client(plan.facilitator)
    response = client.post(f"/readings/{reading_id}/schedule/remove")
    assert response.status_code == 302
    assert plan.assignment(reading_id) is None
    with plan.app.app_context():
        assert db.session.get(Reading, reading_id) is not None
    page = client.get(f"/groups/{plan.group.id}").text
    library = page[page.index('id="library"') :]
    assert "Keep me" in library


def test_a_group_without_readings_says_so_once(plan):
    def page(user: User) -> str:
        return plan.client(user).get(f"/groups/{plan.group.id}").text

    facilitator, member = page(plan.facilitator), page(plan.member)
    for html in (facilitator, member):
        assert 'id="library"' not in html and "This week" not in html
    assert 'class="empty"' not in facilitator
    assert "Add the first reading" in facilitator
    assert f'href="/groups/{plan.group.id}/readings/new">Add the first reading</a>' in facilitator
    assert "Nothing to read yet: your facilitators will add the first reading." in member
    assert member.count('class="empty"') == 1
    assert "Add the first reading" not in member


def test_the_library_says_why_it_is_empty(plan):
    def library(user: User) -> str:
        page = plan.client(user).get(f"/groups/{plan.group.id}").text
        return page[page.index('id="library"') :]

    plan.due(plan.reading("Scheduled"), utcnow() + timedelta(days=2))
    for user in (plan.facilitator, plan.member):
        assert "Every reading is on the schedule." in library(user)
        assert "Nothing to read yet" not in library(user)
    assert "to have another one ready" in library(plan.facilitator)
    assert "to have another one ready" not in library(plan.member)


def test_the_schedule_is_split_into_this_week_upcoming_past_and_library(plan):
    now = datetime(2031, 3, 10, 12, 0, tzinfo=UTC)
    ids = {title: plan.reading(title) for title in ("soon", "today", "later", "gone", "lib")}
    plan.due(ids["soon"], now + timedelta(days=3))
    plan.due(ids["today"], datetime(2031, 3, 10, tzinfo=UTC), has_time=False)  # due by day's end
    plan.due(ids["later"], now + timedelta(days=20))
    plan.due(ids["gone"], now - timedelta(hours=1))
    with plan.app.app_context():
        split = schedule.schedule_for(group=db.session.get(Group, plan.group.id), now=now)
        titles = {
            part: [a.reading.title for a in getattr(split, part)]
            for part in ("this_week", "upcoming", "past")
        }
        library = [r.title for r in split.library]
    assert titles == {"this_week": ["today", "soon"], "upcoming": ["later"], "past": ["gone"]}
    assert library == ["lib"]


def test_the_group_page_shows_due_dates_as_local_time_elements(plan):
    reading_id = plan.reading("Tonight's essay")
    due_at = (utcnow() + timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)
    plan.due(reading_id, due_at, prompts=["First?", "Second?"], position=1)
    page = plan.client(plan.member).get(f"/groups/{plan.group.id}").text
    this_week = page[page.index('id="this-week-heading"') : page.index('id="upcoming-heading"')]
    assert "Tonight&#39;s essay" in this_week
    stamp = re.search(r'<time datetime="([^"]+)" data-local-time="datetime">([^<]+)</time>', page)
    assert stamp is not None
    assert datetime.fromisoformat(stamp.group(1)) == due_at
    assert stamp.group(2).endswith("18:00 UTC")  # the fallback before the script runs
    assert "2 discussion prompts" in this_week
    assert "js/local-time.js" in page
    assert "Add a reading" not in page and "Change schedule" not in page  # member view


def test_prompts_and_due_date_are_shown_on_the_reader_page(plan):
    reading_id = plan.reading("Essay")
    plan.due(reading_id, datetime(2031, 3, 4, tzinfo=UTC), has_time=False, prompts=["Why <now>?"])
    page = plan.client(plan.member).get(f"/readings/{reading_id}").text
    head = page[: page.index('id="reader"')]
    assert '<time datetime="2031-03-04" data-local-time="date">Tue 4 Mar 2031</time>' in head
    assert "<li>Why &lt;now&gt;?</li>" in head


def test_home_shows_my_next_due_readings_across_groups(plan):
    other = plan.factory.group(plan.facilitator, name="Second circle")
    plan.factory.member(other, plan.member)
    hidden = plan.factory.group(plan.facilitator, name="Not mine")
    now = utcnow()
    plan.due(plan.reading("A soon"), now + timedelta(days=1))
    plan.due(plan.reading("B later", other), now + timedelta(days=9))
    plan.due(plan.reading("C past"), now - timedelta(days=2))
    plan.due(plan.reading("E not my group", hidden), now + timedelta(days=1))
    plan.reading("F unscheduled")
    page = plan.client(plan.member).get("/").text
    next_up = page[page.index('id="next-due-heading"') : page.index("<h2>Groups</h2>")]
    titles = re.findall(r'<a href="/readings/\d+">([^<]+)</a>', next_up)
    assert titles == ["A soon", "B later"]
    assert "Second circle" in next_up


def test_home_has_nothing_due_message(plan):
    page = plan.client(plan.member).get("/").text
    assert "Nothing is due in your groups right now." in page


def test_due_from_parts_reads_the_browser_zone():
    day, at = date(2031, 1, 15), time(9, 0)
    assert schedule.due_from_parts(day, at, "Asia/Tokyo") == datetime(2031, 1, 15, 0, tzinfo=UTC)
    assert schedule.due_from_parts(day, None, "Asia/Tokyo") == datetime(2031, 1, 15, tzinfo=UTC)
    assert schedule.due_from_parts(day, at, "") == datetime(2031, 1, 15, 9, tzinfo=UTC)


def test_the_demo_has_a_sample_article_due_this_week(app):
    with app.app_context():
        demo.load_demo()
        reading = db.session.scalars(select(Reading)).one()
        split = schedule.schedule_for(group=reading.group)
        html = readings.current_revision(reading).html
        assert [a.reading_id for a in split.this_week] == [reading.id]
        assert len(reading.assignment.prompts) == 2
    for element in ("<blockquote>", "<ol>", "<h2>"):
        assert element in html
    for character in ("\u201c", "\u2019", "\u2014", "\u2026"):
        assert character in html


def test_the_demo_margins_already_hold_a_conversation(app):
    with app.app_context():
        demo.load_demo()
        every = db.session.scalars(select(Annotation)).all()
        rows = [r for r in every if not r.is_prompt]  # the two prompts are threads too
        assert sorted(r.prompt_index for r in every if r.is_prompt) == [0, 1]
        text = readings.current_revision(rows[0].reading).text
        passages = [r for r in rows if not r.is_reply]
        assert all(text[r.start : r.end] == r.exact and not r.orphaned for r in passages)
        kinds = sorted(r.motivation.value for r in rows)
        questions = [r for r in passages if r.motivation is Motivation.QUESTIONING]
        members = len(groups.members_of(rows[0].reading.group))
    assert kinds == ["commenting"] + ["highlighting"] * 3 + ["questioning"] * 2 + ["replying"] * 2
    assert sorted(q.answer_id is not None for q in questions) == [False, True]
    assert members == 3


def test_scheduling_a_reading_tells_the_members_once(plan):
    from studygroup.models import Notification

    reading_id = plan.reading("Week one")
    facilitator = plan.client(plan.facilitator)
    form = {"due_date": "2030-01-01", "prompts": ""}
    assert facilitator.post(f"/readings/{reading_id}/schedule", data=form).status_code == 302
    assert facilitator.post(f"/readings/{reading_id}/schedule", data=form).status_code == 302
    with plan.app.app_context():
        notified = db.session.scalars(select(Notification)).all()
        assert [(n.recipient_id, n.kind.value) for n in notified] == [
            (plan.member.id, "assignment")
        ]


def test_each_group_card_on_home_shows_its_next_reading(plan):
    soon, later = plan.reading("Soon"), plan.reading("Later")
    plan.due(later, utcnow() + timedelta(days=9))
    plan.due(soon, utcnow() + timedelta(days=2))
    quiet = plan.factory.group(plan.member, name="Quiet Circle")
    page = plan.client(plan.member).get("/").get_data(as_text=True)
    cards = page.split('class="card"')[1:]
    circle = next(card for card in cards if plan.group.name in card)
    assert "Next: <a" in circle and ">Soon</a>" in circle and "Later" not in circle
    assert "Nothing is due." in next(card for card in cards if quiet.name in card)
