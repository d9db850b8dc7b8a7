"""What a network refuses besides the length: Bluesky's 3,000 bytes, Instagram's 30 hashtags and
20 mentions and its photo (or video) in every post, YouTube's < and > and its one video. Not an
article of the code of conduct: the network itself would refuse the post, so Postwijs blocks it
before sending."""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.i18n import _
from app.networks.profiles import profile
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
            if profile(variant.network).video_only and not _one_video(draft):
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=_(
                        "{network} neemt precies één video en verder geen foto's. Voeg één video"
                        " toe of vink {account} uit."
                    ).format(
                        network=_(profile(variant.network).label), account=variant.account_name
                    ),
                    account_id=variant.account_id,
                    network=variant.network,
                )
            if profile(variant.network).media_required and not draft.media:
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=_(
                        "{network} plaatst geen bericht zonder foto of video. Voeg een foto toe"
                        " of vink {account} uit."
                    ).format(
                        network=_(profile(variant.network).label), account=variant.account_name
                    ),
                    account_id=variant.account_id,
                    network=variant.network,
                )


def _one_video(draft: Draft) -> bool:
    return len(draft.media) == 1 and draft.media[0].kind == "video"


RULE = NetworkLimitsRule()
