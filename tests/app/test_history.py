import pytest

from app.history import chain as history


def fill(store, n=5):
    for i in range(n):
        history.append(store, "published", {"n": i, "account": "a"}, {"final_text": f"tekst {i}"})


def test_an_untouched_chain_verifies(store):
    fill(store)
    result = history.verify(store)
    assert result.intact and result.rows == 5
    assert result.last_hash == store.execute("SELECT hash FROM history WHERE seq = 5").fetchone()[0]


@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [
        ('UPDATE history SET data = \'{"n":99,"account":"a"}\' WHERE seq = 3', 3),
        ("UPDATE history SET kind = 'retracted' WHERE seq = 2", 2),
        ("UPDATE history SET at = '2020-01-01T00:00:00.000+00:00' WHERE seq = 4", 4),
        ("PRAGMA foreign_keys=OFF; DELETE FROM history WHERE seq = 2", 3),
        ('UPDATE history_details SET details = \'{"final_text":"anders"}\' WHERE seq = 5', 5),
    ],
)
def test_an_edited_or_removed_row_is_named(store, tamper, bad_seq):
    fill(store)
    store.db.conn.executescript(tamper)
    result = history.verify(store)
    assert not result.intact
    assert result.first_bad_seq == bad_seq
    # The history holds events; in this app "regels" are the rules of conduct (issue 11).
    assert result.reason and "regel" not in result.reason


def test_erased_personal_details_do_not_break_the_chain(store):
    fill(store)
    store.execute("DELETE FROM history_details WHERE seq = 2")
    assert history.verify(store).intact
    assert history.events(store)[1].details is None


def test_secrets_never_enter_the_history(store):
    with pytest.raises(ValueError):
        history.append(store, "connected", {"account": "a", "access_token": "abc"})
    with pytest.raises(ValueError):
        history.append(store, "connected", {"account": "a"}, {"app_password": "x"})
    assert history.verify(store).rows == 0


def test_a_cut_off_tail_is_detected_by_the_anchor(store):
    fill(store, 6)
    store.conn.executescript(
        "DELETE FROM history_details WHERE seq > 4; DELETE FROM history WHERE seq > 4"
    )
    result = history.verify(store)
    assert not result.intact
    assert result.first_bad_seq == 5
    assert "gebeurtenissen 5 tot en met 6 zijn weggeknipt" in result.reason


def test_a_removed_anchor_is_reported(store):
    fill(store, 2)
    history.anchor_path(store).unlink()
    assert not history.verify(store).intact


def test_an_anchor_from_a_report_is_checked_too(store):
    fill(store, 3)
    old = history.read_anchor(store)
    fill(store, 2)
    assert history.verify(store, anchor=old).intact  # an older report's anchor is a prefix
    assert not history.verify(store, anchor={"seq": 3, "hash": "f" * 64}).intact


def test_the_stored_form_hashes_like_the_row_itself(store):
    data = {"tekst": 'Café 🎉 "quote"', "n": 3, "lijst": [1, {"b": None}]}
    seq = history.append(store, "published", data, details={"final_text": "Ø"})
    row = store.execute(
        "SELECT seq, at, kind, data, details_digest, prev_hash, hash FROM history"
    ).fetchone()
    assert history._row_hash(row[0], row[1], row[2], data, row[4], row[5]) == row[6]
    assert history._stored_row_hash(*row[:6]) == row[6] and seq == 1
