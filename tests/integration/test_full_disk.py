"""A full disk while publishing: a clear Dutch message, nothing lost, nothing posted; once there is
room again the post goes out exactly once. The full disk is real to SQLite: the child process may
not write beyond its first byte of any file (RLIMIT_FSIZE), so every write fails with EFBIG."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from app.compose.model import ComposerModel
from app.history import chain as history
from app.publishing import outbox
from app.site.config import load_site
from app.store import Store
from tests.conftest import ROOT
from tests.integration.test_crash_mid_publish import SITE
from tests.servers.mastodon_server import MastodonServer

SEND_ON_A_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from app.publishing import outbox
    from app.store import Store, StoreError
    from connectors.mastodon import MastodonConnector

    data_dir, base, token, job = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    store = Store.open(data_dir)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))
    try:
        outbox.send(store, job, lambda account_id: MastodonConnector(base, lambda: token))
    except StoreError as error:
        print(error)
        sys.exit(3)
    """
)


def test_a_full_disk_stops_the_post_with_a_clear_message_and_it_goes_out_once_later(tmp_path):
    data_dir = tmp_path / "data"
    with MastodonServer() as server:
        token = server.issue_token(scopes="read write")
        site_file = tmp_path / "site.toml"
        site_file.write_text(SITE.format(base=server.base_url), encoding="utf-8")
        site = load_site(site_file)
        store = Store.open(data_dir)
        model = ComposerModel(site)
        model.set_account("s-mastodon", True)
        model.set_text("De schoolfotograaf komt dinsdag")
        job = outbox.submit(store, model.draft, model.variants())

        full = subprocess.run(
            [sys.executable, "-c", SEND_ON_A_FULL_DISK, str(data_dir), server.base_url, token, job],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert full.returncode == 3, full.stdout + full.stderr
        assert "De schijf is vol" in full.stdout and "Er is niets verloren gegaan" in full.stdout
        assert server.stored_statuses() == []  # nothing went out while nothing could be recorded

        from connectors.mastodon import MastodonConnector

        (target,) = outbox.send(
            store, job, lambda account_id: MastodonConnector(server.base_url, lambda: token)
        )
        assert target.state == outbox.POSTED
        assert len(server.stored_statuses()) == 1
        assert len(history.events(store, "published")) == 1 and history.verify(store).intact
        store.close()
