"""Discussion prompts as threads members answer.

Each prompt of an assignment is a page note (an annotation on the reading as a whole) that
holds its prompt number, written in the name of the facilitator who saved the prompts. Replies,
votes, mentions, notifications, moderation and the W3C API then work on prompts unchanged,
because to all of them a prompt is just another thread; only ordering and the "post before
you see" rule (permissions) look at the number.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from ..extensions import db
from ..models import Annotation, Motivation, Reading, User
from ..models.types import utcnow
from .annotations import set_body
from .changes import annotation_changed


def sync_prompt_threads(*, reading: Reading, prompts: list[str], author: User | None) -> None:
    """Give each prompt its thread: keep a thread whose text still matches, start one for a
    new prompt; a dropped prompt's thread goes when nobody answered it, and otherwise stays
    as an ordinary page note, so no answer is ever lost. No commit."""
    threads = db.session.scalars(
        select(Annotation).where(
            Annotation.reading_id == reading.id, Annotation.prompt_index.is_not(None)
        )
    ).all()
    by_text = {thread.body_source: thread for thread in threads}
    for index, prompt in enumerate(prompts):
        thread = by_text.pop(prompt, None) or _new_thread(reading, author, prompt)
        if thread.prompt_index != index:
            thread.prompt_index = index
            annotation_changed(thread)
    for dropped in by_text.values():
        annotation_changed(dropped)
        if _answered(dropped):
            dropped.prompt_index = None
        else:
            db.session.delete(dropped)


def _new_thread(reading: Reading, author: User | None, prompt: str) -> Annotation:
    now = utcnow()
    thread = Annotation(
        reading=reading,
        author=author,
        motivation=Motivation.QUESTIONING,
        created_at=now,
        modified_at=now,
    )
    set_body(thread, prompt, group=reading.group)  # no notices: the schedule itself tells
    db.session.add(thread)
    return thread


def _answered(thread: Annotation) -> bool:
    return bool(db.session.scalar(select(exists().where(Annotation.root_id == thread.id))))
