"""The yearly sweep of the accounts ("jaarcontrole van de accounts", Uitgangspunten 9).

For each account of a school year: read the account's own posts from the network (the
connector's `read_own_posts`), hold each against the history (app.history.sweep), and check
every post placed outside Postwijs as the composer would have at that moment: the disclaimer,
personal data, pupils' names and accounts from the register of that school year, decency,
sensitive topics and the lesson hours; photos in such posts have no consent evidence in
Postwijs. The result of each account is one sweep event in the history.

The sweep can stop (the user, a rate limit too long to wait for, a network error) and go on
later: how far each account got is kept in the Store's settings (app.history.sweep.Tally) until
every account of the run is done.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from app.compose.disclaimer import DisclaimerWording
from app.consent.register import people_for_rules
from app.history import sweep
from app.i18n import _
from app.lesson_time import SCHOOL_TIMEZONE, in_lesson_time
from app.networks.connector import Connector, ConnectorError, RemotePost, RetryLater
from app.networks.profiles import PRACTICE
from app.networks.profiles import label as network_label
from app.publishing import outbox
from app.rules import decency, personal_data, pupil_accounts, sensitive_topics
from app.rules.model import BLOCK, WARN, CheckContext, TextRule
from app.school_year import first_calendar_year, school_year_of
from app.site.config import Account, Site
from app.store import Store

log = logging.getLogger("postwijs.sweep")

# The text rules the code of conduct holds every post to; the composer's helpers for writing
# (tone, hidden characters) and the network's limits say nothing about a post already placed.
SWEEP_TEXT_RULES: tuple[TextRule, ...] = (
    personal_data.RULE,
    pupil_accounts.RULE,
    decency.RULE,
    sensitive_topics.RULE,
)


def no_consent_evidence() -> str:
    return _("geen toestemmingsbewijs in Postwijs")


MAX_WAIT = timedelta(minutes=15)  # a longer rate-limit wait stops the sweep to go on later
DEFAULT_WAIT = timedelta(minutes=1)  # a 429 that does not say until when
WAIT_STEP = 0.5  # seconds between looks at the stop button while waiting


def window(school_year: str) -> tuple[datetime, datetime]:
    """[1 August, next 1 August) at midnight in the Netherlands, as aware moments."""
    first = first_calendar_year(school_year)
    return (
        datetime(first, 8, 1, tzinfo=SCHOOL_TIMEZONE),
        datetime(first + 1, 8, 1, tzinfo=SCHOOL_TIMEZONE),
    )


def _progress_key(school_year: str, account_id: str) -> str:
    return f"sweep:{school_year}:{account_id}"


# --- the check of a post placed outside Postwijs ------------------------------------------------


_ANY_AUTHOR = "\x00"


def _wording_present(
    post_text: str, wording: DisclaimerWording, school: str, foundation: str
) -> bool:
    """Each part of the wording in the post, white space compared loosely. The author may be
    anyone: a post placed outside Postwijs names no Postwijs author."""
    text = " ".join(post_text.split())
    for part in (wording.template, wording.personal_views, wording.third_parties):
        try:
            rendered = part.format(auteur=_ANY_AUTHOR, school=school, stichting=foundation)
        except (KeyError, IndexError, ValueError):
            rendered = part
        pattern = re.escape(" ".join(rendered.split())).replace(re.escape(_ANY_AUTHOR), ".+?")
        if pattern and not re.search(pattern, text, re.IGNORECASE):
            return False
    return True


def disclaimer_complete(post_text: str, site: Site, account: Account) -> bool:
    """Whether the post carries the disclaimer of its kind of account, long or short, whole
    (Communiceren 14, 19)."""
    school = site.school(account.school_id)
    wordings = site.disclaimers.get(account.kind, {})
    return any(
        _wording_present(post_text, wording, school.name, school.foundation)
        for wording in wordings.values()
    )


@dataclass
class OutsideChecker:
    """Checks posts placed outside Postwijs for one account; the register is read once per
    school year of the posts, and the rules' own indexes live in one context per year."""

    store: Store
    site: Site
    account: Account
    _contexts: dict[str, CheckContext] = field(default_factory=dict)

    def _context(self, at: datetime) -> CheckContext:
        year = school_year_of(at)
        if year not in self._contexts:
            people = people_for_rules(self.store, self.site, self.account.school_id, at)
            self._contexts[year] = CheckContext(site=self.site, at=at, people=people)
        # replace() keeps the cache: the name indexes are built once per year.
        return replace(self._contexts[year], at=at)

    def __call__(self, post: RemotePost) -> list[dict]:
        ctx = self._context(post.created_at)
        found: list[dict] = []
        for rule in SWEEP_TEXT_RULES:
            for hit in rule.find(post.text, ctx):
                found.append(
                    {
                        "rule": rule.id,
                        "articles": list(rule.articles),
                        "severity": hit.severity,
                        "message": hit.message,
                        "excerpt": post.text[hit.start : hit.end][:80],
                    }
                )
        if not disclaimer_complete(post.text, self.site, self.account):
            found.append(
                {
                    "rule": "disclaimer",
                    "articles": ["Communiceren 14", "Communiceren 19"],
                    "severity": BLOCK,
                    "message": _("De disclaimer ontbreekt of is niet volledig."),
                    "excerpt": "",
                }
            )
        try:
            period = in_lesson_time(self.site.school(self.account.school_id), post.created_at)
        except KeyError:
            period = None
        if period is not None:
            found.append(
                {
                    "rule": "lesson_hours",
                    "articles": ["Communiceren 6"],
                    "severity": WARN,
                    "message": _("Geplaatst tijdens lestijd ({start} tot {end}).").format(
                        start=period.start.strftime("%H:%M"), end=period.end.strftime("%H:%M")
                    ),
                    "excerpt": "",
                }
            )
        if post.media_count:
            found.append(
                {
                    "rule": "media_consent",
                    "articles": ["Communiceren 10", "Profileren 4"],
                    "severity": WARN,
                    "message": _("{n} foto's of video's: {what}.").format(
                        n=post.media_count, what=no_consent_evidence()
                    ),
                    "excerpt": "",
                }
            )
        return found


