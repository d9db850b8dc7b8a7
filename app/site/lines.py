"""The line of every key in a TOML text, so a problem can say where it is.

tomllib gives values, not positions, and the kept TOML libraries that round-trip (tomlkit) keep
whitespace but no line numbers. So this reads the text once more, after tomllib has accepted it,
only far enough to know where each key, table header and array item starts: strings are skipped
whole (a `[x]` or `a =` inside a multi-line string is no key), values are not interpreted.

Paths are tuples as in app.site.validate: `[[schools]]` tables and array items are numbered
from 0, so `("schools", 1, "accounts", 0, "network")` is the first account of the second school.
"""

from __future__ import annotations

Path = tuple[str | int, ...]
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# The schema is six levels deep; a deeper key is found by its ancestor, and a very deeply nested
# file costs no more than this.
_DEEPEST = 16
_ESCAPED = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "e": "\x1b",
}


def key_lines(text: str) -> dict[Path, int]:
    """Each key path of a valid TOML text and the line (from 1) where it is first written.

    A table's path maps to its header (or to the first key that creates it); the caller finds a
    missing key's line by looking up its parent."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.last_index: dict[Path, int] = {}  # the last table of each [[array]] so far

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.peek() == "\n":
                self.line += 1
            if self.pos < len(self.text):
                self.pos += 1

    def note(self, path: Path, line: int) -> None:
        for end in range(1, min(len(path), _DEEPEST) + 1):
            self.lines.setdefault(path[:end], line)

    def skip_blank(self, newlines: bool) -> None:
        """Spaces and comments, and line ends where the grammar allows them."""
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t" or (newlines and char in "\r\n"):
                self.advance()
            elif char == "#":
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            else:
                return

    def read(self) -> dict[Path, int]:
        table: Path = ()
        while self.pos < len(self.text):
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                break
            if self.peek() == "[":
                table = self.header()
            else:
                line = self.line
                path = (*table, *self.key())
                self.note(path, line)
                self.skip_blank(newlines=False)
                self.advance()  # "="
                self.value(path)
            self.skip_to_line_end()
        return self.lines

    def skip_to_line_end(self) -> None:
        while self.pos < len(self.text) and self.peek() != "\n":
            self.advance()

    def header(self) -> Path:
        line = self.line
        is_array = self.peek(1) == "["
        self.advance(2 if is_array else 1)
        names = self.key()
        self.advance(2 if is_array else 1)
        path: Path = ()
        for position, name in enumerate(names):
            path = (*path, name)
            opens_new_table = is_array and position == len(names) - 1
            if path in self.last_index and not opens_new_table:
                path = (*path, self.last_index[path])
        if is_array:
            index = self.last_index.get(path, -1) + 1
            self.last_index[path] = index
            path = (*path, index)
        self.note(path, line)
        return path

    def key(self) -> tuple[str, ...]:
        names = []
        while True:
            self.skip_blank(newlines=False)
            names.append(self.key_part())
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return tuple(names)
            self.advance()

    def key_part(self) -> str:
        if self.peek() == '"':
            return self.basic_string()
        if self.peek() == "'":
            return self.literal_string()
        start = self.pos
        while self.peek() in _BARE and self.peek():
            self.advance()
        return self.text[start : self.pos]

    def basic_string(self) -> str:
        self.advance()
        chars = []
        while self.pos < len(self.text) and self.peek() != '"':
            if self.peek() == "\\":
                self.advance()
                code = self.peek()
                if code in "uU":
                    digits = self.text[self.pos + 1 : self.pos + (5 if code == "u" else 9)]
                    self.advance(len(digits) + 1)
                    chars.append(chr(int(digits, 16)) if _is_hex(digits) else "")
                    continue
                chars.append(_ESCAPED.get(code, code))
            else:
                chars.append(self.peek())
            self.advance()
        self.advance()
        return "".join(chars)

    def literal_string(self) -> str:
        self.advance()
        start = self.pos
        while self.pos < len(self.text) and self.peek() != "'":
            self.advance()
        name = self.text[start : self.pos]
        self.advance()
        return name

    def multi_line_string(self, quote: str) -> None:
        self.advance(3)
        while self.pos < len(self.text):
            if quote == '"' and self.peek() == "\\":
                self.advance(2)
            elif self.text.startswith(quote * 3, self.pos):
                self.advance(3)
                # Up to two quotes right before the closing three belong to the content.
                for _ in range(2):
                    if self.peek() == quote:
                        self.advance()
                return
            else:
                self.advance()

    def value(self, path: Path) -> None:
        """Skips one value, noting the keys of inline tables and the items of arrays. Nesting is
        followed with a stack of its own: tomllib has already refused what is too deep for it."""
        stack: list[tuple[str, Path, int]] = []  # ("[", path, next index) or ("{", path, 0)
        self.skip_blank(newlines=False)
        while True:
            self.scalar_or_open(path, stack)
            while stack:
                kind, where, index = stack[-1]
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    self.skip_blank(newlines=True)
                closing = "]" if kind == "[" else "}"
                if self.peek() in (closing, ""):
                    self.advance()
                    stack.pop()
                    continue
                if kind == "[":
                    stack[-1] = (kind, where, index + 1)
                    path = (*where, index)
                    self.note(path, self.line)
                else:
                    line = self.line
                    path = (*where, *self.key())
                    self.note(path, line)
                    self.skip_blank(newlines=False)
                    self.advance()  # "="
                    self.skip_blank(newlines=False)
                break
            else:
                return

    def scalar_or_open(self, path: Path, stack: list[tuple[str, Path, int]]) -> None:
        char = self.peek()
        if char in "[{":
            self.advance()
            stack.append((char, path, 0))
        elif self.text.startswith('"""', self.pos) or self.text.startswith("'''", self.pos):
            self.multi_line_string(char)
        elif char == '"':
            self.basic_string()
        elif char == "'":
            self.literal_string()
        else:
            while self.peek() and self.peek() not in ",]}#\r\n":
                self.advance()


def _is_hex(digits: str) -> bool:
    return bool(digits) and all(c in "0123456789abcdefABCDEF" for c in digits)
