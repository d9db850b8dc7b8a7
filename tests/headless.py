"""Running a headless command in-process, as `python -m app ARGS` would, and looking at what it
left behind: the answer, the exit code, and a snapshot of everything stored in a data folder."""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from app.commands import cli


@dataclass(frozen=True)
class Answer:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*args: str, stdin: bytes = b"") -> Answer:
    """The command as `python -m app ARGS` runs it, without the PDF of a report: rendering one
    starts Qt, which would stay in the test process."""
    out, err = io.StringIO(), io.StringIO()
    previous = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.run_command(cli.build_parser().parse_args(list(args)))
            except SystemExit as stop:  # argparse ends wrong usage this way
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        sys.stdin = previous
    return Answer(code, out.getvalue(), err.getvalue())


# What Python or argparse would print in English; the commands' own words are Dutch.
_ENGLISH = re.compile(r"Traceback|Error:|error:|Exception|usage:|invalid|expected|required")
_DUTCH = re.compile(
    r"\b(de|het|een|is|zijn|moet|niet|geen|of|van|op|bij|met|voor|als|buiten|regel|leeg|onbekend"
    r"|onbekende|kies|geef|niemand|verkeerd gebruik)\b",
    re.IGNORECASE,
)


def assert_dutch(text: str) -> None:
    """An answer a user can read: not empty, no traceback, no English of Python's or argparse's."""
    assert text.strip(), "no answer at all"
    assert not _ENGLISH.search(text), text
    assert _DUTCH.search(text), text


def stored(data_dir: Path) -> tuple:
    """Everything a command could change in the data folder: every table's rows, and the files
    (the history's anchor among them) byte for byte."""
    database = data_dir / "postwijs.sqlite3"
    tables = ()
    if database.exists():
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            tables = tuple(connection.iterdump())
        finally:
            connection.close()
    files = tuple(
        (str(p.relative_to(data_dir)), p.read_bytes())
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and not p.name.startswith("postwijs.sqlite3")
    )
    return tables, files
