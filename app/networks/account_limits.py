"""Limits an account's own server announces (a Mastodon instance's max_characters), remembered on
this laptop when the account is signed in, so the composer counts against them."""

from __future__ import annotations

import json

from app.store import Store

KEY = "account.text_limits"


def text_limits(store: Store) -> dict[str, int]:
    try:
        return {k: int(v) for k, v in json.loads(store.setting(KEY, "{}")).items()}
    except (ValueError, AttributeError):
        return {}


def remember_text_limit(store: Store, account_id: str, limit: int) -> None:
    limits = text_limits(store)
    limits[account_id] = int(limit)
    store.set_setting(KEY, json.dumps(limits, sort_keys=True))
