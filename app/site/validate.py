"""Checks a parsed TOML document against the schema (app.site.schema), naming every problem.

Whatever shape the document has, the walk ends with a value of the schema's shape (defaults where
something was wrong) and the list of problems; it never stops at the first one. Unknown keys are
problems too, with the nearest known key, so a misspelt setting is never silently ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.i18n import _
from app.site.schema import Amount, Map, Node, Table, TableList, Text, TextList, WholeNumber

Path = tuple[str | int, ...]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Problem:
    key: str  # as the user reads it: "schools[0].accounts[1].network"
    expected: str  # Dutch: what is expected or what is wrong
    line: int | None = None
    path: Path = ()


def display(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            text += f".{name}" if text else name
    return text


def problem(path: Path, expected: str) -> Problem:
    return Problem(display(path), expected, path=path)


def validate(root: Table, document: dict) -> tuple[dict, list[Problem]]:
    """The document in the schema's shape, and every problem found in it."""
    problems: list[Problem] = []
    return _Walk(root, problems).table(root, document, ()), problems


class _Walk:
    def __init__(self, root: Table, problems: list[Problem]):
        self.root = root
        self.problems = problems

    def check(self, node: Node, value: object, path: Path):
        if isinstance(node, Text):
            return self.text(node, value, path)
        if isinstance(node, TextList):
            return self.text_list(node, value, path)
        if isinstance(node, Table):
            return self.table(node, value, path)
        if isinstance(node, TableList):
            return self.table_list(node, value, path)
        if isinstance(node, Amount):
            return self.amount(node, value, path)
        if isinstance(node, WholeNumber):
            return self.whole_number(node, value, path)
        return self.map(node, value, path)

    def add(self, path: Path, expected: str) -> None:
        self.problems.append(problem(path, expected))

    def text(self, node: Text, value: object, path: Path):
        if not isinstance(value, str):
            self.add(path, _(node.expected))
            return node.default or ""
        text = value.strip()
        if node.default is None and not text:
            self.add(path, _("mag niet leeg zijn"))
            return text
        if node.choices and text and text not in node.choices:
            self.add(path, _("een van: {options}").format(options=", ".join(node.choices)))
            return node.default or ""
        return text

    def amount(self, node: Amount, value: object, path: Path) -> Decimal | None:
        # bool is an int to Python; `true` is no amount. A float is read through its shortest
        # text, so 12.3 is 12.30 and not 12.2999….
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, _(node.expected))
            return None
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0:
            self.add(path, _("een bedrag van 0 of meer"))
            return None
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def whole_number(self, node: WholeNumber, value: object, path: Path) -> int:
        # bool is an int to Python; `true` is no number.
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, _(node.expected))
            return node.default
        if not node.minimum <= value <= node.maximum:
            self.add(
                path,
                _("een heel getal van {minimum} tot en met {maximum}").format(
                    minimum=node.minimum, maximum=node.maximum
                ),
            )
            return node.default
        return value

    def text_list(self, node: TextList, value: object, path: Path) -> tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(path, _(node.expected))
            return node.default
        items = []
        for index, item in enumerate(value):
            text = item.strip()
            if node.parse is None:
                items.append(text)
            elif (parsed := node.parse(text)) is not None:
                items.append(parsed)
            else:
                self.add((*path, index), _(node.item_expected or node.expected))
        return tuple(items)

    def table(self, node: Table, value: object, path: Path) -> dict:
        if not isinstance(value, dict):
            self.add(path, _(node.expected))
            quiet = _Walk(self.root, [])  # what is missing inside a wrong value says nothing new
            return {name: quiet.absent(child, (*path, name)) for name, child in node.fields.items()}
        for name in value:
            if name not in node.fields:
                self.add((*path, name), self.unknown(name, tuple(node.fields), node.unknown_key))
        return {
            name: self.check(child, value[name], (*path, name))
            if name in value
            else self.absent(child, (*path, name))
            for name, child in node.fields.items()
        }

    def absent(self, node: Node, path: Path):
        if isinstance(node, Text):
            if node.default is None:
                self.add(path, _("dit veld ontbreekt"))
                return ""
            return node.default
        if isinstance(node, TextList):
            return node.default
        if isinstance(node, Table):
            return None if node.none_when_absent else self.table(node, {}, path)
        if isinstance(node, TableList):
            if node.at_least_one:
                self.add(path, _(node.expected))
            return []
        if isinstance(node, Amount):
            return None
        if isinstance(node, WholeNumber):
            return node.default
        return {}

    def table_list(self, node: TableList, value: object, path: Path) -> list[dict]:
        if not isinstance(value, list) or (node.at_least_one and not value):
            self.add(path, _(node.expected))
            return []
        tables = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                tables.append(self.table(node.item, item, (*path, index)))
            else:  # e.g. a list of strings where tables belong; keep the indices of the others
                tables.append(self.table(node.item, None, (*path, index)))
        return tables

    def map(self, node: Map, value: object, path: Path) -> dict:
        if not isinstance(value, dict):
            self.add(path, _(node.expected))
            return {}
        found = {}
        for key, item in value.items():
            if key in node.keys:
                found[key] = self.check(node.value, item, (*path, key))
            else:
                self.add((*path, key), self.unknown(key, node.keys))
        return found

    def unknown(self, name: str, known: tuple[str, ...], otherwise: str = "") -> str:
        """What to say of a key the schema does not know here: the nearest known key, or where
        a key of that name belongs, or which keys belong here."""
        import difflib  # here, for a mistyped key only: not on every start

        nearest = difflib.get_close_matches(name, known, n=1)
        if nearest:
            return _("onbekende sleutel; bedoelt u '{key}'?").format(key=nearest[0])
        if otherwise:
            return _(otherwise)
        elsewhere = _places(self.root, name, ())
        if elsewhere:
            return _("hoort hier niet; '{name}' hoort in {places}").format(
                name=name, places=", ".join(elsewhere)
            )
        return _("onbekende sleutel; hier horen: {keys}").format(keys=", ".join(known))


def _places(node: Node, name: str, prefix: tuple[str, ...]) -> list[str]:
    """Where in the schema a key of this name is declared, as "schools[].accounts"."""
    found = []
    if isinstance(node, Table):
        for key, child in node.fields.items():
            here = (*prefix, key)
            if key == name and prefix:
                found.append(".".join(here))
            found += _places(child, name, here)
    elif isinstance(node, TableList):
        found += _places(node.item, name, (*prefix[:-1], prefix[-1] + "[]"))
    elif isinstance(node, Map):
        found += _places(node.value, name, (*prefix, f"<{node.placeholder}>"))
    return found
