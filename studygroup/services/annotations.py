"""Annotations on a reading: create, edit, delete, reattach, and list what a viewer may see."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select, update
from sqlalchemy.orm import joinedload

from ..anchoring import Reanchorer, Selector, describe, quote_matches
from ..extensions import db
from ..models import Annotation, AnnotationEdit, Group, Motivation, Reading, Role, User, Visibility
from ..models.types import utcnow
from ..permissions import Actor, can_see, visible_to
from .changes import annotation_changed, reading_changed
from .mentions import mentioned_members, render_with_mentions
from .notifications import notify_mentions
from .readings import current_revision, revision_of

COLORS = frozenset({"yellow", "green", "blue", "pink", "purple"})
MAX_BODY_LENGTH = 10_000
# What annotates a passage; replies (services.threads) annotate another annotation.
PASSAGE_MOTIVATIONS = frozenset(
    {Motivation.HIGHLIGHTING, Motivation.COMMENTING, Motivation.QUESTIONING}
)


class AnnotationError(ValueError):
    """Input that cannot become a valid annotation; the API answers 422 with the message."""


class Keep(enum.Enum):
    """Marks a field an update leaves alone, since None is a real value for some fields."""

    KEEP = enum.auto()


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Target:
    """The passage a client names: both selectors, which must agree on the current text."""

    start: int
    end: int
    exact: str
    revision: int | None = None  # the revision the client saw; None: the current one


class StaleTargetError(AnnotationError):
    """The passage, chosen on an older revision, has no safe place in the current text."""


@dataclass(frozen=True)
class CollectionStamp:
    """What a viewer's annotation list depends on; equal stamps mean an identical list."""

    reading_id: int
    revision: int
    version: int  # Reading.annotation_version: bumped by every change the group sees
    private_version: int  # User.private_version: the viewer's own private notes
    viewer_id: int | None
    role: Role | None  # facilitators see hidden bodies, so a role change changes the list


def shared_with_group() -> ColumnElement[bool]:
    """SQL for what counts in the group's aggregates (dashboards, heatmaps): what every member
    may see (can_see: private notes are their author's alone) and is still in the
    conversation (neither deleted nor hidden by a facilitator); a prompt is the facilitator's
    question to the room, not something the room shared (its answers count)."""
    return and_(
        Annotation.visibility == Visibility.GROUP,
        Annotation.prompt_index.is_(None),
        Annotation.deleted_at.is_(None),
        Annotation.hidden_at.is_(None),
    )


def get_annotation(annotation_id: int) -> Annotation | None:
    """One annotation with its reading and author, for a view that then checks permission."""
    return db.session.get(
        Annotation,
        annotation_id,
        options=[joinedload(Annotation.reading), joinedload(Annotation.author)],
    )


def visible_annotations(*, reading: Reading, actor: Actor) -> list[Annotation]:
    """Every annotation the actor may see, passages in document order, then replies by age;
    authors loaded: one query."""
    rows = db.session.scalars(
        select(Annotation)
        .options(joinedload(Annotation.author))
        .where(Annotation.reading_id == reading.id, visible_to(actor.user_id))
        .order_by(
            Annotation.parent_id.is_not(None),
            Annotation.start.is_not(None),  # page notes first, whatever the database does with NULL
            Annotation.prompt_index.is_(None),  # and among them the prompts, in their order
            Annotation.prompt_index,
            Annotation.start,
            Annotation.end,
            Annotation.id,
        )
    )
    # The query narrows; can_see stays the rule, so the two can never disagree silently.
    return [annotation for annotation in rows if can_see(actor, annotation)]


def visible_count(*, reading: Reading, actor: Actor) -> int:
    """How many of the reading's annotations the viewer may see (a minimal container's total)."""
    query = select(func.count(Annotation.id)).where(
        Annotation.reading_id == reading.id, visible_to(actor.user_id)
    )
    return db.session.scalar(query) or 0


def collection_stamp(*, reading: Reading, actor: Actor) -> CollectionStamp:
    """From rows the request already loaded (the reading, the viewer): no query at all."""
    viewer = db.session.get(User, actor.user_id) if actor.user_id is not None else None
    return CollectionStamp(
        reading_id=reading.id,
        revision=reading.current_revision,
        version=reading.annotation_version,
        private_version=viewer.private_version if viewer is not None else 0,
        viewer_id=actor.user_id,
        role=actor.role,
    )


def _checked(text: str, number: int, target: Target) -> Selector:
    """The client's selectors, checked against the text of revision `number`."""
    if target.start >= target.end:
        raise AnnotationError("The TextPositionSelector's start must be less than its end.")
    if target.start < 0 or target.end > len(text):
        raise AnnotationError(
            f"The TextPositionSelector {target.start}-{target.end} lies outside the text "
            f"(revision {number} has {len(text)} characters)."
        )
    if not quote_matches(text, target.start, target.end, target.exact):
        raise AnnotationError(
            f"The TextQuoteSelector's 'exact' does not match the text at {target.start}-"
            f"{target.end} of revision {number}; reload the reading."
        )
    return describe(text, target.start, target.end)


def _selector_now(reading: Reading, target: Target) -> Selector:
    """The passage in the current text; one chosen on an older revision is moved there as
    an edit moves annotations, or refused when it cannot be placed safely."""
    current = current_revision(reading)
    if target.revision is None or target.revision == current.number:
        return _checked(current.text, current.number, target)
    try:
        old = revision_of(reading, target.revision)
    except LookupError:
        raise AnnotationError(f"This reading has no revision {target.revision}.") from None
    moved = Reanchorer(old.text, current.text).reanchor(_checked(old.text, old.number, target))
    if moved is None:
        raise StaleTargetError(
            "The text was edited while you wrote, and this passage is no longer in it. "
            "Reload to see the new version, then select the passage again."
        )
    return moved


