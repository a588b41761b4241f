"""Uploaded reading files: which format, decoded as text, at most 2 MB."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import PurePosixPath

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
FORMATS_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class UploadError(ValueError):
    """A file we cannot read as a reading, with a message for the person who chose it."""


@dataclass(frozen=True)
class UploadedText:
    source: str
    source_format: str
    name: str


def read_upload(upload: FileStorage) -> UploadedText:
    """The file's text and format; 413 past 2 MB, UploadError for anything unreadable."""
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
    source_format = FORMATS_BY_SUFFIX.get(PurePosixPath(name).suffix.lower())
    if source_format is None:
        raise UploadError("Upload a .md, .txt or .html file.")
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise RequestEntityTooLarge(
            description=f"“{name}” is larger than 2 MB: files can be at most 2 MB."
        )
    return UploadedText(decode(data, name), source_format, name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (a byte order mark is allowed, and UTF-16 with one); nothing else is guessed."""
    if not data.strip():
        raise UploadError(f"“{name}” is empty.")
    try:
        if data.startswith(_UTF16_BOMS):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(
            f"“{name}” is not UTF-8 text. Save it as UTF-8 (most editors offer this under "
            "“Save as”) and upload it again."
        ) from error
    if "\x00" in text:
        raise UploadError(f"“{name}” looks like a binary file, not text.")
    return text
