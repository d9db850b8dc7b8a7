"""What a network refuses besides the length: Bluesky's 3,000 bytes, Instagram's 30 hashtags and
20 mentions, its photo (or video) in every post and its video alone, more photos than a post of the
network holds (Instagram's carousel of 10), YouTube's < and > and its one video. Not an
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
            limits = profile(variant.network)
            network = _(limits.label)
            refusals = [f"{violation} ({variant.account_name})" for violation in variant.violations]
            if limits.media_required and not draft.media:
                refusals.append(
                    _(
                        "{network} plaatst geen bericht zonder foto of video. Voeg een foto toe"
                        " of vink {account} uit."
                    ).format(network=network, account=variant.account_name)
                )
            if limits.video_only and not _one_video(draft):
                refusals.append(
                    _(
                        "{network} neemt precies één video en verder geen foto's. Voeg één video"
                        " toe of vink {account} uit."
                    ).format(network=network, account=variant.account_name)
                )
            if limits.video_alone and _video_among_others(draft):
                refusals.append(
                    _(
                        "{network} neemt een video alleen: zonder foto's en zonder tweede video."
                        " Houd één video over, of alleen foto's, of vink {account} uit."
                    ).format(network=network, account=variant.account_name)
                )
            too_many = len(draft.media) - limits.max_images
            if (
                limits.max_images
                and too_many > 0
                and variant.network not in _COUNT_DECIDED_ELSEWHERE
            ):
                refusals.append(
                    _(
                        "{network} neemt hoogstens {limit} foto's in één bericht; je hebt er"
                        " {count}. Haal er {excess} weg of vink {account} uit."
                    ).format(
                        network=network,
                        limit=limits.max_images,
                        count=len(draft.media),
                        excess=too_many,
                        account=variant.account_name,
                    )
                )
            for message in refusals:
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=BLOCK,
                    message=message,
                    account_id=variant.account_id,
                    network=variant.network,
                )


# The practice timeline takes any number of photos; a Mastodon server announces its own maximum,
# which its connector reads when it posts.
_COUNT_DECIDED_ELSEWHERE = frozenset({"practice", "mastodon"})


def _video_among_others(draft: Draft) -> bool:
    return len(draft.media) > 1 and any(item.kind == "video" for item in draft.media)


def _one_video(draft: Draft) -> bool:
    return len(draft.media) == 1 and draft.media[0].kind == "video"


RULE = NetworkLimitsRule()
