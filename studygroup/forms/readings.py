"""Forms for readings and their place in the schedule."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
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

from ..models import Reading, ReadingRevision
from ..services.readings import AUTHOR_MAX, FORMATS, SOURCE_URL_MAX, TITLE_MAX
from ..services.schedule import POSITION_MAX, due_from_parts
from ..uploads import read_upload


class ReadingForm(FlaskForm):
    title = StringField("Title", [InputRequired(), Length(max=TITLE_MAX)])
    author = StringField("Author", [Length(max=AUTHOR_MAX)])
    source_url = URLField("Source (web address)", [Length(max=SOURCE_URL_MAX)])
    body = TextAreaField("Text", description="Paste the text here, or upload a file below.")
    source_format = SelectField(
        "The pasted text is",
        choices=[SelectChoice(value, label) for value, label in FORMATS.items()],
        default="markdown",
    )
    upload = FileField(
        "…or upload a file",
        description=".md (Markdown), .txt or .html, UTF-8, at most 2 MB. It replaces the text.",
    )
    base_revision = HiddenField()

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip() and not self.uploaded_file():
            raise ValidationError("Paste the text or upload a file.")

    def uploaded_file(self) -> FileStorage | None:
        data = self.upload.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def reading_fields(self) -> dict[str, str]:
        """The services' keyword arguments; an upload, when given, replaces the pasted text."""
        upload = self.uploaded_file()
        text = read_upload(upload) if upload is not None else None
        return {
            "title": self.title.data or "",
            "author": self.author.data or "",
            "source_url": self.source_url.data or "",
            "source": text.source if text else self.body.data or "",
            "source_format": text.source_format if text else self.source_format.data or "",
        }

    @classmethod
    def for_revision(cls, reading: Reading, revision: ReadingRevision) -> ReadingForm:
        """The edit form, filled with the reading as it is now (the request's data wins)."""
        return cls(
            data={
                "title": reading.title,
                "author": reading.author,
                "source_url": reading.source_url,
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

    def due_at(self) -> datetime:
        return due_from_parts(self.due_date.data, self.due_time.data, self.timezone.data or "")

    def prompt_list(self) -> list[str]:
        return (self.prompts.data or "").splitlines()
