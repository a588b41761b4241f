"""Forms for groups."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class GroupForm(FlaskForm):
    name = StringField("Name", [InputRequired(), Length(min=1, max=120)])
    description = TextAreaField(
        "Description",
        [Length(max=2000)],
        description="Optional: what you read, when you meet. Markdown works, as in comments.",
    )
    requires_approval = BooleanField("New members need a facilitator's approval")
    members_see_dashboard = BooleanField("Members see everyone's row on a reading's dashboard")
    members_see_heatmap = BooleanField("Members can switch on the heatmap in the reader")


class DeleteGroupForm(FlaskForm):
    confirm_name = StringField(
        "Type the group's name to confirm", [InputRequired(), Length(max=120)]
    )
