"""The composer's state as a plain model: the draft, its variants, and whether it may be published.

Widgets edit it through its methods and subscribe to `changed`; all policy lives here, not in Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from app.compose.post import Draft, Variant
from app.events import Event
from app.i18n import _, ngettext
from app.site.config import Account, Site

# The networks' counting (app.networks.profiles, app.compose.variants) is imported where first used: its patterns
# are not needed to show the composer (bench/startup.py).


def remaining_in_words(variant: Variant) -> str:
    """'nog 49 tekens' or '12 tekens te veel': words for people, not '231/280'."""
    if variant.remaining >= 0:
        return ngettext("nog {n} teken", "nog {n} tekens", variant.remaining).format(
            n=variant.remaining
        )
    over = -variant.remaining
    return ngettext("{n} teken te veel", "{n} tekens te veel", over).format(n=over)


@dataclass(frozen=True)
class TitleRoom:
    """The video's title against the chosen networks that take one (YouTube): its length as the
    network counts it, the limit, and what to change, in Dutch (empty when it fits)."""

    length: int
    limit: int
    problems: tuple[str, ...] = ()

    @property
    def remaining(self) -> int:
        return self.limit - self.length

    def in_words(self) -> str:
        """'nog 86 tekens' or '3 tekens te veel', as the text's counter says it."""
        if self.remaining >= 0:
            return ngettext("nog {n} teken", "nog {n} tekens", self.remaining).format(
                n=self.remaining
            )
        over = -self.remaining
        return ngettext("{n} teken te veel", "{n} tekens te veel", over).format(n=over)


@dataclass(frozen=True)
class Availability:
    """Whether Postwijs can post on an account from this computer now, in words for the author:
    `state` what is the matter ("niet aangemeld"), `what_to_do` the step that makes it postable."""

    can_post: bool
    state: str = ""
    what_to_do: str = ""


# The account states of the accounts service (app.accounts.service), by
# value, so the composer needs neither: only these two can post.
_POSTABLE_STATES = frozenset({"connected", "practice"})


def availability_of(state: str, state_words: str, note: str = "") -> Availability:
    """Turns an account's state (as the Accounts page shows it) into what the composer needs."""
    if state in _POSTABLE_STATES:
        return Availability(True, state_words)
    what_to_do = {
        "signed_out": _("Eerst aanmelden bij Accounts."),
        "reconnect": _("Eerst opnieuw aanmelden bij Accounts."),
        "no_vault": _("Kan op deze computer niet worden gebruikt; vraag de ICT-beheerder."),
        "suspended": _("Een beheerder heeft dit account geschorst; er wordt niets op geplaatst."),
        "unavailable": _("Postwijs kan op dit netwerk nog niet plaatsen."),
    }.get(state, note or _("Kijk bij Accounts wat er nodig is."))
    return Availability(False, state_words, what_to_do)


def _until_known(account: Account) -> Availability:
    # The practice account needs no sign-in; the others wait until their state has been read.
    if account.network == "practice":
        return Availability(True)
    return Availability(False, _("wordt nagekeken"), _("Postwijs kijkt of dit account klaar is."))


