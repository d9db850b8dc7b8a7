"""The line index finds each key where it was written, whatever the TOML's style: generated
documents with headers, arrays of tables, dotted and quoted keys, inline tables, multi-line arrays
with comments, and multi-line strings that hold text looking like keys and headers."""

import json
import re
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from app.site.lines import key_lines

KEYS = st.sampled_from(["a", "b", "id", "x-y", "7", "met spatie", "punt.in", "ü", "", "[x]"])
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
SCALARS = st.integers(-5, 5) | st.booleans() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=5)


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


class Writer:
    """Writes a document in TOML, choosing a style for each part, and notes each key's line."""

    def __init__(self, data):
        self.data = data
        self.lines: list[str] = []
        self.expected: dict[tuple, int] = {}

    def choose(self) -> bool:
        return self.data.draw(st.booleans())

    def here(self) -> int:
        return len(self.lines) + 1

    def key(self, name: str) -> str:
        """Bare where it may be, else quoted in one of TOML's ways: raw, escaped or literal."""
        styles = [json.dumps(name, ensure_ascii=False)]
        if re.fullmatch(r"[A-Za-z0-9_-]+", name):
            styles.append(name)
        if all(ord(c) < 0x10000 for c in name):
            styles.append(json.dumps(name))  # \u escapes
        if "'" not in name:
            styles.append(f"'{name}'")
        return self.data.draw(st.sampled_from(styles))

    def table(self, table: dict, path: tuple, names: tuple) -> None:
        nested = {}
        for name, value in table.items():
            if (isinstance(value, dict) and self.choose()) or (
                is_table_list(value) and self.choose()
            ):
                nested[name] = value
            elif isinstance(value, dict) and value and self.choose():
                # Dotted keys: `name.sub = value`, one line per sub-key.
                self.expected[(*path, name)] = self.here()
                for sub, item in value.items():
                    self.expected[(*path, name, sub)] = self.here()
                    self.lines.append(f"{self.key(name)} . {self.key(sub)} = ")
                    self.lines[-1] += self.inline(item, (*path, name, sub))
            else:
                self.expected[(*path, name)] = self.here()
                self.lines.append(f"{self.key(name)} = ")
                self.value(value, (*path, name))
        for name, value in nested.items():
            header = " . ".join(self.key(n) for n in (*names, name))
            if isinstance(value, dict):
                self.expected[(*path, name)] = self.here()
                self.lines.append(f"[{header}]  # een kopje")
                self.table(value, (*path, name), (*names, name))
            else:
                for index, item in enumerate(value):
                    self.expected[(*path, name, index)] = self.here()
                    self.lines.append(f"[[{header}]]")
                    self.table(item, (*path, name, index), (*names, name))

    def value(self, value, path: tuple) -> None:
        """Appends the value to the last line, going on over more lines where it chooses."""
        if isinstance(value, list) and self.choose():
            self.lines[-1] += "[  # een lijst"
            for index, item in enumerate(value):
                self.expected[(*path, index)] = self.here()
                self.lines.append("  ")
                self.value(item, (*path, index))
                self.lines[-1] += ",  # [geen] kopje = 1"
            self.lines.append("]")
        elif isinstance(value, str) and not {"\\", '"', "'"} & set(value) and self.choose():
            quote = self.data.draw(st.sampled_from(['"', "'"]))
            self.lines[-1] += quote * 3
            self.lines += [
                "[niet.een.kopje]",
                "ook_geen = 'sleutel' # of [[ook.geen]]",
                value + quote * 3,
            ]
        else:
            self.lines[-1] += self.inline(value, path)

    def inline(self, value, path: tuple) -> str:
        line = self.here() - 1
        if isinstance(value, dict):
            parts = []
            for name, item in value.items():
                self.expected[(*path, name)] = line
                parts.append(f"{self.key(name)} = {self.inline(item, (*path, name))}")
            return "{ " + ", ".join(parts) + " }"
        if isinstance(value, list):
            for index in range(len(value)):
                self.expected[(*path, index)] = line
            return "[" + ", ".join(self.inline(v, (*path, i)) for i, v in enumerate(value)) + "]"
        return scalar(value)


def is_table_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.data())
def test_every_key_is_found_on_the_line_where_it_was_written(document, data):
    writer = Writer(data)
    writer.table(document, (), ())
    text = "\n".join(writer.lines) + "\n"
    assert tomllib.loads(text) is not None  # the writer wrote valid TOML
    lines = key_lines(text)
    for path, line in writer.expected.items():
        assert lines.get(path) == line, (path, text)


def test_a_key_in_a_table_of_a_table_list_belongs_to_the_latest_table():
    text = '[[schools]]\nid = "a"\n[[schools]]\nid = "b"\n[schools.lesson_hours]\nmonday = []\n[[schools.accounts]]\nid = "c"\n'
    lines = key_lines(text)
    assert lines[("schools", 1, "lesson_hours", "monday")] == 6
    assert lines[("schools", 1, "accounts", 0, "id")] == 8
    assert ("schools", 0, "lesson_hours") not in lines


def test_windows_line_ends_count_as_one_line_each():
    lines = key_lines('[site]\r\nname = "x"\r\n\r\n[policy]\r\nseverity = {}\r\n')
    assert lines[("site", "name")] == 2
    assert lines[("policy", "severity")] == 5
