"""Kill Postwijs in the middle of publishing, start again: the post is on the server exactly once
and nothing is lost, also when the first look-ups after the restart fail and the laptop comes back
only days later. The network is the Mastodon contract server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta

from app.history import chain as history
from app.publishing import outbox
from app.store import Store
from tests.conftest import ROOT
from tests.servers.mastodon_server import MastodonServer

SITE = """
[[authors]]
id = "a"
name = "Anne Jansen"
role = "communicatie"

[[schools]]
id = "s"
name = "Basisschool De Linde"
foundation = "SCOH"
type = "basisschool"

[[schools.accounts]]
id = "s-mastodon"
network = "mastodon"
name = "De Linde op Mastodon"
kind = "official"
instance = "{base}"
"""

PUBLISH_THEN_DIE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.publishing import outbox
    from app.compose.model import ComposerModel
    from app.site.config import load_site
    from app.store import Store
    from connectors.mastodon import MastodonConnector

    data_dir, site_file, token = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    site = load_site(site_file)
    store = Store.open(data_dir)
    model = ComposerModel(site)
    model.set_account("s-mastodon", True)
    model.set_text("De nieuwe speeltoestellen zijn er!")
    job = outbox.submit(store, model.draft, model.variants())
    print("submitted", flush=True)
    connector = MastodonConnector(site.account("s-mastodon").instance, lambda: token)
    outbox.send(store, job, lambda account_id: connector)
    print("sent", flush=True)
    """
)

RESUME = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from app.publishing import scheduler
    from app.site.config import load_site
    from app.store import Store
    from connectors.mastodon import MastodonConnector

    data_dir, site_file, token = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    hours = float(sys.argv[4]) if len(sys.argv) > 4 else 2
    site = load_site(site_file)
    store = Store.open(data_dir)
    connector = MastodonConnector(site.account("s-mastodon").instance, lambda: token)
    # What the app does soon after it starts: send what is due, settling unknown outcomes first.
    later = datetime.now(UTC) + timedelta(hours=hours)
    for outcome in scheduler.run_due(store, site, lambda account_id: connector, later):
        print(outcome.job_id, [t.state for t in outcome.targets], flush=True)
    """
)


def kill_after_the_server_stored_the_post(server, data_dir, site_file, token) -> None:
    # The server stores the status and then hangs up, as when the laptop dies mid-request.
    server.drop_connection_after_status = 1
    child = subprocess.Popen(
        [sys.executable, "-c", PUBLISH_THEN_DIE, str(data_dir), str(site_file), token],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not server.stored_statuses() and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert len(server.stored_statuses()) == 1


def resume(data_dir, site_file, token, hours: float = 2) -> subprocess.CompletedProcess:
    resumed = subprocess.run(
        [sys.executable, "-c", RESUME, str(data_dir), str(site_file), token, str(hours)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    return resumed


def test_a_kill_after_the_server_stored_the_post_never_posts_it_twice(tmp_path):
    data_dir = tmp_path / "data"
    with MastodonServer() as server:
        token = server.issue_token(scopes="read write")
        site_file = tmp_path / "site.toml"
        site_file.write_text(SITE.format(base=server.base_url), encoding="utf-8")
        kill_after_the_server_stored_the_post(server, data_dir, site_file, token)

        store = Store.open(data_dir)
        (job,) = outbox.unfinished(store)  # nothing lost: the job survived the kill
        resumed = resume(data_dir, site_file, token)
        assert "posted" in resumed.stdout
        (status,) = server.stored_statuses()
        (target,) = outbox.targets(store, job)
        assert target.state == outbox.POSTED and target.remote_id == status.id
        assert len(history.events(store, "published")) == 1
        assert history.verify(store).intact
        # The resumed run looked for the post before anything else; it posted nothing.
        assert len(server.requests_to("POST", r"^/api/v1/statuses$")) == 1
        store.close()


def test_after_a_kill_failed_look_ups_and_a_weekend_offline_it_is_still_posted_once(tmp_path):
    data_dir = tmp_path / "data"
    with MastodonServer() as server:
        token = server.issue_token(scopes="read write")
        site_file = tmp_path / "site.toml"
        site_file.write_text(SITE.format(base=server.base_url), encoding="utf-8")
        kill_after_the_server_stored_the_post(server, data_dir, site_file, token)
        store = Store.open(data_dir)
        (job,) = outbox.unfinished(store)

        # The next two starts find the server unavailable when they look for the post.
        for hours in (2, 6):
            server.fail_next("GET", r"/api/v1/accounts/[^/]+/statuses", 503)
            resume(data_dir, site_file, token, hours)
            (target,) = outbox.targets(store, job)
            assert target.state == outbox.WAITING and target.must_look
        assert len(server.requests_to("POST", r"^/api/v1/statuses$")) == 1

        # It all happened on Friday; the laptop comes back on Monday.
        (status,) = server.stored_statuses()
        friday = timedelta(days=3)
        status.created_at -= friday
        first = datetime.fromisoformat(target.first_attempt_at) - friday
        store.execute(
            "UPDATE outbox_targets SET first_attempt_at = ? WHERE id = ?",
            [first.isoformat(), target.id],
        )
        resumed = resume(data_dir, site_file, token, hours=8)
        assert "posted" in resumed.stdout
        (target,) = outbox.targets(store, job)
        assert target.state == outbox.POSTED and target.remote_id == status.id
        assert len(server.requests_to("POST", r"^/api/v1/statuses$")) == 1
        assert len(server.stored_statuses()) == 1
        assert len(history.events(store, "published")) == 1 and history.verify(store).intact
        store.close()
