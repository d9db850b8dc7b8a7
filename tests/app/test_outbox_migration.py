"""Migration 6 on a database written before it: a target a crash left `sending` must still look
before it is sent again, from a moment no later than its first attempt."""

from datetime import UTC, datetime, timedelta

from app import store as store_module
from app.networks.connector import OutgoingPost
from app.publishing import outbox
from app.store import Store
from tests.app.test_outbox_faults import ScriptedNetwork, a_job


def test_a_target_left_sending_before_the_upgrade_looks_first_from_the_jobs_creation(
    data_dir, demo_site, monkeypatch
):
    with monkeypatch.context() as before:
        before.setattr(
            store_module, "MIGRATIONS", [m for m in store_module.MIGRATIONS if m[0] <= 5]
        )
        old = Store.open(data_dir)
        assert old.schema_version() == 5
        job = a_job_without_new_columns(old, demo_site)
        old.close()
    store = Store.open(data_dir)
    assert store.schema_version() == store_module.MIGRATIONS[-1][0]  # 6 and every later one
    (t,) = outbox.targets(store, job)
    created = datetime.fromisoformat(outbox.job(store, job).created_at)
    assert t.must_look and datetime.fromisoformat(t.first_attempt_at) == created
    network = ScriptedNetwork()
    network.clock = created
    network.publish(OutgoingPost(t.id, t.account_id, "x", t.final_text))  # it got out
    network.clock = created + timedelta(days=2)
    (t,) = outbox.send(store, job, lambda a: network, now=datetime.now(UTC))
    assert t.state == outbox.POSTED and len(network.received) == 1
    store.close()


def a_job_without_new_columns(store, demo_site):
    """A job as version 5 wrote it, its target left `sending` by a crash."""
    columns = [row[1] for row in store.execute("PRAGMA table_info(outbox_targets)")]
    assert "must_look" not in columns
    # outbox.submit names only columns that version 5 has too.
    job = a_job(store, demo_site)
    store.execute(
        "UPDATE outbox_targets SET state = 'sending', attempts = 1 WHERE job_id = ?", [job]
    )
    return job
