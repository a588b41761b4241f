"""Commands for operators and scripts: `flask --app studygroup <command> --help`."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from . import backups
from .extensions import db
from .links import external_url
from .mail import mail_enabled
from .services import demo, digests, outbox, tokens, users


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Display name shown to the group.")
@click.option("--password", help="Password; a random one is generated and printed if omitted.")
def create_user_command(email: str, name: str, password: str | None) -> None:
    """Create an account for EMAIL."""
    chosen = password or secrets.token_urlsafe(12)
    try:
        user = users.create_user(email=email, display_name=name, password=chosen)
    except users.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.email} (id {user.id}).")
    if password is None:
        click.echo(f"Password: {chosen}")


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--label", default="command line", show_default=True, help="What the token is for.")
def create_token_command(email: str, label: str) -> None:
    """Print a new personal API token for EMAIL (use it as 'Authorization: Bearer <token>')."""
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    click.echo(tokens.create_token(user=user, label=label))


@click.command("reset-password")
@with_appcontext
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Print a one-time link (valid for an hour) that lets EMAIL choose a new password.

    \b
    The link starts with BASE_URL: STUDYGROUP_BASE_URL or instance/config.py when set,
    otherwise http://127.0.0.1:$FLASK_RUN_PORT (5000 when that is unset too).
    """
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    click.echo(external_url("auth.reset", token=users.password_reset_token(user)))


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
@click.option(
    "--reset-password", is_flag=True, help="New passwords for the demo's accounts, printed."
)
def demo_command(if_empty: bool, reset_password: bool) -> None:
    """Load a demo group with a sample article, and print how to log in to it."""
    if reset_password:
        logins = demo.reset_passwords()
        if not logins:
            raise click.ClickException("There is no demo data here; run the demo command first.")
        return _print_logins("New demo passwords.", logins)
    if if_empty and users.count_users() > 0:
        return _remind_demo_logins()
    _print_logins("Demo loaded.", demo.load_demo())


def _print_logins(heading: str, logins: list[demo.DemoLogin]) -> None:
    facilitator, *members = logins
    click.echo(f"{heading} Log in at {external_url('auth.login')} with")
    click.echo(f"  email:    {facilitator.email}")
    click.echo(f"  password: {facilitator.password}")
    if members:
        click.echo("or as a member, to see a member's view:")
    for member in members:
        click.echo(f"  {member.name}: {member.email} / {member.password}")


def _remind_demo_logins() -> None:
    """Every start with demo data says how to get in: passwords are shown only once."""
    accounts = demo.demo_accounts()
    if not accounts:
        return
    click.echo(f"This database has demo data. Log in at {external_url('auth.login')} as")
    for user in accounts:
        click.echo(f"  {user.display_name}: {user.email}")
    click.echo(
        "with the password printed when the demo was loaded; for new ones, run\n"
        "  .venv/bin/flask --app studygroup demo --reset-password"
    )


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Email each digest reader their new notifications, in one mail (run it daily from cron)."""
    if not mail_enabled():
        raise click.ClickException("Mail is not configured: set MAIL_SERVER first.")
    try:
        sent = digests.send_digests()
    except digests.DigestError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Sent {sent} digest email{'' if sent == 1 else 's'}.")


@click.command("work")
@with_appcontext
@click.option("--once", is_flag=True, help="Send what is due, then exit (for cron).")
@click.option(
    "--interval", default=30, show_default=True, help="Seconds between looks at the queue."
)
def work_command(once: bool, interval: int) -> None:
    """Send queued mail: what a crash or an unreachable mail server left, with retries.

    Web workers send each mail right after the response that caused it; run this as a
    service (or `--once` from cron) so that nothing they could not send stays behind.
    """
    if not mail_enabled():
        raise click.ClickException("Mail is not configured: set MAIL_SERVER first.")
    while True:
        sent = outbox.deliver_due()
        if sent or once:
            click.echo(f"Sent {sent} queued email{'' if sent == 1 else 's'}.")
        if once:
            return
        time.sleep(interval)


def _sqlite_file() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "This installation uses PostgreSQL: back it up with pg_dump and restore it with "
            "pg_restore (see the README)."
        )
    return Path(url.database)


@contextmanager
def _progress_bar(label: str) -> Iterator[backups.Progress]:
    with click.progressbar(length=1, label=label, show_percent=True) as bar:

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield update


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the app keeps running.

    Uses SQLite's online backup API, then runs PRAGMA integrity_check on the copy.
    For PostgreSQL use pg_dump instead.
    """
    database = _sqlite_file()
    try:
        with _progress_bar(f"Backing up {database.name}") as progress:
            backups.backup(database, path, progress)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {path} ({path.stat().st_size:,} bytes); integrity check: ok.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace everything in the SQLite database with the backup at PATH.

    Stop the app first: whatever it stored since the backup is lost. The backup is
    checked with PRAGMA integrity_check before anything is replaced.
    """
    database = _sqlite_file()
    if not yes:
        click.confirm(f"Replace everything in {database} with {path}?", abort=True)
    db.engine.dispose()  # no pooled connection of ours holds the old content open
    try:
        with _progress_bar(f"Restoring {path.name}") as progress:
            backups.restore(path, database, progress)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {database} from {path}.")


def init_app(app: Flask) -> None:
    for command in (
        create_user_command,
        create_token_command,
        reset_password_command,
        demo_command,
        send_digests_command,
        work_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)
