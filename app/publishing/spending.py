"""What posting costs where a network charges per use, what an account spent this month, and what
is left of the monthly budget the site configuration sets for it.

X charges per request since 6 February 2026 (../shared/networks.md, X, pricing): creating a post
costs $0.015, a post with a URL $0.20, each photo's alt text (a media-metadata request) $0.005 and
a delete $0.010. Uploading media is not priced. A URL is what X itself counts as one: every URL
twitter-text finds, also one without a scheme such as `scoh.nl/nieuws`.

The month is the Dutch calendar month (Europe/Amsterdam), as the school reads it; what was spent
is read from the history (posts placed, posts deleted), so it survives a restart and counts posts
that went out from another Postwijs with the same data as well.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from app.compose.post import Draft, Variant
from app.dutch_time import long_moment
from app.i18n import _
from app.lesson_time import SCHOOL_TIMEZONE
from app.networks.connector import OutgoingMedia
from app.networks.profiles import names_network
from app.networks.textcount import url_spans
from app.site.config import Site
from app.store import Store

X_NETWORK = "x"
X_POST = Decimal("0.015")
X_POST_WITH_LINK = Decimal("0.20")
X_ALT_TEXT = Decimal("0.005")
X_DELETE = Decimal("0.010")


def charges_per_post(network: str) -> bool:
    return network == X_NETWORK


def post_cost(network: str, text: str, media: Sequence[OutgoingMedia] = ()) -> Decimal:
    """What placing this exact post with its prepared media costs the foundation; 0 where the
    network charges nothing."""
    described = [m for m in media if m.alt_text and m.mime_type.startswith("image/")]
    return cost_of(network, text, len(described))


def cost_of(network: str, text: str, described_photos: int) -> Decimal:
    """The same before the media are prepared: `described_photos` photos carry alt text (a
    video's description is no metadata request)."""
    if not charges_per_post(network):
        return Decimal(0)
    cost = X_POST_WITH_LINK if url_spans(text) else X_POST
    return cost + X_ALT_TEXT * described_photos


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The Dutch calendar month around `now`: its first moment and the first of the next."""
    local = now.astimezone(SCHOOL_TIMEZONE)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = start.replace(year=start.year + 1, month=1) if start.month == 12 else None
    end = following or start.replace(month=start.month + 1)
    return start.astimezone(UTC), end.astimezone(UTC)


def _stored(moment: datetime) -> str:
    """As the history writes its moments (app.store.now_iso), so that texts compare in order."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def spent_this_month(store: Store, account_id: str, now: datetime) -> Decimal:
    """What the account's posts placed and deleted this Dutch month cost."""
    start, end = month_bounds(now)
    window = [account_id, X_NETWORK, _stored(start), _stored(end)]
    placed = store.execute(
        "SELECT t.final_text, t.media FROM history h"
        " JOIN outbox_targets t ON t.id = json_extract(h.data, '$.target')"
        " WHERE h.kind = 'published' AND json_extract(h.data, '$.account') = ?"
        " AND json_extract(h.data, '$.network') = ? AND h.at >= ? AND h.at < ?",
        window,
    ).fetchall()
    spent = sum(
        (
            post_cost(X_NETWORK, text, [OutgoingMedia(**m) for m in json.loads(media_json or "[]")])
            for text, media_json in placed
        ),
        Decimal(0),
    )
    (deleted,) = store.execute(
        "SELECT COUNT(*) FROM history h WHERE h.kind = 'retracted'"
        " AND json_extract(h.data, '$.account') = ? AND json_extract(h.data, '$.network') = ?"
        " AND h.at >= ? AND h.at < ?",
        window,
    ).fetchone()
    return spent + X_DELETE * deleted


@dataclass(frozen=True)
class MonthBudget:
    """An account's spending this month against its budget (None: the site sets no limit)."""

    spent: Decimal
    budget: Decimal | None
    next_month: datetime  # when the month ends and the spending starts again from nothing

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else max(self.budget - self.spent, Decimal(0))

    def allows(self, cost: Decimal) -> bool:
        return self.budget is None or self.spent + cost <= self.budget


def month_budget(
    store: Store, account_id: str, budget: Decimal | None, now: datetime
) -> MonthBudget:
    return MonthBudget(spent_this_month(store, account_id, now), budget, month_bounds(now)[1])


def budgets(site: Site) -> dict[str, Decimal]:
    """Every account's monthly budget where the site sets one, by account id."""
    return {
        account.id: account.monthly_budget
        for school in site.schools
        for account in school.accounts
        if account.monthly_budget is not None
    }


def dollars(amount: Decimal) -> str:
    """ "$0,20", "$0,015", "$12,50": Dutch decimals, to the cent unless the amount has less."""
    places = Decimal("0.01") if amount == amount.quantize(Decimal("0.01")) else Decimal("0.001")
    return "$" + str(amount.quantize(places)).replace(".", ",")


def price_note() -> str:
    """What the foundation pays X, in plain words for the Accounts page."""
    return _(
        "De stichting betaalt X per bericht: {post} per bericht, {link} als er een link in staat."
    ).format(post=dollars(X_POST), link=dollars(X_POST_WITH_LINK))


def month_line(month: MonthBudget) -> str:
    """ "Deze maand uitgegeven: $1,23 van $10,00." """
    if month.budget is None:
        return _(
            "Deze maand uitgegeven: {spent} (de siteconfiguratie stelt geen maandbudget in)."
        ).format(spent=dollars(month.spent))
    return _("Deze maand uitgegeven: {spent} van {budget}.").format(
        spent=dollars(month.spent), budget=dollars(month.budget)
    )


def card_line(month: MonthBudget | None) -> str:
    """What an X account's card on the Accounts page says: the price, and this month's spending
    once it is read (None: not yet)."""
    if month is None:
        return price_note()
    return price_note() + " " + month_line(month)


def confirm_line(cost: Decimal, month: MonthBudget) -> str:
    """What the publish confirmation says of one X target: its cost and what is left after it."""
    said = _("Dit bericht kost de stichting {cost} op X.").format(cost=dollars(cost))
    if month.budget is None or month.left is None:
        return said + " " + month_line(month)
    if not month.allows(cost):
        return (
            said
            + " "
            + _(
                "Er is deze maand nog {left} over van {budget}: dat is te weinig. Postwijs houdt"
                " het bericht vast tot de ICT-beheerder het budget verhoogt in de siteconfiguratie."
            ).format(left=dollars(month.left), budget=dollars(month.budget))
        )
    return (
        said
        + " "
        + _("Daarna is er deze maand nog {left} over van {budget}.").format(
            left=dollars(month.left - cost), budget=dollars(month.budget)
        )
    )


def confirm_lines(
    store: Store, site: Site, draft: Draft, variants: Sequence[Variant], now: datetime
) -> dict[str, str]:
    """The confirmation's line per target on a network that charges per post, by account id."""
    photos = sum(1 for m in draft.media if m.kind == "image" and m.alt_text)
    lines = {}
    for v in variants:
        if charges_per_post(v.network):
            cost = cost_of(v.network, v.final_text, photos)
            budget = site.account(v.account_id).monthly_budget
            lines[v.account_id] = confirm_line(cost, month_budget(store, v.account_id, budget, now))
    return lines


def over_budget_reason(account_name: str, cost: Decimal, month: MonthBudget) -> str:
    """Why a post waits: the account's budget for the month is used up, and who can change it."""
    assert month.budget is not None and month.left is not None
    if not names_network(account_name, X_NETWORK):  # "De Regenboog op X" says it already
        account_name = _("{account} op X").format(account=account_name)
    return _(
        "Het budget van deze maand voor {account} is op: dit bericht kost {cost} en er is"
        " nog {left} over van {budget}. De stichting betaalt X per bericht. Postwijs houdt het"
        " bericht vast (het concept blijft bewaard) en plaatst het zodra de ICT-beheerder het"
        " budget verhoogt in de siteconfiguratie (monthly_budget bij dit account). Vanaf"
        " {next_month} kun je het ook zelf opnieuw proberen via Geschiedenis."
    ).format(
        account=account_name,
        cost=dollars(cost),
        left=dollars(month.left),
        budget=dollars(month.budget),
        next_month=long_moment(month.next_month).split(",")[0],
    )
