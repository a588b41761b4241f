"""Forms for accounts: registration, login, passwords, tokens."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from ..passwords import MAX_LENGTH, MIN_LENGTH

NAME_LENGTH = Length(min=1, max=80, message="Use 1 to 80 characters.")
NEW_PASSWORD_LENGTH = Length(
    min=MIN_LENGTH, max=MAX_LENGTH, message=f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
)


class RegisterForm(FlaskForm):
    display_name = StringField("Display name", [InputRequired(), NAME_LENGTH])
    email = EmailField("Email", [InputRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", [InputRequired(), NEW_PASSWORD_LENGTH])


class LoginForm(FlaskForm):
    email = EmailField("Email", [InputRequired(), Length(max=254)])
    password = PasswordField("Password", [InputRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me logged in for 30 days")


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", [InputRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", [InputRequired(), NEW_PASSWORD_LENGTH])
    confirm = PasswordField(
        "Repeat the new password", [InputRequired(), EqualTo("password", "The passwords differ.")]
    )


class DisplayNameForm(FlaskForm):
    display_name = StringField("Display name", [InputRequired(), NAME_LENGTH])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", [InputRequired()])
    new_password = PasswordField("New password", [InputRequired(), NEW_PASSWORD_LENGTH])


class TokenForm(FlaskForm):
    label = StringField("Label", [Length(max=80)], description="What the token is for.")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", [InputRequired(), Length(max=MAX_LENGTH)])
