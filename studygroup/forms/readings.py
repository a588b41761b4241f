"""Forms for readings and their place in the schedule."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..intake import AUTO
from ..intake.extract import Article
from ..models import Reading, ReadingRevision
from ..services.readings import (
    AUTHOR_MAX,
    INPUT_FORMATS,
    SOURCE_URL_MAX,
    TITLE_MAX,
    parse_published,
)
from ..services.schedule import POSITION_MAX, due_from_parts
from ..uploads import read_upload


class ReadingForm(FlaskForm):
    title = StringField(
        "Title",
        [Length(max=TITLE_MAX)],
        description="Left empty, it is taken from the page or the file name.",
    )
    author = StringField("Author", [Length(max=AUTHOR_MAX)])
    source_url = URLField("Source (web address)", [Length(max=SOURCE_URL_MAX)])
    published_on = DateField("Published (optional)", [Optional()])
    fetch_url = URLField(
        "Add from a web address",
        [Length(max=SOURCE_URL_MAX)],
        description="We fetch the page, keep its article text and show it to you before saving.",
    )
    body = TextAreaField(
        "Text",
        description="Paste the text here (from a web page, its structure is kept), "
        "or upload a file below.",
    )
    source_format = SelectField(
        "The pasted text is",
        choices=[SelectChoice(value, label) for value, label in INPUT_FORMATS.items()],
        default=AUTO,
    )
    upload = FileField(
        "…or upload a file",
        description=".md (Markdown), .txt or .html, UTF-8, at most 2 MB. It replaces the text.",
    )
    base_revision = HiddenField()

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip() and not self.uploaded_file() and not self.url_to_fetch():
            raise ValidationError("Paste the text, upload a file or give a web address.")

    def url_to_fetch(self) -> str:
        """The address to fetch: only when nothing was pasted or uploaded instead."""
        if (self.body.data or "").strip() or self.uploaded_file():
            return ""
        return (self.fetch_url.data or "").strip()

    def uploaded_file(self) -> FileStorage | None:
        data = self.upload.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def take_upload(self) -> None:
        """Move an uploaded file's text into the form, so a preview or an error keeps it."""
        upload = self.uploaded_file()
        if upload is None:
            return
        text = read_upload(upload)
        self.body.data, self.source_format.data = text.source, text.source_format
        if not (self.title.data or "").strip():
            self.title.data = PurePosixPath(text.name).stem.replace("_", " ").replace("-", " ")
        self.upload.data = None

    def take_article(self, article: Article) -> None:
        """Fill the form with a fetched article; what the facilitator typed wins."""
        self.body.data, self.source_format.data = article.html, "html"
        self.title.data = self.title.data or article.title
        self.author.data = self.author.data or article.author
        self.source_url.data = self.source_url.data or article.url
        if self.published_on.data is None:
            self.published_on.data = parse_published(article.date)
            self.published_on.raw_data = None  # else the empty input would be shown again

    def reading_fields(self) -> dict[str, Any]:
        """The services' keyword arguments (call take_upload first)."""
        return {
            "title": self.title.data or "",
            "author": self.author.data or "",
            "source_url": self.source_url.data or "",
            "published_on": self.published_on.data,
            "source": self.body.data or "",
            "source_format": self.source_format.data or "",
        }

    @classmethod
    def for_revision(cls, reading: Reading, revision: ReadingRevision) -> ReadingForm:
        """The edit form, filled with the reading as it is now (the request's data wins)."""
        return cls(
            data={
                "title": reading.title,
                "author": reading.author,
                "source_url": reading.source_url,
                "published_on": reading.published_on,
                "body": revision.source,
                "source_format": revision.source_format,
                "base_revision": revision.number,
            }
        )

    def base_revision_number(self) -> int | None:
        value = str(self.base_revision.data or "")
        return int(value) if value.isdigit() else None


class AssignmentForm(FlaskForm):
    due_date = DateField("Due date", [InputRequired(message="Choose the date it is due.")])
    due_time = TimeField("Time (optional)", [Optional()])
    timezone = HiddenField()
    position = IntegerField(
        "Number in the series (optional)", [Optional(), NumberRange(min=1, max=POSITION_MAX)]
    )
    prompts = TextAreaField(
        "Discussion prompts", description="One question per line; leave empty for none."
    )
    post_first = BooleanField(
        "Post before you see",
        description="Members see others' annotations and answers after posting their own.",
    )

    def due_at(self) -> datetime:
        return due_from_parts(self.due_date.data, self.due_time.data, self.timezone.data or "")

    def prompt_list(self) -> list[str]:
        return (self.prompts.data or "").splitlines()
