"""Nothing is published on a suspended account (Communiceren 12: stop using that medium at once)."""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.i18n import _
from app.rules.model import BLOCK, CheckContext, Finding


class SuspendedAccountRule:
    id = "suspended_account"
    articles = ("Communiceren 12",)

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        for variant in variants:
            if variant.account_id in ctx.suspended_accounts:
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=_(
                        "Kies een ander account: {account} is geschorst door de beheerder; er wordt"
                        " niets op geplaatst tot de schorsing is opgeheven."
                    ).format(account=variant.account_name),
                    account_id=variant.account_id,
                    network=variant.network,
                )


RULE = SuspendedAccountRule()
