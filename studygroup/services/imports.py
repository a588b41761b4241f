"""Import annotations made elsewhere into a reading: every passage found again by its quote in
our text (or kept as an orphan, never guessed), threads rebuilt, all in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from ..anchoring import describe, locate
from ..extensions import db
from ..models import Annotation, Reading, ReadingRevision, User, Visibility
from ..models.types import utcnow
from ..w3c.parse import Imported
from .annotations import PASSAGE_MOTIVATIONS, AnnotationError, set_body
from .changes import annotation_changed, reading_changed
from .readings import current_revision


@dataclass
class ImportSummary:
    """What an import did: the API answers with it, the page shows it."""

    imported: int = 0
    orphaned: int = 0
    skipped: list[dict[str, str | None]] = field(default_factory=list)

    def skip(self, item: Imported, reason: str) -> None:
        self.skipped.append({"annotation": item.iri, "reason": reason})


def _place(annotation: Annotation, item: Imported, revision: ReadingRevision) -> bool:
    """Find the quote in our text; an orphan keeps its quote (and its hint) when it is not
    there, as an edit's orphans do. Returns whether it was placed."""
    assert item.exact is not None  # noqa: S101 (passages only)
    text = revision.text
    found = locate(text, item.exact, item.prefix, item.suffix, hint=item.hint)
    annotation.revision = revision.number
    if found is None:
        start = item.hint or 0
        annotation.start, annotation.end = start, start + len(item.exact)
        annotation.exact, annotation.prefix, annotation.suffix = (
            item.exact,
            item.prefix,
            item.suffix,
        )
        annotation.orphaned = True
        return False
    selector = describe(text, *found)
    annotation.start, annotation.end = selector.start, selector.end
    annotation.exact, annotation.prefix = selector.exact, selector.prefix
    annotation.suffix = selector.suffix
    return True


def _new(item: Imported, *, reading: Reading, author: User) -> Annotation:
    """The annotation with its text and states; mentions are rendered, never notified."""
    now = utcnow()
    annotation = Annotation(
        reading=reading,
        author=author,
        motivation=item.motivation,
        visibility=item.visibility,
        color=item.color,
        created_at=now,
        modified_at=now,
        original_creator=item.creator or None,
    )
    if item.deleted:  # a tombstone kept for its replies
        annotation.deleted_at, annotation.body_source, annotation.body_html = now, "", ""
    else:
        set_body(annotation, item.body, group=reading.group)
    if item.hidden:
        annotation.hidden_at, annotation.hidden_by_id = now, author.id
        annotation.hidden_reason = item.hidden_reason[:500]
    return annotation


def _answer(question: Annotation, item: Imported, created: Mapping[str, Annotation]) -> None:
    answer = created.get(item.answer or "")
    if answer is not None and answer.root_id == question.id and not answer.is_deleted:
        question.answer_id, question.answered_at = answer.id, utcnow()


@dataclass
class _Import:
    """One import's state: what it made so far, by the IRI each had where it came from."""

    reading: Reading
    importer: User
    summary: ImportSummary = field(default_factory=ImportSummary)
    created: dict[str, Annotation] = field(default_factory=dict)

    def make(self, item: Imported, place: Callable[[Annotation], None]) -> None:
        """Build, place and add one annotation, or skip it saying why."""
        try:
            annotation = _new(item, reading=self.reading, author=self.importer)
        except AnnotationError as error:
            self.summary.skip(item, str(error))
            return
        place(annotation)
        db.session.add(annotation)
        self.summary.imported += 1
        if item.iri:
            self.created[item.iri] = annotation

    def passages(self, passages: list[Imported]) -> None:
        """Passages and page notes, each found again by its quote or kept as an orphan."""
        revision = current_revision(self.reading)

        def place(annotation: Annotation, item: Imported) -> None:
            if item.exact is not None and not _place(annotation, item, revision):
                self.summary.orphaned += 1

        for item in passages:
            if item.motivation not in PASSAGE_MOTIVATIONS:
                self.summary.skip(item, f"A {item.motivation.value} annotation needs a passage.")
            else:
                self.make(item, partial(place, item=item))
        db.session.flush()

    def replies(self, replies: list[Imported]) -> None:
        """Replies in any order: each round adds those whose parent is already in."""
        waiting = replies
        while ready := [item for item in waiting if item.parent in self.created]:
            for item in ready:
                self.make(item, partial(_thread, parent=self.created[item.parent or ""]))
            db.session.flush()
            done = {id(item) for item in ready}
            waiting = [item for item in waiting if id(item) not in done]
        for item in waiting:
            self.summary.skip(item, "Its parent annotation is not in the import.")

    def states(self, passages: list[Imported]) -> None:
        """Locks and answers, once every reply has its id."""
        for item in passages:
            question = self.created.get(item.iri or "")
            if question is not None:
                question.locked_at = utcnow() if item.locked else None
                _answer(question, item, self.created)


def _thread(reply: Annotation, parent: Annotation) -> None:
    """A reply joins its parent's thread and takes its root's visibility."""
    root = db.session.get(Annotation, parent.thread_id)  # in the session: no query
    reply.parent_id, reply.root_id = parent.id, parent.thread_id
    reply.visibility = root.visibility if root is not None else Visibility.GROUP


def import_annotations(
    *,
    reading: Reading,
    importer: User,
    items: list[Imported],
) -> ImportSummary:
    """Import into the reading's current text, as the importer's work with each creator's
    name kept (exports carry no emails to map authors by). Everything is committed at once,
    or (on any error) nothing."""
    work = _Import(reading, importer)
    passages = [item for item in items if item.parent is None]
    try:
        work.passages(passages)
        work.replies([item for item in items if item.parent is not None])
        work.states(passages)
        _changed(reading, list(work.created.values()))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return work.summary


def _changed(reading: Reading, created: list[Annotation]) -> None:
    """Open readers notice: the group's list, and each author's own private notes."""
    if created:
        reading_changed(reading.id)
    private = {a.author_id: a for a in created if a.visibility is Visibility.PRIVATE}
    for annotation in private.values():
        annotation_changed(annotation)
