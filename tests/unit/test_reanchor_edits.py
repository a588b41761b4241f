"""Random edits around a passage never move it onto text that is not the passage.

Every word of the old text carries an identity; insertions, deletions, moves and duplications of
words and paragraphs keep or copy identities, so after any edit we know which words of the new
text are the passage's (or a verbatim copy of them) and can check any placement exactly. Words
repeat a lot (a vocabulary of eleven); each paragraph opens with its own name, as a heading
would. Two different paragraphs with the same words after their names are left out: swapping
them is the very same edit as renaming them, and no diff can tell which happened.

One ambiguity is inherent to any diff: "the" becoming "the the" may have gained a word before
or after. A placement on the same words shifted across only newly inserted words, or along a
run of repeated words, is therefore the passage too; so is the passage widened onto words
inserted right beside it. The examples are derandomized, so CI always runs the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studygroup.anchoring import Reanchorer, describe

VOCABULARY = ["the", "a", "cat", "sat", "on", "mat", "and", "river", "cold", "dog", "ran"]


@dataclass(frozen=True)
class Word:
    text: str
    identity: int


Paragraph = list[Word]


def render(paragraphs: list[Paragraph]) -> tuple[str, list[tuple[int, int, int]]]:
    """The text, and each word's (start, end, identity) in it."""
    words, parts, at = [], [], 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            parts.append("\n\n")
            at += 2
        for k, word in enumerate(paragraph):
            if k:
                parts.append(" ")
                at += 1
            parts.append(word.text)
            words.append((at, at + len(word.text), word.identity))
            at += len(word.text)
    return "".join(parts), words


@st.composite
def paragraphs(
    draw: st.DrawFn, fresh: list[int], size: tuple[int, int], heading: bool = True
) -> Paragraph:
    """A paragraph of repetitive words (after its name), each with a new identity."""
    texts = draw(st.lists(st.sampled_from(VOCABULARY), min_size=size[0], max_size=size[1]))
    if heading:
        texts.insert(0, f"Part{fresh[0] + 1}")
    words = []
    for text in texts:
        fresh[0] += 1
        words.append(Word(text, fresh[0]))
    return words


@st.composite
def edited_documents(draw: st.DrawFn) -> tuple[list[Paragraph], list[Paragraph], list[int]]:
    """An old document, a passage in it (its word identities), and the document after edits
    that leave the passage's own words as they were."""
    fresh = [0]
    old = draw(st.lists(paragraphs(fresh, (1, 12)), min_size=1, max_size=6))
    number = draw(st.integers(0, len(old) - 1))
    first = draw(st.integers(0, len(old[number]) - 1))
    last = draw(st.integers(first, min(len(old[number]) - 1, first + 5)))
    passage = [word.identity for word in old[number][first : last + 1]]
    new = [list(paragraph) for paragraph in old]
    for _ in range(draw(st.integers(1, 6))):
        edit = draw(st.sampled_from(["insert", "delete", "add", "drop", "move", "copy"]))
        _apply(draw, edit, new, set(passage), fresh)
    return old, new, passage


def _apply(draw: st.DrawFn, edit: str, new: list[Paragraph], keep: set[int], fresh: list[int]):
    """One random edit; the passage's words are never removed, nor anything put between them."""
    where = draw(st.integers(0, len(new) - 1)) if new else 0
    if edit in ("insert", "delete") and new and new[where]:
        paragraph = new[where]
        at = draw(st.integers(0, len(paragraph) - 1 if edit == "delete" else len(paragraph)))
        inside = 0 < at < len(paragraph) and {paragraph[at - 1].identity} <= keep
        if edit == "insert" and not (inside and paragraph[at].identity in keep):
            paragraph[at:at] = draw(paragraphs(fresh, (1, 3), heading=False))
        elif edit == "delete" and paragraph[at].identity not in keep:
            del paragraph[at]
    elif edit == "add":
        new.insert(draw(st.integers(0, len(new))), draw(paragraphs(fresh, (1, 12))))
    elif edit == "drop" and new and not any(w.identity in keep for w in new[where]):
        del new[where]
    elif edit == "move" and new:
        new.insert(draw(st.integers(0, len(new) - 1)), new.pop(where))
    elif edit == "copy" and new:
        new.insert(draw(st.integers(0, len(new))), list(new[where]))
    new[:] = [paragraph for paragraph in new if paragraph]


def _distinct_bodies(paragraphs: list[Paragraph]) -> bool:
    """Whether paragraphs that are not copies of each other differ after their names."""
    bodies = {}
    for paragraph in paragraphs:
        body = tuple(word.text for word in paragraph[1:])
        bodies.setdefault(body, set()).add(paragraph[0].identity)
    return all(len(names) == 1 for names in bodies.values())


@settings(max_examples=400, deadline=None, derandomize=True)
@given(edited_documents())
def test_a_placement_is_always_the_passage_or_a_verbatim_copy(
    case: tuple[list[Paragraph], list[Paragraph], list[int]],
) -> None:
    old, new, passage = case
    assume(_distinct_bodies(old + new))
    old_text, old_words = render(old)
    new_text, new_words = render(new)
    if not new_text:
        return
    spans = {identity: (start, end) for start, end, identity in old_words}
    selector = describe(old_text, spans[passage[0]][0], spans[passage[-1]][1])
    result = Reanchorer(old_text, new_text).reanchor(selector)
    if result is None:
        return
    placed = [k for k, (start, _, _) in enumerate(new_words) if result.start <= start < result.end]
    assert placed, (selector, result)
    assert (new_words[placed[0]][0], new_words[placed[-1]][1]) == (result.start, result.end)
    old_identities = {identity for _, _, identity in old_words}
    assert _is_the_passage(placed, passage, new_words, new_text, old_identities), (selector, result)


def _is_the_passage(
    placed: list[int],
    passage: list[int],
    new_words: list[tuple[int, int, int]],
    new_text: str,
    old_identities: set[int],
) -> bool:
    """The placed words are the passage's (or a copy's), or the same words shifted across
    nothing but words the edit inserted or along a run of repeated words, or widened onto
    inserted words beside them."""
    identities = [new_words[k][2] for k in placed]
    if identities == passage:
        return True
    extra = [i for i in identities if i not in passage]
    if _contains(identities, passage) and all(i not in old_identities for i in extra):
        return True  # the passage, widened onto words inserted right beside it
    words = [new_text[start:end] for start, end, _ in new_words]
    for k in range(len(new_words) - len(passage) + 1):
        if [identity for _, _, identity in new_words[k : k + len(passage)]] != passage:
            continue
        own = range(k, k + len(passage))
        between = range(own[-1] + 1, placed[0]) if placed[0] > k else range(placed[-1] + 1, k)
        if [words[i] for i in placed] != [words[i] for i in own]:
            continue
        if all(new_words[i][2] not in old_identities for i in between) or _slides(
            words, min(k, placed[0]), max(own[-1], placed[-1]), abs(placed[0] - k)
        ):
            return True
    return False


def _contains(run: list[int], part: list[int]) -> bool:
    """Whether part appears in run as a contiguous stretch."""
    return any(run[k : k + len(part)] == part for k in range(len(run) - len(part) + 1))


def _slides(words: list[str], first: int, last: int, shift: int) -> bool:
    """Whether words first..last repeat with that period, so a diff may align the passage with
    either end of the run ("the the" becoming "the the the the")."""
    return all(words[i] == words[i + shift] for i in range(first, last - shift + 1))
