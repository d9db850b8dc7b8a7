"""Turns a draft into the exact final text per chosen account, with the disclaimer fitted."""

from __future__ import annotations

from app.compose.disclaimer import LENGTHS, compose
from app.compose.post import Draft, Variant
from app.networks.profiles import profile
from app.site.config import Site


def build_variants(
    draft: Draft, site: Site, text_limits: dict[str, int] | None = None
) -> list[Variant]:
    """`text_limits` are limits an account's own server announced (app.networks.account_limits)."""
    if not draft.school_id or not draft.author_id:
        return []
    school = site.school(draft.school_id)
    author = site.author(draft.author_id)
    variants = []
    for account_id in draft.account_ids:
        account = site.account(account_id)
        net = profile(account.network)
        if text_limits and account.id in text_limits:
            net = net.with_text_limit(text_limits[account.id])
        post_text = draft.text_for(account_id)
        fitted = None
        for length in LENGTHS:
            disclaimer = site.disclaimers[account.kind][length].render(
                author.name, school.name, school.foundation
            )
            final = compose(post_text, disclaimer)
            title = draft.title if net.title_limits else None
            fitted = (length, disclaimer, final, net.measure(final, title=title))
            if fitted[3].length <= net.text_limit:
                break
        assert fitted is not None  # LENGTHS is never empty
        length, disclaimer, final, measurement = fitted
        count = measurement.length
        variants.append(
            Variant(
                account_id=account.id,
                account_name=account.name,
                network=account.network,
                post_text=post_text,
                disclaimer=disclaimer,
                disclaimer_length=length if count <= net.text_limit else None,
                final_text=final,
                length=count,
                limit=net.text_limit,
                # Other caps than the length (Bluesky's bytes, Instagram's hashtags), in Dutch.
                violations=measurement.violations[1:]
                if count > net.text_limit
                else measurement.violations,
            )
        )
    return variants
