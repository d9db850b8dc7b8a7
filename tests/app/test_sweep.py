import hashlib
from datetime import UTC, datetime, timedelta

from app.history import chain as history
from app.history import sweep


def placed(store, target, remote_id, text, account="acc-1"):
    history.append(
        store,
        "published",
        {
            "target": target,
            "account": account,
            "remote_id": remote_id,
            "url": f"https://example.test/{remote_id}",
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "media_sha256": [],
        },
        details={"final_text": text},
    )


def remote(remote_id, text):
    return sweep.RemotePost(remote_id, datetime(2026, 3, 1, tzinfo=UTC), text, f"u/{remote_id}")


def test_each_post_is_classified_against_the_history(store):
    placed(store, "t1", "r1", "Open dag zaterdag")
    placed(store, "t2", "r2", "Sportdag")
    placed(store, "t3", "r3", "Kerstviering")
    placed(store, "t4", "r4", "Ingetrokken bericht")
    history.append(store, "retracted", {"target": "t4", "account": "acc-1"})
    placed(store, "t5", "r5", "Ander account", account="acc-2")
    found = sweep.classify(
        store,
        "acc-1",
        [remote("r1", "Open dag zaterdag"), remote("r2", "Sportdag!"), remote("x9", "Buiten")],
    )
    by_id = {f.remote_id: f.klass for f in found}
    assert by_id == {
        "r1": sweep.UNCHANGED,
        "r2": sweep.EDITED,
        "x9": sweep.OUTSIDE,
        "r3": sweep.DELETED,
    }


def test_changed_media_count_as_edited_and_unknown_media_do_not(store):
    placed(store, "t1", "r1", "Foto")
    with_media = sweep.RemotePost("r1", datetime.now(UTC), "Foto", media_sha256=("ab",))
    assert sweep.classify(store, "acc-1", [with_media])[0].klass == sweep.EDITED
    assert sweep.classify(store, "acc-1", [remote("r1", "Foto")])[0].klass == sweep.UNCHANGED


def test_a_post_placed_outside_the_year_is_not_missing_from_it(store):
    placed(store, "t1", "r1", "Vorig jaar")
    later = datetime.now(UTC) + timedelta(days=1)
    assert sweep.classify(store, "acc-1", [], since=later) == []


def test_the_sweep_is_recorded_in_the_verified_chain(store):
    placed(store, "t1", "r1", "Open dag")
    found = sweep.classify(store, "acc-1", [remote("x1", "Buiten Postwijs")])
    sweep.record(store, "acc-1", "2025-2026", found, by="ibt")
    event = history.events(store, "sweep")[0]
    assert event.data["counts"] == {"unchanged": 0, "edited": 0, "deleted": 1, "outside": 1}
    assert {p["remote_id"] for p in event.details["posts"]} == {"r1", "x1"}
    assert history.verify(store).intact
