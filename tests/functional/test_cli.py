"""The operator commands, run as `flask --app studygroup <command>` would run them."""

from __future__ import annotations

from sqlalchemy import func, select

from studygroup.extensions import db
from studygroup.models import ApiToken, Group, User


def test_every_command_explains_itself(app, runner):
    ours = sorted(set(app.cli.commands) - {"db"})  # db comes from Flask-Migrate
    assert ours == [
        "backup",
        "create-token",
        "create-user",
        "demo",
        "reset-password",
        "restore",
        "send-digests",
        "work",
    ]
    for command in ours:
        result = runner.invoke(args=[command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output and "Options:" in result.output
        assert len(app.cli.commands[command].help or "") > 20, f"{command} has no help text"


def test_create_user_with_and_without_a_password(app, runner):
    result = runner.invoke(
        args=["create-user", "ada@example.org", "--name", "Ada", "--password", "a long passphrase"]
    )
    assert result.exit_code == 0 and "Created ada@example.org" in result.output
    generated = runner.invoke(args=["create-user", "bob@example.org", "--name", "Bob"])
    password = generated.output.split("Password: ")[1].strip()
    assert len(password) >= 12
    login = app.test_client().post(
        "/login", data={"email": "bob@example.org", "password": password}
    )
    assert login.status_code == 302


def test_create_user_reports_problems_clearly(runner, factory):
    factory.user(email="ada@example.org")
    taken = runner.invoke(args=["create-user", "ada@example.org", "--name", "Ada"])
    assert taken.exit_code == 1 and "already exists" in taken.output
    weak = runner.invoke(
        args=["create-user", "x@example.org", "--name", "X", "--password", "qwerty"]
    )
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output


def test_create_token_prints_a_working_token(app, runner, factory):
    user = factory.user()
    result = runner.invoke(args=["create-token", user.email, "--label", "backup script"])
    token = result.output.strip()
    response = app.test_client().get("/api/groups", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.label)) == "backup script"
    unknown = runner.invoke(args=["create-token", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No account uses nobody@example.org" in unknown.output


def test_demo_loads_once_when_empty(app, runner):
    first = runner.invoke(args=["demo", "--if-empty"])
    assert first.exit_code == 0
    email = first.output.split("email:")[1].split()[0]
    password = first.output.split("password:")[1].split()[0]
    assert (
        app.test_client().post("/login", data={"email": email, "password": password}).status_code
        == 302
    )
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.output.startswith("This database has demo data.")  # a reminder, no reload
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3  # the facilitator, 2 voices
        assert db.session.scalar(select(func.count(Group.id))) == 1


def test_every_start_with_demo_data_says_how_to_log_in_and_passwords_can_be_renewed(app, runner):
    loaded = runner.invoke(args=["demo"]).output
    member_line = loaded.split("member's view:\n")[1].splitlines()[0]
    name, login = member_line.strip().split(": ")
    email, password = login.split(" / ")
    client = app.test_client()
    assert name == "Rosa Lindqvist"
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    reminder = runner.invoke(args=["demo", "--if-empty"])
    assert reminder.exit_code == 0
    assert "This database has demo data. Log in at http" in reminder.output
    assert email in reminder.output and "demo --reset-password" in reminder.output
    assert password not in reminder.output  # stored hashed: never shown again
    renewed = runner.invoke(args=["demo", "--reset-password"])
    assert renewed.exit_code == 0 and renewed.output.startswith("New demo passwords.")
    facilitator = renewed.output.split("email:")[1].split()[0]
    new_password = renewed.output.split("password:")[1].split()[0]
    assert (
        client.post("/login", data={"email": facilitator, "password": new_password}).status_code
        == 302
    )
    old = app.test_client().post("/login", data={"email": email, "password": password})
    assert old.status_code == 400  # the member's old password no longer works


def test_resetting_demo_passwords_without_demo_data_says_so(runner):
    result = runner.invoke(args=["demo", "--reset-password"])
    assert result.exit_code != 0 and "There is no demo data here" in result.output


def test_reset_password_links_to_the_port_the_app_serves_on(make_app, factory, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_PORT", "8123")
    app = make_app()
    user = factory.user()
    result = app.test_cli_runner().invoke(args=["reset-password", user.email])
    assert result.exit_code == 0
    assert result.output.startswith("http://127.0.0.1:8123/reset-password/")
    helped = app.test_cli_runner().invoke(args=["reset-password", "--help"]).output
    assert "STUDYGROUP_BASE_URL" in helped and "FLASK_RUN_PORT" in helped
