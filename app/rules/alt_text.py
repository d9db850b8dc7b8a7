"""Every photo gets a description for people who cannot see it (alt text), within each network's
limit. Not an article of the code of conduct: a network refuses a description that is too long,
and a school's posts should reach every parent."""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.i18n import _
from app.networks.profiles import profile
from app.networks.textcount import utf16_units
from app.rules.model import BLOCK, WARN, CheckContext, Finding


class AltTextRule:
    id = "alt_text"
    articles: tuple[str, ...] = ()

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        images = [(n, item) for n, item in enumerate(draft.media, start=1) if item.kind == "image"]
        for number, item in images:
            if not item.alt_text.strip():
                yield Finding(
                    rule=self.id,
                    articles=self.articles,
                    severity=WARN,
                    message=_(
                        "Beschrijf foto {n} voor wie hem niet kan zien (een korte zin is genoeg)."
                    ).format(n=number),
                    media=number,
                )
                continue
            length = utf16_units(item.alt_text)
            for variant in variants:
                limit = profile(variant.network).alt_text_limit
                if length > limit:
                    yield Finding(
                        rule=self.id,
                        articles=self.articles,
                        severity=BLOCK,
                        message=_(
                            "Maak de beschrijving van foto {n} {over} tekens korter: {account} neemt er {limit}."
                        ).format(
                            n=number, over=length - limit, account=variant.account_name, limit=limit
                        ),
                        account_id=variant.account_id,
                        network=variant.network,
                        media=number,
                    )


RULE = AltTextRule()
