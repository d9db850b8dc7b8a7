"""The practice account ("Oefenaccount"): publishes to a local timeline in the data folder.

The timeline is its own small SQLite file, so two Postwijs windows can post to it at once. A post is
keyed by the outbox's client key, so a retry finds the post instead of placing it again.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.i18n import _
from app.networks.connector import (
    Capabilities,
    Duplicates,
    NotSupported,
    OutgoingPost,
    PublishedPost,
    Rejected,
    SignIn,
)
from app.networks.profiles import PRACTICE, NetworkProfile
from app.shared_sqlite import BUSY_TIMEOUT_SECONDS, enable_wal
from connectors.base import BaseConnector

log = logging.getLogger("postwijs.practice")

TIMELINE_NAME = "oefentijdlijn.sqlite3"
MEDIA_FOLDER = "oefentijdlijn-media"


@dataclass(frozen=True)
class TimelinePost:
    id: str
    account_id: str
    account_name: str
    text: str
    published_at: datetime
    media: tuple[tuple[str, str], ...] = ()  # (path of the copy on the timeline, alt text)


def _open(data_dir: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        Path(data_dir) / TIMELINE_NAME, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
    )
    enable_wal(conn)
    # Two windows may open the timeline at the same moment: create or upgrade it under the lock.
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS posts (id TEXT PRIMARY KEY, client_key TEXT UNIQUE NOT NULL,"
            " account_id TEXT NOT NULL, account_name TEXT NOT NULL, text TEXT NOT NULL,"
            " published_at TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
            " media TEXT NOT NULL DEFAULT '[]')"
        )
        columns = {row[1] for row in conn.execute("PRAGMA table_info(posts)")}
        if "media" not in columns:  # a timeline from before photos
            conn.execute("ALTER TABLE posts ADD COLUMN media TEXT NOT NULL DEFAULT '[]'")
        conn.execute("COMMIT")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        conn.close()
        raise
    return conn


def read_timeline(data_dir: Path) -> list[TimelinePost]:
    """The practice posts, newest first, as a follower would see them."""
    if not (Path(data_dir) / TIMELINE_NAME).exists():
        return []
    with closing(_open(data_dir)) as conn:
        rows = conn.execute(
            "SELECT id, account_id, account_name, text, published_at, media FROM posts"
            " WHERE deleted = 0 ORDER BY published_at DESC, rowid DESC"
        ).fetchall()
    return [
        TimelinePost(
            pid,
            account,
            name,
            text,
            datetime.fromisoformat(at),
            tuple(tuple(m) for m in json.loads(media)),
        )
        for pid, account, name, text, at, media in rows
    ]


class PracticeConnector(BaseConnector):
    profile: NetworkProfile = PRACTICE
    capabilities = Capabilities(
        sign_in=SignIn.NONE,
        find_posts=True,
        delete=True,
        video=True,
        alt_text=True,
        duplicates=Duplicates.IDEMPOTENCY_KEY,  # the timeline keeps one post per client key
    )

    def __init__(self, data_dir: Path, account_id: str):
        self.data_dir = Path(data_dir)
        self.account_id = account_id

    def who_am_i(self) -> str:
        return _("Oefenaccount")

    def publish(self, post: OutgoingPost) -> PublishedPost:
        post_id = uuid.uuid4().hex
        try:
            # Like a network, the timeline keeps its own copy of what was uploaded.
            media = []
            for index, item in enumerate(post.media):
                folder = self.data_dir / MEDIA_FOLDER / post.client_key
                folder.mkdir(parents=True, exist_ok=True)
                copy = folder / f"{index}{Path(item.path).suffix}"
                shutil.copyfile(item.path, copy)
                media.append([str(copy), item.alt_text])
            with closing(_open(self.data_dir)) as conn:
                conn.execute(
                    "INSERT INTO posts (id, client_key, account_id, account_name, text, published_at, media)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(client_key) DO NOTHING",
                    [
                        post_id,
                        post.client_key,
                        post.account_id,
                        post.account_name,
                        post.text,
                        datetime.now(UTC).isoformat(),
                        json.dumps(media),
                    ],
                )
        except OSError as error:
            # The system's reason is English: it goes to the log, the author reads what to do.
            log.warning("practice timeline: photo not copied: %s", error)
            raise Rejected(
                _(
                    "De foto kon niet op de oefentijdlijn worden gezet. Kijk of er ruimte op de"
                    " schijf is en probeer het opnieuw."
                )
            ) from None
        except sqlite3.Error as error:
            log.warning("practice timeline: not written: %s", error)
            raise Rejected(
                _(
                    "De oefentijdlijn kon niet worden bijgewerkt. Kijk of er ruimte op de schijf"
                    " is en probeer het opnieuw."
                )
            ) from None
        found = self._by_client_key(post)
        if found is None:
            raise Rejected(_("De oefentijdlijn kon niet worden bijgewerkt."))
        return found

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """The timeline keeps every post by its client key, however long ago: `since` is not
        needed to find it."""
        return self._by_client_key(post)

    def _by_client_key(self, post: OutgoingPost) -> PublishedPost | None:
        with closing(_open(self.data_dir)) as conn:
            row = conn.execute(
                "SELECT id FROM posts WHERE client_key = ?", [post.client_key]
            ).fetchone()
        return PublishedPost(row[0], f"oefen:{row[0]}") if row else None

    def delete(self, remote_id: str) -> None:
        with closing(_open(self.data_dir)) as conn:
            conn.execute("UPDATE posts SET deleted = 1 WHERE id = ?", [remote_id])

    def list_follows(self) -> list[str]:
        raise NotSupported(_("Een oefenaccount volgt niemand."))
