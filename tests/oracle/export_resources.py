"""Writes the twitter-text facts that app/textcount.py reads from resources/.

X counts a text with the official twitter-text library; Postwijs re-implements that counting in
Python but keeps the library's data as data: its two TLD lists and the twemoji-parser pattern of
what counts as one emoji. After changing the pinned version in package.json, run:

    npm ci --prefix tests/oracle --no-audit --no-fund
    .venv/bin/python tests/oracle/export_resources.py

tests/app/test_textcount.py checks that resources/ still match what this script would write.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ORACLE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = ORACLE_DIR.parent.parent / "resources"
SCRIPT = ORACLE_DIR / "twitter_text_oracle.js"


def oracle_data() -> dict:
    """What the pinned npm packages say (see twitter_text_oracle.js --data)."""
    done = subprocess.run(
        ["node", str(SCRIPT), "--data"],
        cwd=ORACLE_DIR,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def _first_units(items) -> tuple[set[int], bool]:
    """The code units a match of `items` (a parsed pattern) can start with, and whether it can be
    empty. Only the constructs twemoji-parser's pattern uses are understood."""
    from re import _constants as c  # dev-time only: the app never parses patterns

    first: set[int] = set()
    for op, av in items:
        if op is c.LITERAL:
            here, empty = {av}, False
        elif op is c.IN:
            here, empty = set(), False
            for kind, value in av:
                if kind is c.LITERAL:
                    here.add(value)
                elif kind is c.RANGE:
                    here.update(range(value[0], value[1] + 1))
                else:
                    raise ValueError(f"unexpected class item {kind}")
        elif op is c.SUBPATTERN:
            here, empty = _first_units(av[3])
        elif op is c.BRANCH:
            here, empty = set(), False
            for alternative in av[1]:
                alt_first, alt_empty = _first_units(alternative)
                here |= alt_first
                empty = empty or alt_empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _high, sub = av
            here, empty = _first_units(sub)
            empty = empty or low == 0
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            here, empty = set(), True
        else:
            raise ValueError(f"unexpected pattern construct {op}")
        first |= here
        if not empty:
            return first, False
    return first, True


def _class_of(units: set[int]) -> str:
    def escape(unit: int) -> str:
        if 0x30 <= unit <= 0x39 or 0x41 <= unit <= 0x5A or 0x61 <= unit <= 0x7A:
            return chr(unit)
        return f"\\u{unit:04x}"

    ordered = sorted(units)
    parts, start = [], 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        low, high = ordered[start], ordered[end]
        parts.append(escape(low) if low == high else f"{escape(low)}-{escape(high)}")
        start = end + 1
    return "[" + "".join(parts) + "]"


_END = -1  # "the match may end after the first unit"


def _first_pairs(items) -> set[tuple[int, int]]:
    """(first unit, second unit or _END) for every match of `items`; a superset where lookaheads
    would rule a pair out."""
    from re import _constants as c  # dev-time only

    pairs: set[tuple[int, int]] = set()
    for index, (op, av) in enumerate(items):
        rest = items[index + 1 :]
        if op in (c.LITERAL, c.IN):
            units, _ = _first_units([(op, av)])
            own = {(unit, _END) for unit in units}
        elif op is c.SUBPATTERN:
            own = _first_pairs(av[3])
        elif op is c.BRANCH:
            own = set().union(*(_first_pairs(alternative) for alternative in av[1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _low, high, sub = av
            if high != 1:
                raise ValueError("only optional parts are understood")
            own = _first_pairs(sub)
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            own = set()
        else:
            raise ValueError(f"unexpected pattern construct {op}")
        after, rest_can_be_empty = _first_units(rest)
        for first, second in own:
            if second != _END:
                pairs.add((first, second))
                continue
            pairs.update((first, unit) for unit in after)
            if rest_can_be_empty:
                pairs.add((first, _END))
        if not _first_units([(op, av)])[1]:
            return pairs
    return pairs


def emoji_start_pattern(pattern: str) -> str:
    """A cheap pattern for where an emoji match may start. An ASCII first unit (a keycap's digit,
    "#" or "*") must be followed by a unit that can come second, so plain digits are skipped."""
    from re import _parser  # dev-time only

    tree = _parser.parse(pattern)
    units, can_be_empty = _first_units(tree)
    if can_be_empty:
        raise ValueError("the emoji pattern can match the empty string")
    pairs = _first_pairs(tree)
    ascii_units = {unit for unit in units if unit < 0x80}
    seconds = {second for first, second in pairs if first in ascii_units}
    if not ascii_units or _END in seconds:
        return _class_of(units)
    return f"{_class_of(units - ascii_units)}|{_class_of(ascii_units)}(?={_class_of(seconds)})"


def _tld_file(kind: str, tlds: list[str], version: str) -> str:
    header = (
        f"# {kind} top-level domains that twitter-text {version} (npm) accepts in a URL, in its\n"
        "# order. Data for app/textcount.py; regenerate with tests/oracle/export_resources.py.\n"
    )
    return header + "".join(f"{tld}\n" for tld in tlds)


def resource_files(data: dict) -> dict[str, str]:
    """File name in resources/ -> exact content."""
    emoji = {
        "about": (
            "What X counts as one emoji (weight 2): the pattern of twemoji-parser "
            f"{data['twemojiParser']} as used by twitter-text {data['twitterText']}, over UTF-16 "
            "code units, and a cheap pattern for where a match can start. Regenerate with "
            "tests/oracle/export_resources.py."
        ),
        "twemoji_parser": data["twemojiParser"],
        "pattern": data["emojiPattern"],
        "start": emoji_start_pattern(data["emojiPattern"]),
    }
    return {
        "x-tlds-generic.txt": _tld_file("Generic", data["genericTlds"], data["twitterText"]),
        "x-tlds-country.txt": _tld_file("Country-code", data["countryTlds"], data["twitterText"]),
        "x-emoji.json": json.dumps(emoji, indent=1) + "\n",
    }


def main() -> int:
    for name, content in resource_files(oracle_data()).items():
        (RESOURCES_DIR / name).write_text(content, encoding="utf-8")
        print(f"wrote resources/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