# --- the run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """What the progress bar shows: the account being read and the posts read so far."""

    account_index: int  # from 0
    accounts: int
    account_name: str
    posts_read: int
    waiting_until: datetime | None = None


@dataclass
class AccountResult:
    account_id: str
    account_name: str
    network: str
    done: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    posts: list[dict] = field(default_factory=list)
    problem: str = ""  # why it is not done (Dutch), "" when done
    unsupported: bool = False  # the network cannot show the posts: nothing to go on with later
    event_seq: int | None = None


@dataclass
class Outcome:
    school_year: str
    results: list[AccountResult]
    stopped: bool = False  # by the user
    resume_after: datetime | None = None  # a rate limit too long to wait for

    @property
    def complete(self) -> bool:
        return all(r.done or r.unsupported for r in self.results)

    @property
    def findings(self) -> int:
        return sum(len(r.posts) for r in self.results)


def accounts_of(site: Site, school_id: str = "") -> list[Account]:
    """The accounts a sweep reads: the real ones (a practice account has no network)."""
    return [
        account
        for school in site.schools
        if not school_id or school.id == school_id
        for account in school.accounts
        if account.network != PRACTICE.id
    ]


def run(
    store: Store,
    site: Site,
    school_year: str,
    accounts: list[Account],
    connector_for: Callable[[Account], Connector],
    by: str,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    on_progress: Callable[[Progress], None] = lambda progress: None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Outcome:
    """Sweeps each account in turn. An account whose network cannot read its posts, or that
    fails (sign-in expired, network down), is reported with the reason and the others go on;
    its progress is kept, so the next run continues it."""
    since, until = window(school_year)
    outcome = Outcome(school_year, [])
    for index, account in enumerate(accounts):
        result = AccountResult(account.id, account.name, account.network)
        outcome.results.append(result)
        if outcome.stopped or outcome.resume_after is not None:
            result.problem = _("Nog niet gedaan: de controle is onderbroken.")
            continue
        tally = _load(store, school_year, account.id)
        if tally.done:
            result.done, result.counts, result.posts = True, tally.counts, tally.posts
            continue

        def report(
            waiting: datetime | None = None,
            index: int = index,
            name: str = account.name,
            tally: sweep.Tally = tally,
        ) -> None:
            on_progress(Progress(index, len(accounts), name, tally.read, waiting))

        report()
        try:
            connector = connector_for(account)
        except ConnectorError as error:
            result.problem = str(error)
            continue
        with connector:
            if not connector.capabilities.read_own_posts:
                result.unsupported = True
                result.problem = _(
                    "Postwijs kan de berichten van {network} nog niet lezen; controleer dit account in {network} zelf."
                ).format(network=network_label(account.network))
                continue
            placed = sweep.placed_index(store, account.id)
            check = OutsideChecker(store, site, account)
            state = _read_all(
                store,
                tally,
                placed,
                check,
                connector,
                since,
                until,
                should_stop,
                report,
                sleep,
                now,
            )
        if state.stopped:
            outcome.stopped = True
            result.problem = _("Gestopt; de volgende keer gaat de controle hier verder.")
        elif state.resume_after is not None:
            outcome.resume_after = state.resume_after
            result.problem = _(
                "{network} laat Postwijs even wachten; start de controle na {time} opnieuw, dan gaat hij hier verder."
            ).format(
                network=network_label(account.network),
                time=state.resume_after.astimezone(SCHOOL_TIMEZONE).strftime("%H:%M"),
            )
        elif state.problem:
            result.problem = state.problem
        else:
            sweep.finish(tally, placed, since, until)
            school = account.school_id
            result.event_seq = sweep.record_tally(store, tally, by, school, account.network)
            _save(store, tally)
            result.done = True
        result.counts, result.posts = tally.counts, tally.posts
    if outcome.complete:
        for account in accounts:
            store.set_setting(_progress_key(school_year, account.id), "")
    return outcome


@dataclass
class _ReadState:
    stopped: bool = False
    resume_after: datetime | None = None
    problem: str = ""


def _read_all(
    store: Store,
    tally: sweep.Tally,
    placed: dict,
    check: OutsideChecker,
    connector: Connector,
    since: datetime,
    until: datetime,
    should_stop: Callable[[], bool],
    report: Callable[..., None],
    sleep: Callable[[float], None],
    now: Callable[[], datetime],
) -> _ReadState:
    """Reads until the end of the year's posts, a stop, or an error; waits out a short rate
    limit and goes on from the page it was on."""
    while True:
        try:
            for post in connector.read_own_posts(since, until, tally.resume):
                if should_stop():
                    _save(store, tally)
                    return _ReadState(stopped=True)
                page_before = tally.resume
                sweep.take(tally, placed, post, check)
                if tally.resume != page_before:
                    _save(store, tally)  # once a page: a stop loses at most one page's work
                report()
            return _ReadState()
        except RetryLater as error:
            _save(store, tally)
            moment = error.not_before or now() + DEFAULT_WAIT
            if moment - now() > MAX_WAIT:
                return _ReadState(resume_after=moment)
            log.info("sweep waits for the rate limit until %s", moment.isoformat())
            report(moment)
            while now() < moment:
                if should_stop():
                    return _ReadState(stopped=True)
                sleep(min(WAIT_STEP, max((moment - now()).total_seconds(), 0)))
        except ConnectorError as error:
            _save(store, tally)
            return _ReadState(problem=str(error))


def _load(store: Store, school_year: str, account_id: str) -> sweep.Tally:
    stored = sweep.Tally.from_json(store.setting(_progress_key(school_year, account_id)) or "")
    if stored is None or stored.account_id != account_id or stored.school_year != school_year:
        return sweep.Tally(account_id, school_year)
    return stored


def _save(store: Store, tally: sweep.Tally) -> None:
    store.set_setting(_progress_key(tally.school_year, tally.account_id), tally.to_json())


def unfinished(store: Store, school_year: str, accounts: list[Account]) -> bool:
    """Whether a sweep of the year was stopped and can go on."""
    return any(store.setting(_progress_key(school_year, a.id)) for a in accounts)


# --- what the user does about a finding -----------------------------------------------------


def retract(
    store: Store,
    connector: Connector,
    account: Account,
    school_year: str,
    remote_id: str,
    reason: str,
    by: str,
) -> int:
    """Deletes the post on the network, then records it with the reason. A ConnectorError
    passes to the caller (nothing is recorded then: the post is still there)."""
    if not reason.strip():
        raise ValueError("a retraction needs a reason")
    with connector:
        connector.delete(remote_id)
    seq = sweep.record_retracted(
        store, account.id, account.school_id, school_year, remote_id, reason.strip(), by
    )
    # A post of Postwijs's, edited on the network since: Geschiedenis shows it retracted too.
    outbox.record_retracted_elsewhere(store, account.id, remote_id, reason.strip(), by)
    return seq


def mark_reviewed(
    store: Store, account: Account, school_year: str, remote_id: str, note: str, by: str
) -> int:
    if not note.strip():
        raise ValueError("a review needs a note")
    return sweep.record_reviewed(
        store, account.id, account.school_id, school_year, remote_id, note.strip(), by
    )


@dataclass(frozen=True)
class Listed:
    """One post of the latest sweep of a year with something to look at, and what was done."""

    account_id: str
    school_id: str
    network: str
    remote_id: str
    klass: str
    url: str
    created_at: str
    findings: list[dict]
    handled: dict | None


def latest_findings(store: Store, school_year: str) -> list[Listed]:
    """The posts of the latest sweep event per account of the year, newest post first."""
    from app.history import chain as history

    latest: dict[str, history.Event] = {}
    for event in history.events(store, "sweep"):
        if event.data.get("school_year") == school_year:
            latest[event.data.get("account", "")] = event
    done = sweep.handled(store, school_year)
    listed = []
    for account_id, event in latest.items():
        for post in (event.details or {}).get("posts", []):
            listed.append(
                Listed(
                    account_id,
                    event.data.get("school", ""),
                    event.data.get("network", ""),
                    post.get("remote_id", ""),
                    post.get("class", ""),
                    post.get("url", ""),
                    post.get("created_at", ""),
                    post.get("findings", []),
                    done.get((account_id, post.get("remote_id", ""))),
                )
            )
    listed.sort(key=lambda item: item.created_at, reverse=True)
    return listed
