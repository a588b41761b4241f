"""SQLite backups and restores through SQLite's online backup API.

The backup API copies a consistent snapshot page by page while the app keeps serving
(readers and writers are never blocked for long), which copying the file would not give:
a file copy during a write, or without its -wal file, can be torn.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

PAGES_PER_STEP = 256  # small steps let writers in between them

Progress = Callable[[int, int], None]  # (pages copied, total pages)


class BackupError(RuntimeError):
    """A backup or restore that could not be made, with a message for the operator."""


def integrity(path: Path) -> str:
    """PRAGMA integrity_check of a database file: "ok", or what is wrong."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
    return "; ".join(str(row[0]) for row in rows)


def copy_database(source: Path, target: Path, progress: Progress) -> None:
    """Copy source into target (replacing its content) with the online backup API."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            progress(total - remaining, total)

        reader.backup(writer, pages=PAGES_PER_STEP, progress=step)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Could not copy {source} to {target}: {error}") from error
    finally:
        writer.close()
        reader.close()


def backup(database: Path, target: Path, progress: Progress) -> None:
    """Write a checked, consistent copy of the live database to a new file."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    copy_database(database, target, progress)
    verdict = integrity(target)
    if verdict != "ok":
        target.unlink()
        raise BackupError(f"The copy failed its integrity check ({verdict}); nothing kept.")


def restore(backup_file: Path, database: Path, progress: Progress) -> None:
    """Replace the database's content with a backup, after checking the backup."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file.")
    verdict = integrity(backup_file)
    if verdict != "ok":
        raise BackupError(f"{backup_file} failed its integrity check ({verdict}).")
    copy_database(backup_file, database, progress)
