"""Changes of the site configuration are recorded in the history (Uitgangspunten 9): which file,
and the digest of its content, each time Postwijs starts with a different configuration."""

from __future__ import annotations

import hashlib

from app.history import chain as history
from app.site.config import DEMO_SITE_FILE, Site
from app.store import Store

SETTING = "site.sha256"


def record_if_changed(store: Store, site: Site) -> bool:
    """Appends a "site_config_changed" event when the configuration differs from the last one
    this laptop recorded; returns whether it did."""
    path = site.source or DEMO_SITE_FILE
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
    if store.setting(SETTING) == digest:
        return False
    previous = store.setting(SETTING) or None
    history.append(
        store,
        "site_config_changed",
        {
            "file": "demo" if site.is_demo else str(path),
            "sha256": digest,
            "previous_sha256": previous,
        },
        together_with=lambda db: db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [SETTING, digest],
        ),
    )
    return True
