"""Mentions of pupils' accounts: staff do not befriend, tag or mention pupils on social media.

A mention ("@noor_2012", "@noor.bsky.social", "@noor@mastodon.nl") or a profile URL
("https://bsky.app/profile/noor.bsky.social", "https://mastodon.nl/@noor") of a handle the register
knows for a pupil blocks. A mention of any other account that is not one of the schools' own
accounts is worth a second look: it may be a pupil's or a parent's personal account.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from app.i18n import _
from app.rules.model import BLOCK, INFO, CheckContext, Hit
from app.rules.names import handle_key, profile_handle, register_index

# "@name", "@name.bsky.social", "@name@instance.example"; not the "@" of an e-mail address or of
# a URL path, and without a full stop that ends the sentence.
_MENTION = re.compile(
    r"@(?<![\w@/.+-]@)(\w(?:[\w.-]{0,251}\w)?(?:@\w(?:[\w-]{0,62}\w)?(?:\.\w(?:[\w-]{0,62}\w)?)+)?)"
)
_PATH = r"(?P<path>/[\w@.~%/-]{1,300})"
_PROFILE_URL = re.compile(
    r"[hH][tT][tT][pP][sS]?://(?:www\.|m\.|mobile\.)?"
    r"(?P<host>(?:[A-Za-z0-9-]{1,63}\.){1,6}[A-Za-z]{2,24})" + _PATH
)
# Without "https://" only these hosts are taken for a profile link ("x.com/noor").
_SCHEMELESS_PROFILE_URL = re.compile(
    r"(?P<host>www\.x\.com|x\.com|www\.twitter\.com|twitter\.com|www\.instagram\.com|"
    r"instagram\.com|bsky\.app|www\.tiktok\.com|tiktok\.com)" + _PATH
)


class PupilAccountsRule:
    id = "pupil_accounts"
    articles = ("Communiceren 11",)

    def find(self, text: str, ctx: CheckContext) -> Iterator[Hit]:
        if "@" not in text and "/" not in text:
            return
        pupils = register_index(ctx).pupils_by_handle
        school_handles = _school_handles(ctx)
        for start, end, key in _account_references(text):
            pupil = pupils.get(key)
            shown = text[start:end]
            if pupil is not None:
                yield Hit(
                    start,
                    end,
                    BLOCK,
                    _("Haal de vermelding van {account} weg: {name} is een leerling.").format(
                        account=shown, name=pupil.full_name
                    ),
                )
            elif key not in school_handles:
                yield Hit(
                    start,
                    end,
                    INFO,
                    _(
                        "Controleer of {account} geen persoonlijk account is van een leerling of ouder."
                    ).format(account=shown),
                )


RULE = PupilAccountsRule()


def _account_references(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, handle key) of every mention and profile URL, in text order."""
    found: list[tuple[int, int, str]] = []
    if "/" in text:
        for url in (*_PROFILE_URL.finditer(text), *_SCHEMELESS_PROFILE_URL.finditer(text)):
            if url.start() and (text[url.start() - 1].isalnum() or text[url.start() - 1] in "_/.@"):
                continue  # the host of a URL already read, or part of a longer name
            host = url.group("host").lower()
            path = url.group("path").rstrip(".")  # the full stop of the sentence
            key = profile_handle(host, path)
            if key:
                found.append((url.start(), url.start("path") + len(path), key))
    found.sort()
    if "@" in text:
        urls = list(found)
        for mention in _MENTION.finditer(text):
            inside = bisect_right(urls, mention.start(), key=lambda url: url[0]) - 1
            if inside < 0 or urls[inside][1] <= mention.start():
                found.append((mention.start(), mention.end(), handle_key(mention.group(1))))
        found.sort()
    return iter(found)


def _school_handles(ctx: CheckContext) -> frozenset[str]:
    """The schools' own accounts, as handle keys: "regenboog", "regenboog@mastodon.nl"."""

    def build() -> frozenset[str]:
        keys = set()
        for school in ctx.site.schools:
            for account in school.accounts:
                if not account.handle:
                    continue
                key = handle_key(account.handle)
                keys.add(key)
                if account.instance and "@" not in key:
                    instance = handle_key(account.instance).split("/")[0]
                    keys.add(f"{key}@{instance}")
                keys.add(key.split("@")[0])
        return frozenset(keys)

    return ctx.cached("pupil_accounts.school_handles", build)