class ComposerModel:
    """`clock` gives the current moment (tests pass a fixed one); `people` is the consent register
    as the rules see it. `availability` is what is known of which accounts can post: None (a
    headless use) does not ask; a mapping, even an empty one, lets only the known postable
    accounts be chosen, and the practice account, until `set_availability` tells more."""

    def __init__(
        self,
        site: Site,
        author_id: str | None = None,
        people: list | None = None,
        clock=lambda: datetime.now(UTC),
        availability: Mapping[str, Availability] | None = None,
    ):
        self.site = site
        self.clock = clock
        self._people = list(people or [])
        self._suspended: frozenset[str] = frozenset()
        self._availability: dict[str, Availability] | None = (
            None if availability is None else dict(availability)
        )
        self._text_limits: dict[str, int] = {}
        self._context = None
        self._report = None
        self.review = (
            None  # app.compose.drafts.Review when the draft was put before the leidinggevende
        )
        author = site.author(author_id) if author_id else site.default_author()
        schools = site.schools_of(author)
        self.draft = Draft(author_id=author.id, school_id=schools[0].id if schools else "")
        self.changed = Event()
        self._variants: list[Variant] | None = None
        self._select_default_accounts()

    @property
    def author(self):
        return self.site.author(self.draft.author_id)

    @property
    def school(self):
        return self.site.school(self.draft.school_id)

    def schools(self):
        return self.site.schools_of(self.author)

    def accounts(self) -> list[Account]:
        return list(self.school.accounts)

    def _select_default_accounts(self) -> None:
        # A new user on the demo site should be able to post at once: the practice account is on.
        self.draft.account_ids = [a.id for a in self.accounts() if a.network == "practice"]

    def availability(self, account_id: str) -> Availability:
        if self._availability is None:
            return Availability(True)
        known = self._availability.get(account_id)
        return known if known is not None else _until_known(self.site.account(account_id))

    @property
    def availability_known(self) -> bool:
        """Whether the accounts' states have been read (until then only practice can be ticked)."""
        return bool(self._availability)

    def set_availability(self, availability: Mapping[str, Availability]) -> None:
        """What the composition root learned of each account (signed in, vault, connector). An
        account that can no longer post leaves the draft, so nothing is sent where it cannot go."""
        self._availability = dict(availability)
        self.draft.account_ids = [
            a for a in self.draft.account_ids if a not in self._availability or self.can_post(a)
        ]
        self._changed()

    def can_post(self, account_id: str) -> bool:
        return self.availability(account_id).can_post

    def accounts_left_out(self) -> list[tuple[str, str]]:
        """The school's accounts that will not get this post, each with why, in words."""
        chosen = set(self.draft.account_ids)
        left_out = []
        for account in self.accounts():
            if account.id in chosen:
                continue
            found = self.availability(account.id)
            why = _("niet aangevinkt") if found.can_post else f"{found.state}: {found.what_to_do}"
            left_out.append((account.name, why))
        return left_out

    def _changed(self) -> None:
        self._variants = None
        self._report = None
        self.changed.emit()

    def context(self):
        """The rules' context, built once (its name indexes are costly); its moment kept current."""
        from app.rules.model import CheckContext

        now = self.clock().replace(second=0, microsecond=0)
        if self._context is None:
            self._context = CheckContext(
                site=self.site, at=now, people=self._people, suspended_accounts=self._suspended
            )
        self._context.at = now
        return self._context

    def set_text_limits(self, limits: dict[str, int]) -> None:
        """Limits the accounts' own servers announced (a Mastodon instance's max_characters)."""
        self._text_limits = dict(limits)
        self._changed()

    def set_suspended(self, account_ids) -> None:
        """Accounts an administrator suspended: the rules block publishing on them."""
        self._suspended = frozenset(account_ids)
        self._context = None
        self._changed()

    def set_people(self, people: list) -> None:
        self._people = list(people)
        self._context = None
        self._changed()

    def register_note(self) -> str:
        """When this school's consent register is empty, names and photos cannot be checked
        against it: the checks must say so, and whom to ask, instead of "Niets gevonden"."""
        if any(p.school_id == self.draft.school_id for p in self._people):
            return ""
        contact = self.school.consent_contact
        who = (
            (f"{contact.name} ({contact.email})" if contact and contact.email else contact.name)
            if contact
            else _("de administratie van de school")
        )
        return _(
            "Het toestemmingsregister van {school} is nog leeg, dus namen van leerlingen en"
            " gezichten op foto's kunnen nog niet worden nagekeken. Vraag {who} het register te"
            " importeren (bij Toestemmingen)."
        ).format(school=self.school.name, who=who)

    def report(self):
        """The findings of every rule on the draft as it is now."""
        if self._report is None:
            from app.rules.registry import check

            self._report = check(self.draft, self.context(), self.variants())
        return self._report

    def set_text(self, text: str) -> None:
        if text != self.draft.text:
            self.draft.text = text
            self._changed()

    def set_title(self, title: str) -> None:
        """The video's title, for the networks that take one (YouTube); kept with the draft."""
        if title != self.draft.title:
            self.draft.title = title
            self._changed()

    def title_room(self) -> TitleRoom | None:
        """How the title fits the chosen networks that take one; None when none is chosen (the
        composer then shows no title field). With several, the tightest limit counts."""
        from app.networks.profiles import profile

        rooms = []
        for account_id in self.draft.account_ids:
            net = profile(self.site.account(account_id).network)
            if not net.title_limits:
                continue
            length_limit = net.title_limits[0]
            problems = tuple(
                problem
                for limit in net.title_limits
                if (problem := limit.check(self.draft.title, _(net.label))) is not None
            )
            rooms.append(
                TitleRoom(length_limit.count(self.draft.title), length_limit.limit, problems)
            )
        if not rooms:
            return None
        return min(rooms, key=lambda room: (room.remaining, -len(room.problems)))

    def set_synthetic_media(self, declared: bool) -> None:
        """The author's declaration that the video shows realistic AI-made or altered content."""
        if declared != self.draft.synthetic_media:
            self.draft.synthetic_media = declared
            self._changed()

    def asks_synthetic_media(self) -> tuple[str, ...]:
        """The chosen networks that ask whether the attached video is AI-made or altered (the
        composer shows the question only then): their labels, in Dutch; () without a video."""
        from app.networks.profiles import profile

        if not any(item.kind == "video" for item in self.draft.media):
            return ()
        labels = []
        for account_id in self.draft.account_ids:
            net = profile(self.site.account(account_id).network)
            if net.declares_synthetic_media and _(net.label) not in labels:
                labels.append(_(net.label))
        return tuple(labels)

    def declarations(self) -> dict[str, str]:
        """Per chosen account whose network asks about the video: what the author declares, in
        words, for the confirmation (the history records the same)."""
        from app.compose.declarations import synthetic_media_words
        from app.networks.profiles import profile

        if not self.asks_synthetic_media():
            return {}
        said = {}
        for account_id in self.draft.account_ids:
            net = profile(self.site.account(account_id).network)
            if net.declares_synthetic_media:
                said[account_id] = synthetic_media_words(_(net.label), self.draft.synthetic_media)
        return said

    def set_school(self, school_id: str) -> None:
        if school_id != self.draft.school_id:
            self.draft.school_id = school_id
            self.draft.custom_texts.clear()
            self._select_default_accounts()
            self._changed()

    def set_account(self, account_id: str, chosen: bool) -> None:
        ids = self.draft.account_ids
        if chosen and not self.can_post(account_id):
            return
        if chosen and account_id not in ids:
            ids.append(account_id)
        elif not chosen and account_id in ids:
            ids.remove(account_id)
        else:
            return
        # Keep the school's order, so previews do not jump around.
        order = [a.id for a in self.accounts()]
        ids.sort(key=order.index)
        self._changed()

    def variants(self) -> list[Variant]:
        if self._variants is None:
            from app.compose.variants import build_variants

            self._variants = build_variants(self.draft, self.site, self._text_limits)
        return self._variants

    def why_not_publishable(self) -> str:
        """Empty when Plaatsen may be pressed; otherwise the reason, in words for the author."""
        if not self.draft.text.strip():
            return _("Schrijf eerst je bericht.")
        if not self.draft.account_ids:
            return _("Kies ten minste één account om op te plaatsen.")
        for account_id in self.draft.account_ids:
            if not self.can_post(account_id):
                found = self.availability(account_id)
                return _("{account}: {state}. {what_to_do}").format(
                    account=self.site.account(account_id).name,
                    state=found.state,
                    what_to_do=found.what_to_do,
                )
        review_reason = self._review_reason()
        if review_reason:
            return review_reason
        from app.networks.profiles import account_with_network

        for v in self.variants():
            if v.violations:
                return v.violations[0]
            if not v.fits:
                return _("Je bericht is {over} te lang voor {account}. Maak het korter.").format(
                    over=ngettext("{n} teken", "{n} tekens", -v.remaining).format(n=-v.remaining),
                    account=account_with_network(v.account_name, v.network),
                )
        blocking = self.report().counts()["block"]
        if blocking:
            return ngettext(
                "Plaatsen kan nog niet: los eerst op wat blokkeert (rechts, {n} punt).",
                "Plaatsen kan nog niet: los eerst op wat blokkeert (rechts, {n} punten).",
                blocking,
            ).format(n=blocking)
        return ""

    def final_texts(self) -> list[str]:
        return [v.final_text for v in self.variants()]

    def _review_reason(self) -> str:
        from app.compose.drafts import REJECTED, WAITING
        from app.history.chain import digest

        if self.review is None:
            return ""
        if self.review.state == WAITING:
            return _(
                "Je bericht is voorgelegd aan {manager}. Wacht op het antwoord en leg het vast met"
                " ‘Antwoord vastleggen’."
            ).format(manager=self.review.manager)
        if self.review.state == REJECTED and digest(self.final_texts()) == self.review.text_sha256:
            return _(
                "{who} ging niet akkoord met dit bericht. Pas het aan of plaats het niet."
            ).format(who=self.review.answered_by or self.review.manager)
        return ""

    def set_review(self, review) -> None:
        self.review = review
        self._changed()

    def load(self, draft: Draft, review=None) -> None:
        """Continues a saved draft (after a restart or a crash)."""
        known = {a.id for s in self.site.schools for a in s.accounts}
        if draft.author_id != self.draft.author_id or draft.school_id not in {
            s.id for s in self.schools()
        }:
            return
        draft.account_ids = [a for a in draft.account_ids if a in known]
        self.draft = draft
        self.review = review
        self._changed()

    def start_new(self) -> None:
        """A fresh draft for the same school and accounts, after the last one was published."""
        self.draft = Draft(
            author_id=self.draft.author_id,
            school_id=self.draft.school_id,
            account_ids=list(self.draft.account_ids),
        )
        self.review = None
        self._changed()

    def set_custom_text(self, account_id: str, text: str | None) -> None:
        """Gives one account its own text (None: back to the shared text); the disclaimer stays."""
        if text is None:
            if self.draft.custom_texts.pop(account_id, None) is not None:
                self._changed()
        elif self.draft.custom_texts.get(account_id) != text:
            self.draft.custom_texts[account_id] = text
            self._changed()
