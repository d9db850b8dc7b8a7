"""Whatever a site file holds, loading it ends in a Site or in a Dutch SiteConfigError, and
`site check` in exit code 0 or 2 with JSON that says the same: random bytes, random TOML shapes, and
the demo site with random damage (a value replaced, a key misspelt or removed)."""

import json
import re
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.site.config import DEMO_SITE_FILE, SiteConfigError, load_site
from tests.conftest import run_app

DEMO = tomllib.loads(DEMO_SITE_FILE.read_text(encoding="utf-8"))
SCHEMA_KEYS = [
    "site", "name", "schools", "authors", "accounts", "policy", "severity", "tone",
    "lesson_hours", "monday", "network", "kind", "id", "disclaimer", "official", "long",
    "template", "user", "language", "free_days", "manager", "email",
]  # fmt: skip
KEYS = st.sampled_from(SCHEMA_KEYS) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), max_size=6
)
RAW = st.sampled_from(["1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "inf", "nan", "3.5"])
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
SCALARS = st.integers() | st.booleans() | TEXT | RAW.map(lambda token: ("raw", token))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
SHAPES = st.dictionaries(KEYS, VALUES, max_size=6)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def toml_value(value) -> str:
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def toml(document: dict) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in document.items())


def paths_in(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_in(item, (*path, index))


DEMO_PATHS = [p for p in paths_in(DEMO) if p]


@st.composite
def damaged_demo(draw) -> dict:
    document = json.loads(json.dumps(DEMO))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(DEMO_PATHS))
        parent = document
        try:
            for part in path[:-1]:
                parent = parent[part]
            current = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier damage removed or replaced it
        how = draw(st.sampled_from(["replace", "misspell", "remove"]))
        if how == "replace" or isinstance(parent, list):
            parent[path[-1]] = draw(VALUES)
        elif how == "misspell" and len(path[-1]) > 1:
            cut = draw(st.integers(0, len(path[-1]) - 1))
            del parent[path[-1]]
            parent[path[-1][:cut] + path[-1][cut + 1 :]] = current
        else:
            del parent[path[-1]]
    return document


def assert_loads_or_says_why_in_dutch(path: Path, lines: int) -> bool:
    """Loads the file; True when it can be used. Any other exception fails the test."""
    try:
        load_site(path)
    except SiteConfigError as error:
        message = str(error)
        assert message.startswith(f"De siteconfiguratie {path} bevat ")
        assert message.endswith("Vraag de ICT-beheerder het bestand te herstellen.")
        assert error.problems
        for problem in error.problems:
            assert problem.expected
            assert problem.line is None or 1 <= problem.line <= max(lines, 1)
            assert not re.search(r"Error|Traceback|object|expected|invalid", problem.expected)
        return False
    return True


@SETTINGS
@given(st.binary(max_size=300) | st.binary(max_size=40).map(lambda b: b"\xef\xbb\xbf" + b))
def test_random_bytes_load_or_are_refused_in_dutch(tmp_path, content):
    path = tmp_path / "site.toml"
    path.write_bytes(content)
    assert not assert_loads_or_says_why_in_dutch(path, content.count(b"\n") + 1)


@SETTINGS
@given(SHAPES)
def test_random_toml_shapes_load_or_are_refused_in_dutch(tmp_path, document):
    text = toml(document)
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    assert tomllib.loads(text) is not None
    assert not assert_loads_or_says_why_in_dutch(path, len(text.splitlines()))


@SETTINGS
@given(damaged_demo())
def test_a_damaged_demo_site_loads_or_every_problem_is_named_in_dutch(tmp_path, document):
    text = toml(document)
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    assert_loads_or_says_why_in_dutch(path, len(text.splitlines()))


def test_the_demo_site_written_back_as_inline_toml_still_loads(tmp_path):
    # So the damaged-demo test starts from a file that loads: its problems are the damage's.
    path = tmp_path / "site.toml"
    path.write_text(toml(DEMO), encoding="utf-8")
    assert assert_loads_or_says_why_in_dutch(path, 100)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged_demo() | SHAPES)
def test_site_check_as_a_command_exits_0_or_2_with_json_that_agrees(tmp_path, document):
    path = tmp_path / "site.toml"
    path.write_text(toml(document), encoding="utf-8")
    usable = assert_loads_or_says_why_in_dutch(path, len(toml(document).splitlines()))
    result = run_app(
        "site", "check", "--site", str(path), "--data-dir", str(tmp_path / "data"), "--json"
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == (0 if usable else 2), result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["ok"] is usable
    if not usable:
        assert answer["problems"] and all(p["message"] for p in answer["problems"])
        assert answer["message"].startswith("De siteconfiguratie")
