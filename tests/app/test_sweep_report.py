"""The yearly sweep in the annual report: a section per account (counts per class, the posts
with findings and their links) in the PDF, read back as text, and in the CSV; and in `history
audit` from bundles of two laptops."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from app.history import bundle as history_bundle
from app.history import sweep
from app.store import Store
from tests.conftest import run_app

YEAR = "2025-2026"  # swept in the next school year, as the IBT does


def swept(store: Store, account: str, url: str, message: str) -> None:
    tally = sweep.Tally(account, YEAR)
    tally.counts.update({"unchanged": 12, "edited": 1, "outside": 3})
    tally.posts = [
        {
            "remote_id": f"{account}-1",
            "class": sweep.OUTSIDE,
            "url": url,
            "target": None,
            "created_at": "2026-03-02T10:15:00+00:00",
            "findings": [{"rule": "decency", "message": message}],
        },
        {
            "remote_id": f"{account}-2",
            "class": sweep.EDITED,
            "url": url + "-2",
            "target": "doel-1",
            "created_at": "2026-04-01T09:00:00+00:00",
            "findings": [],
        },
    ]
    sweep.record_tally(store, tally, by="Joost Bakker", school="regenboog", network="mastodon")
    sweep.record_reviewed(
        store, account, "regenboog", YEAR, f"{account}-2", "Spelfout verbeterd", "Joost Bakker"
    )


def pdf_text(path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: run `bash scripts/install.sh --dev`", pytrace=False)
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_report_has_a_section_per_swept_account_in_the_pdf_and_the_csv(data_dir, tmp_path):
    store = Store.open(data_dir)
    swept(store, "regenboog-mastodon", "https://school.example/@juf/11", "Kies nettere woorden")
    store.close()
    out = tmp_path / "verslag"

    result = run_app(
        "history",
        "report",
        "--school-year",
        YEAR,
        "--out",
        str(out),
        "--data-dir",
        str(data_dir),
        "--json",
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["sweep_accounts"] == 1 and answer["sweep_posts"] == 2
    text = " ".join(pdf_text(out / f"jaarverslag-{YEAR}.pdf").split())
    assert "Jaarcontrole van de accounts" in text
    assert "regenboog-mastodon" in text
    assert "Gecontroleerd op" in text and "door Joost Bakker" in text
    assert "buiten Postwijs geplaatst" in text and "Kies nettere woorden" in text
    # A long link wraps inside its table cell; it is all there, in order.
    assert "https://school.example/@juf/11" in "".join(text.split())
    assert "nagekeken: Spelfout verbeterd" in text
    with (out / "jaarcontrole-accounts.csv").open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle, delimiter=";"))
    assert (
        row["account"],
        row["onveranderd"],
        row["aangepast op het netwerk"],
        row["buiten Postwijs geplaatst"],
    ) == (
        "regenboog-mastodon",
        "12",
        "1",
        "3",
    )
    with (out / "jaarcontrole-berichten.csv").open(encoding="utf-8-sig") as handle:
        posts = list(csv.DictReader(handle, delimiter=";"))
    assert [p["link"] for p in posts] == [
        "https://school.example/@juf/11",
        "https://school.example/@juf/11-2",
    ]
    assert posts[0]["bevindingen"] == "Kies nettere woorden"
    assert posts[1]["afgehandeld"] == "nagekeken: Spelfout verbeterd (Joost Bakker)"


def test_history_audit_shows_the_sweeps_of_two_laptops(tmp_path):
    bundles = []
    for laptop, account in (("laptop-a", "regenboog-mastodon"), ("laptop-b", "regenboog-bluesky")):
        store = Store.open(tmp_path / laptop)
        swept(store, account, f"https://{laptop}.example/1", "Haal het telefoonnummer weg")
        bundles.append(history_bundle.export(store, tmp_path / f"{laptop}.zip", laptop=laptop))
        store.close()

    result = run_app(
        "history",
        "audit",
        *map(str, bundles),
        "--school-year",
        YEAR,
        "--out",
        str(tmp_path / "audit"),
        "--json",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sweep_accounts"] == 2
    with (tmp_path / "audit" / "jaarcontrole-accounts.csv").open(encoding="utf-8-sig") as handle:
        rows = {r["account"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert rows["regenboog-bluesky"]["bron"] == "laptop-b (laptop-b.zip)"
    assert rows["regenboog-mastodon"]["bron"] == "laptop-a (laptop-a.zip)"
