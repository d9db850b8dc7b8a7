"""Signalen (Profileren 2 and 3): what others say to and about the school's accounts, read-only.

Mentions, replies and quotes are fetched from the networks that can show them (a connector's
`read_mentions`), kept per account for as many days as the site configuration says
(`[signalen] bewaren_dagen`) and removed after that on every fetch. A signal whose text trips
the decency or personal-data rules carries the rule and its articles, so staff see first what
may need action. There is deliberately no way to answer from here (Profileren 3: negative
discussions are answered in real life); "Bespreken met leidinggevende" (Communiceren 15) puts
the signal before the school's manager, as Voorleggen does, and the history records it and the
decision. The authors' handles are personal details: they can be erased, here and in the
history's details beside the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.compose.review_mail import mailto_url
from app.consent.register import people_for_rules
from app.history import chain as history
from app.i18n import _
from app.networks.connector import (
    Connector,
    ConnectorError,
    Mention,
    NotSupported,
    RetryLater,
)
from app.rules import decency, personal_data
from app.rules.model import CheckContext, TextRule
from app.site.config import Account, School, Site
from app.store import Store, StoreError, describe_sqlite_error

# The rules a signal's text is read against, in the order a mark names them.
SIGNAL_RULES: tuple[TextRule, ...] = (personal_data.RULE, decency.RULE)
LAST_VISIT = "signals.last_visit"
LAST_FETCH = "signals.last_fetch"
NOT_BEFORE = "signals.not_before."  # + account id: the network's rate limit says wait until then
# Read again from a little before the newest signal kept: a network may list a post late.
OVERLAP = timedelta(hours=1)

WAITING = "voorgelegd"  # put before the manager, no decision yet
DECIDED = "besloten"


@dataclass(frozen=True)
class Signal:
    id: int
    account_id: str
    school_id: str
    remote_id: str
    kind: str  # MentionKind's value
    author_handle: str  # "" once erased
    text: str
    url: str
    created_at: datetime
    fetched_at: datetime
    mark_rule: str = ""  # the rule it trips ("decency", "personal_data"), "" for none
    mark_articles: str = ""  # "Communiceren 12, ons 11-tal 3"
    mark_message: str = ""
    discussion: str = ""  # "", WAITING or DECIDED
    decision: str = ""

    @property
    def marked(self) -> bool:
        return bool(self.mark_rule)


# --- marks ------------------------------------------------------------------------------------


def mark_words(rule_id: str) -> str:
    """What a marked signal holds, for staff who read it: the rule's own message is advice to
    the author of a post ("Laat deze krachtterm weg"), which makes no sense for what others wrote."""
    words = {
        decency.RULE.id: _("grove of kwetsende woorden"),
        personal_data.RULE.id: _("persoonsgegevens, zoals een naam, telefoonnummer of adres"),
    }
    return words.get(rule_id, rule_id)


def mark_of(text: str, ctx: CheckContext) -> tuple[str, str, str]:
    """(rule, articles, what it holds) of the first rule the text trips, or three empty strings."""
    for rule in SIGNAL_RULES:
        if any(True for _hit in rule.find(text, ctx)):
            return rule.id, ", ".join(rule.articles), mark_words(rule.id)
    return "", "", ""


# --- keeping them -----------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def keep_mentions(
    store: Store,
    site: Site,
    account: Account,
    mentions: Iterable[Mention],
    now: datetime | None = None,
) -> int:
    """Keeps the mentions not kept yet (within the retention), each with its mark; returns how
    many are new. One already kept stays as it is (its discussion and an erased handle too)."""
    now = now or datetime.now(UTC)
    oldest = now - timedelta(days=site.signals_keep_days)
    fresh = [m for m in mentions if m.created_at >= oldest]
    if not fresh:
        return 0
    known = {
        row[0]
        for row in store.execute(
            "SELECT remote_id FROM signals WHERE account_id = ?", [account.id]
        ).fetchall()
    }
    fresh = [m for m in fresh if m.remote_id not in known]
    if not fresh:
        return 0
    people = people_for_rules(store, site, account.school_id, now)
    ctx = CheckContext(site=site, at=now, people=people)
    rows = []
    for mention in fresh:
        rule, articles, message = mark_of(mention.text, ctx)
        rows.append(
            [
                account.id,
                account.school_id,
                mention.remote_id,
                str(mention.kind),
                mention.author_handle,
                mention.text,
                mention.url,
                _iso(mention.created_at),
                _iso(now),
                rule,
                articles,
                message,
            ]
        )
    with store.transaction() as db:
        before = db.total_changes
        db.executemany(
            "INSERT OR IGNORE INTO signals (account_id, school_id, remote_id, kind, author_handle,"
            " text, url, created_at, fetched_at, mark_rule, mark_articles, mark_message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return db.total_changes - before


# The history events that copy a signal's text and its author's handle into their details.
SIGNAL_EVENTS = ("signal_discussion_requested", "signal_decided")


def remove_expired(store: Store, keep_days: int, now: datetime | None = None) -> int:
    """Removes the signals older than `keep_days`; returns how many. The copies of their text
    and author kept in the history's details (a discussion with the manager) go too, once the
    event is that old: a signal is kept only as long as the site says, wherever it was copied.
    The chain stays verifiable (it covers only the details' digest), and says what went."""
    oldest = _iso((now or datetime.now(UTC)) - timedelta(days=keep_days))
    marks = ", ".join("?" for _kind in SIGNAL_EVENTS)
    with store.transaction() as db:
        removed = db.execute("DELETE FROM signals WHERE created_at < ?", [oldest]).rowcount
        expired = [
            seq
            for (seq,) in db.execute(
                f"SELECT h.seq FROM history h JOIN history_details d ON d.seq = h.seq"
                f" WHERE h.kind IN ({marks}) AND h.at < ? ORDER BY h.seq",
                [*SIGNAL_EVENTS, oldest],
            )
        ]
        db.executemany("DELETE FROM history_details WHERE seq = ?", [[seq] for seq in expired])
        if expired:
            history.append_many(
                store,
                db,
                [("signal_details_expired", {"rows": expired, "keep_days": keep_days}, None)],
            )
    return removed


def _signal(row: tuple) -> Signal:
    return Signal(
        id=row[0],
        account_id=row[1],
        school_id=row[2],
        remote_id=row[3],
        kind=row[4],
        author_handle=row[5],
        text=row[6],
        url=row[7],
        created_at=datetime.fromisoformat(row[8]),
        fetched_at=datetime.fromisoformat(row[9]),
        mark_rule=row[10],
        mark_articles=row[11],
        mark_message=row[12],
        discussion=row[13],
        decision=row[14],
    )


_COLUMNS = (
    "id, account_id, school_id, remote_id, kind, author_handle, text, url, created_at,"
    " fetched_at, mark_rule, mark_articles, mark_message, discussion, decision"
)


def signals(store: Store, school_ids: Iterable[str] | None = None) -> list[Signal]:
    """The kept signals (of these schools), marked ones first, each group newest first."""
    query = f"SELECT {_COLUMNS} FROM signals"
    params: list[str] = []
    if school_ids is not None:
        wanted = list(school_ids)
        query += f" WHERE school_id IN ({', '.join('?' for _ in wanted)})"
        params = wanted
    query += " ORDER BY mark_rule = '' , created_at DESC, id DESC"
    return [_signal(row) for row in store.execute(query, params).fetchall()]


def signal(store: Store, signal_id: int) -> Signal:
    row = store.execute(f"SELECT {_COLUMNS} FROM signals WHERE id = ?", [signal_id]).fetchone()
    if row is None:
        raise KeyError(signal_id)
    return _signal(row)


def last_visit(store: Store) -> datetime | None:
    value = store.setting(LAST_VISIT)
    return datetime.fromisoformat(value) if value else None


def new_count(store: Store, school_ids: Iterable[str] | None = None) -> int:
    """How many signals (of these schools) were fetched since the Signalen page was last seen;
    StoreError when the database cannot be read now."""
    try:
        seen = last_visit(store)
        return sum(1 for s in signals(store, school_ids) if seen is None or s.fetched_at > seen)
    except sqlite3.Error as error:
        raise StoreError(describe_sqlite_error(error, store.path)) from None


def visited(store: Store, now: datetime | None = None) -> None:
    store.set_setting(LAST_VISIT, _iso(now or datetime.now(UTC)))


# --- fetching ---------------------------------------------------------------------------------


@dataclass
class FetchResult:
    new: int = 0
    removed: int = 0
    # account id -> what stopped its reading, in Dutch (a rate limit, a sign-in to renew).
    problems: dict[str, str] = field(default_factory=dict)


def fetch_due(store: Store, site: Site, now: datetime | None = None) -> bool:
    """Whether the configured interval has passed since the last fetch."""
    last = store.setting(LAST_FETCH)
    if not last:
        return True
    now = now or datetime.now(UTC)
    return now - datetime.fromisoformat(last) >= timedelta(minutes=site.signals_interval_minutes)


def waiting_until(store: Store, account_id: str) -> datetime | None:
    """The moment a network's rate limit said to wait for, while it lies ahead."""
    value = store.setting(NOT_BEFORE + account_id)
    return datetime.fromisoformat(value) if value else None


def fetch(
    store: Store,
    site: Site,
    connector_for: Callable[[Account], Connector | None],
    now: datetime | None = None,
) -> FetchResult:
    """Reads the mentions of every account whose network can show them and keeps the new ones;
    removes the expired ones first. `connector_for` gives an account's connector, or None for
    one not to read (its network cannot show mentions). An account a rate limit holds is skipped until the moment
    the network named (RetryLater.not_before); a network's refusal is noted per account and
    the other accounts go on."""
    now = now or datetime.now(UTC)
    result = FetchResult(removed=remove_expired(store, site.signals_keep_days, now))
    oldest = now - timedelta(days=site.signals_keep_days)
    for school in site.schools:
        for account in school.accounts:
            hold = waiting_until(store, account.id)
            if hold is not None and hold > now:
                continue
            newest = store.execute(
                "SELECT MAX(created_at) FROM signals WHERE account_id = ?", [account.id]
            ).fetchone()[0]
            since = max(oldest, datetime.fromisoformat(newest) - OVERLAP) if newest else oldest
            try:
                connector = connector_for(account)
                if connector is None or not connector.capabilities.read_mentions:
                    continue
                with connector:
                    mentions = connector.read_mentions(since)
            except NotSupported:
                continue
            except RetryLater as error:
                until = error.not_before or now + timedelta(minutes=site.signals_interval_minutes)
                store.set_setting(NOT_BEFORE + account.id, _iso(until))
                result.problems[account.id] = str(error)
                continue
            except ConnectorError as error:
                result.problems[account.id] = str(error)
                continue
            result.new += keep_mentions(store, site, account, mentions, now)
    store.set_setting(LAST_FETCH, _iso(now))
    return result


# --- Bespreken met leidinggevende ---------------------------------------------------------------


class DiscussionNotPossible(Exception):
    """The message says why and what to do, in Dutch."""


@dataclass(frozen=True)
class Discussion:
    manager: str
    address: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return mailto_url(self.address, self.subject, self.body)


def _event_data(item: Signal) -> dict:
    # In the chain only what names nobody: which account, which kind, which rule.
    return {
        "account": item.account_id,
        "school": item.school_id,
        "signal": history.digest(item.remote_id),
        "kind": item.kind,
        "rule": item.mark_rule,
        "articles": item.mark_articles,  # the report names the articles, not the rule's id
    }


def discuss(store: Store, school: School, signal_id: int, by: str, note: str = "") -> Discussion:
    """Puts the signal before the school's manager: the mail to send (with the signal's link
    and text) and the request in the history, as Voorleggen does for a post."""
    manager = school.manager
    if manager is None or not manager.email:
        raise DiscussionNotPossible(
            _(
                "Er is geen leidinggevende met e-mailadres bekend voor {school}. Vraag de"
                " ICT-beheerder de leidinggevende van de school in te stellen."
            ).format(school=school.name)
        )
    item = signal(store, signal_id)
    subject = _("Signaal bespreken: {school}").format(school=school.name)
    lines = [
        _("Beste leidinggevende,"),
        "",
        _(
            "Dit is gezegd over of tegen een account van de school. Postwijs antwoordt niet op"
            " sociale media (Profileren 3); wil je bespreken wat we in het echt doen?"
        ),
        "",
    ]
    if item.marked:
        lines += [
            _("Let op: {message} ({articles})").format(
                message=item.mark_message, articles=item.mark_articles
            ),
            "",
        ]
    if note.strip():
        lines += [note.strip(), ""]
    lines += [
        f"— {item.author_handle or _('(naam gewist)')}:",
        item.text,
        "",
        item.url,
        "",
        _("Groet,"),
        by,
    ]
    history.append(
        store,
        "signal_discussion_requested",
        {**_event_data(item), "manager": manager.name},
        details={
            "author": item.author_handle,
            "text": item.text,
            "url": item.url,
            "by": by,
            "note": note.strip(),
        },
    )
    with store.transaction() as db:
        db.execute("UPDATE signals SET discussion = ? WHERE id = ?", [WAITING, signal_id])
    return Discussion(manager.name, manager.email, subject, "\n".join(lines))


def record_decision(store: Store, signal_id: int, decision: str, by: str) -> None:
    """The manager's decision on a signal put before them, in the history."""
    item = signal(store, signal_id)
    if item.discussion != WAITING:
        raise ValueError("this signal was not put before a leidinggevende")
    history.append(
        store,
        "signal_decided",
        _event_data(item),
        details={"author": item.author_handle, "decision": decision.strip(), "by": by},
    )
    with store.transaction() as db:
        db.execute(
            "UPDATE signals SET discussion = ?, decision = ? WHERE id = ?",
            [DECIDED, decision.strip(), signal_id],
        )


# --- erasing a handle -------------------------------------------------------------------------


def erase_author(store: Store, handle: str, by: str) -> int:
    """AVG: erases an author's handle from every kept signal and from the history's details of
    the signal events that name it (the chain stays verifiable); returns how many signals."""
    wanted = handle.strip()
    if not wanted:
        return 0
    with store.transaction() as db:
        count = db.execute(
            "UPDATE signals SET author_handle = '' WHERE author_handle = ?", [wanted]
        ).rowcount
    history.erase_person(store, f"signal-author:{wanted}", [wanted], by)
    return count
