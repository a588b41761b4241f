"""Commands for operators and scripts: `flask --app studygroup <command> --help`."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import with_appcontext

from .links import external_url
from .mail import mail_enabled
from .services import demo, digests, tokens, users


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
    """Print a one-time link (valid for an hour) that lets EMAIL choose a new password."""
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


def init_app(app: Flask) -> None:
    for command in (
        create_user_command,
        create_token_command,
        reset_password_command,
        demo_command,
        send_digests_command,
    ):
        app.cli.add_command(command)
