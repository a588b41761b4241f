"""The password policy."""

from __future__ import annotations

import pytest

from studygroup.passwords import common_passwords, password_problem


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("seven77", "at least 8"),
        ("x" * 129, "at most 128"),
        ("Password1", "most common"),
        ("qwertyuiop", "most common"),
        ("a quiet reading room", None),
        ("x" * 64, None),
    ],
    ids=["short", "long", "common-mixed-case", "common", "passphrase", "64-chars"],
)
def test_password_policy(password, problem):
    found = password_problem(password)
    assert (found is None) if problem is None else (problem in found)


def test_the_bundled_list_is_loaded():
    assert len(common_passwords()) > 100