def _anchor(annotation: Annotation, reading: Reading, target: Target) -> None:
    """Check the client's selectors, then store ours, on the current revision."""
    selector = _selector_now(reading, target)
    annotation.revision = reading.current_revision
    annotation.start, annotation.end = selector.start, selector.end
    annotation.exact, annotation.prefix, annotation.suffix = (
        selector.exact,
        selector.prefix,
        selector.suffix,
    )
    annotation.orphaned = False


def set_body(annotation: Annotation, body: str, *, group: Group) -> list[User]:
    """Keep the Markdown and its sanitized HTML (mentions linked) side by side; comments need
    words. Returns the members the body mentions."""
    if len(body) > MAX_BODY_LENGTH:
        raise AnnotationError(f"The body must be at most {MAX_BODY_LENGTH:,} characters.")
    if annotation.motivation is Motivation.HIGHLIGHTING and body.strip():
        raise AnnotationError("A highlight has no text; use the motivation 'commenting'.")
    if annotation.motivation is not Motivation.HIGHLIGHTING and not body.strip():
        raise AnnotationError(f"A {annotation.motivation.value} annotation needs a body text.")
    annotation.body_source = body
    if not body.strip():
        annotation.body_html = ""
        return []
    annotation.body_html, mentioned = render_with_mentions(group=group, body=body)
    return mentioned


def _set_color(annotation: Annotation, color: str | None) -> None:
    if color is not None and annotation.is_reply:
        raise AnnotationError("A reply has no colour; colours mark passages.")
    if color is not None and color not in COLORS:
        allowed = ", ".join(sorted(COLORS))
        raise AnnotationError(f"Unknown colour {color!r}; use one of: {allowed}.")
    annotation.color = color


def create_annotation(
    *,
    reading: Reading,
    author: User,
    motivation: Motivation,
    target: Target | None,
    body: str = "",
    visibility: Visibility = Visibility.GROUP,
    color: str | None = None,
) -> Annotation:
    """Annotate a passage of the reading's current revision, or (no target) the reading as a
    whole: a page note; nothing is stored on error."""
    if motivation not in PASSAGE_MOTIVATIONS:
        raise AnnotationError(f"The motivation {motivation.value!r} is not supported yet.")
    if target is None and motivation is Motivation.HIGHLIGHTING:
        raise AnnotationError(
            "A highlight needs a passage; a note on the whole reading needs text."
        )
    now = utcnow()
    annotation = Annotation(
        reading=reading,
        author=author,
        motivation=motivation,
        visibility=visibility,
        created_at=now,
        modified_at=now,
    )
    mentioned = set_body(annotation, body, group=reading.group)
    _set_color(annotation, color)
    if target is not None:
        _anchor(annotation, reading, target)
    db.session.add(annotation)
    notify_mentions(annotation=annotation, mentioned=mentioned)
    annotation_changed(annotation)
    db.session.commit()
    return annotation


def update_annotation(
    annotation: Annotation,
    *,
    body: str | Keep = KEEP,
    visibility: Visibility | Keep = KEEP,
    color: str | None | Keep = KEEP,
) -> None:
    """Change the text, visibility or colour; the passage moves only through reattach."""
    if annotation.is_deleted:
        raise AnnotationError("This annotation was deleted; it can no longer be changed.")
    if not isinstance(body, Keep) and body != annotation.body_source:
        _edit_body(annotation, body)
    if not isinstance(color, Keep):
        _set_color(annotation, color)
    if not isinstance(visibility, Keep) and visibility is not annotation.visibility:
        _set_visibility(annotation, visibility)
    annotation.modified_at = utcnow()
    annotation_changed(annotation)
    db.session.commit()


def _edit_body(annotation: Annotation, body: str) -> None:
    """Keep the replaced body for facilitators, and tell only the newly mentioned."""
    group = annotation.reading.group
    before = {user.id for user in mentioned_members(group=group, body=annotation.body_source)}
    previous, written_at = annotation.body_source, annotation.edited_at or annotation.created_at
    mentioned = set_body(annotation, body, group=group)
    now = utcnow()
    db.session.add(
        AnnotationEdit(
            annotation_id=annotation.id,
            body_source=previous,
            written_at=written_at,
            edited_at=now,
            editor_id=annotation.author_id,
        )
    )
    annotation.edited_at = now
    notify_mentions(
        annotation=annotation, mentioned=[user for user in mentioned if user.id not in before]
    )


def _set_visibility(annotation: Annotation, visibility: Visibility) -> None:
    """A thread has one visibility, its root's; a thread others joined stays with the group."""
    if annotation.is_reply:
        raise AnnotationError("A reply takes its thread's visibility; change the first note.")
    if visibility is Visibility.PRIVATE and db.session.scalar(
        select(
            exists().where(
                Annotation.root_id == annotation.id, Annotation.author_id != annotation.author_id
            )
        )
    ):
        raise AnnotationError("Others have replied to this annotation; it cannot become private.")
    annotation.visibility = visibility
    reading_changed(annotation.reading_id)  # it appears in, or leaves, the group's lists
    db.session.execute(
        update(Annotation)
        .where(Annotation.root_id == annotation.id)
        .values(visibility=visibility)
        .execution_options(synchronize_session=False)
    )


def reattach_annotation(annotation: Annotation, *, target: Target) -> None:
    """Give an orphan a passage in the current revision again."""
    if not annotation.orphaned:
        raise AnnotationError("Only an orphaned annotation can be reattached.")
    _anchor(annotation, annotation.reading, target)
    annotation.modified_at = utcnow()
    annotation_changed(annotation)
    db.session.commit()
