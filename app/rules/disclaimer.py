"""Every variant ends with the disclaimer, and it must fit (Communiceren 14, 19).

The disclaimer itself is appended by app.compose.variants and cannot be edited; this rule blocks a network
where even the short wording does not fit, with the exact overflow, and blocks text that could
change how the disclaimer reads (direction controls that run on into it).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.i18n import _, ngettext
from app.networks.profiles import account_with_network
from app.rules.model import BLOCK, CheckContext, Finding

# Characters that change the direction of everything after them, the disclaimer included.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class DisclaimerRule:
    id = "disclaimer"
    articles = ("Communiceren 14", "Communiceren 19")

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        for variant in variants:
            if variant.disclaimer_length is None:
                over = variant.length - variant.limit
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=_(
                        "Maak je bericht korter: {over} te lang voor {account}, ook met de korte"
                        " disclaimer."
                    ).format(
                        over=ngettext("{n} teken", "{n} tekens", over).format(n=over),
                        account=account_with_network(variant.account_name, variant.network),
                    ),
                    account_id=variant.account_id,
                    network=variant.network,
                )
        for account_id, text in texts_of(draft):
            if DIRECTION_CONTROLS.isdisjoint(text):
                continue  # one pass in C instead of a look at every character
            for index, char in enumerate(text):
                if char in DIRECTION_CONTROLS:
                    yield Finding(
                        rule=self.id,
                        articles=self.articles,
                        severity=BLOCK,
                        message=_(
                            "Haal het onzichtbare richtingsteken weg: het kan de disclaimer"
                            " onleesbaar maken."
                        ),
                        span=(index, index + 1),
                        account_id=account_id,
                        fix="remove_hidden_characters",
                    )
                    break


def texts_of(draft: Draft) -> list[tuple[str | None, str]]:
    """The draft's own text (account None) and each chosen account's custom text."""
    texts: list[tuple[str | None, str]] = [(None, draft.text)]
    texts += [(a, t) for a, t in draft.custom_texts.items() if a in draft.account_ids]
    return texts


RULE = DisclaimerRule()
