"""What a network refuses besides the length: Bluesky's 3,000 bytes, Instagram's 30 hashtags and
20 mentions, YouTube's < and >. Not an article of the code of conduct: the network itself would
refuse the post, so Postwijs blocks it before sending."""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.rules.model import BLOCK, CheckContext, Finding


class NetworkLimitsRule:
    id = "network_limits"
    articles: tuple[str, ...] = ()

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        for variant in variants:
            for violation in variant.violations:
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=f"{violation} ({variant.account_name})",
                    account_id=variant.account_id,
                    network=variant.network,
                )


RULE = NetworkLimitsRule()
