"""Validating what the API emits: our own schemas (tests/schemas, written from the Data Model's
MUSTs) and, when ../shared holds it, the W3C test suite's own assertion schemas."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from tests.conftest import skip_or_fail

OURS = Path(__file__).resolve().parents[1] / "schemas"
SUITE = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "w3c-annotation-model-tests"


def _ours() -> Registry:
    resources = []
    for path in OURS.glob("*.schema.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema, DRAFT202012)))
    return Registry().with_resources(resources)


OUR_REGISTRY = _ours()


def our_errors(document: dict[str, Any], schema: str) -> list[str]:
    """What our schema (`annotation` or `collection`) finds wrong, as readable lines."""
    uri = f"https://studygroup.invalid/schemas/{schema}.schema.json"
    validator = jsonschema.Draft202012Validator(OUR_REGISTRY.contents(uri), registry=OUR_REGISTRY)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# The suite's runner (ajv) checks formats with these "fast" expressions; so do we.
_URI = re.compile(r"^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/)?[^\s]*$", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?"
    r"(?:z|[+-]\d\d(?::?\d\d)?)$",
    re.IGNORECASE,
)
FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.match(value)))
FORMATS.checks("date-time")(
    lambda value: not isinstance(value, str) or bool(_DATE_TIME.match(value))
)


def suite_root() -> Path:
    if not (SUITE / "definitions").is_dir():
        skip_or_fail(f"the W3C annotation model test suite is not at {SUITE}")
    return SUITE


@cache
def _suite_registry(root: Path) -> Registry:
    """Every schema of the suite by its `id`, which is how their `$ref`s name each other."""
    resources = []
    for path in root.rglob("*.json"):
        schema = json.loads(path.read_text())
        if isinstance(schema, dict) and "id" in schema:
            resources.append((schema["id"], Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


def suite_failures(document: dict[str, Any], test_file: str) -> list[str]:
    """The MUST assertions of one `.test` file that `document` breaks, as the suite words them."""
    root = suite_root()
    registry = _suite_registry(root)
    test = json.loads((root / test_file).read_text())
    failures = []
    for assertion in test["assertions"]:
        schema = json.loads((root / assertion).read_text())
        validator = jsonschema.Draft4Validator(schema, registry=registry, format_checker=FORMATS)
        valid = validator.is_valid(document)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{assertion}: {schema.get('errorMessage', schema.get('title'))}")
    return failures
