import csv
import json
import zipfile

from app.history import annual_report
from app.history import bundle as history_bundle
from app.history import chain as history
from app.store import Store
from tests.conftest import run_app


def test_the_report_counts_posts_lists_acknowledgements_and_checks_the_chain(
    data_dir, demo_site, tmp_path
):
    store = Store.open(data_dir)
    history.append(
        store,
        "published",
        {"school": "regenboog", "account": "regenboog-x", "network": "x", "practice": False},
    )
    history.append(
        store,
        "published",
        {
            "school": "regenboog",
            "account": "regenboog-oefen",
            "network": "practice",
            "practice": True,
        },
    )
    history.append(
        store,
        "warning_acknowledged",
        {
            "school": "regenboog",
            "account": None,
            "rule": "lesson_hours",
            "articles": ["Communiceren 6"],
        },
        details={"message": "Het is lestijd", "reason": "lesactiviteit"},
    )
    history.append(
        store,
        "retracted",
        {"school": "regenboog", "account": "regenboog-x", "network": "x"},
        details={"why": "klacht", "by": "Joost"},
    )
    events = [("deze laptop", e) for e in history.events(store)]
    year = annual_report.school_year_of(annual_report._local(events[0][1].at))
    report = annual_report.build(events, year, [("deze laptop", history.verify(store))])
    assert sum(report.posts.values()) == 1 and report.practice_posts == 1
    assert report.acknowledgements[0]["reason"] == "lesactiviteit"
    assert report.retractions[0]["why"] == "klacht"
    files = annual_report.write_csv(report, tmp_path / "verslag")
    with (tmp_path / "verslag" / "waarschuwingen.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[0]["articles"] == "Communiceren 6"
    assert {p.name for p in files} >= {"berichten-per-maand.csv", "ketencontrole.csv"}
    assert annual_report.build(events, "1999-2000", []).posts == {}


def test_the_headless_report_writes_csv_and_a_pdf_and_says_the_chain_is_intact(
    data_dir, demo_site, tmp_path
):
    store = Store.open(data_dir)
    history.append(
        store,
        "published",
        {"school": "regenboog", "account": "a", "network": "x", "practice": False},
    )
    year = annual_report.school_year_of(annual_report._local(history.events(store)[0].at))
    out = tmp_path / "ibt"
    result = run_app(
        "history",
        "report",
        "--school-year",
        year,
        "--out",
        str(out),
        "--data-dir",
        str(data_dir),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["intact"] is True and answer["posts"] == 1
    assert (out / f"jaarverslag-{year}.pdf").read_bytes().startswith(b"%PDF")
    assert (
        run_app(
            "history",
            "report",
            "--school-year",
            "2025",
            "--out",
            str(out),
            "--data-dir",
            str(data_dir),
        ).returncode
        == 2
    )


def test_bundles_from_two_laptops_are_merged_and_a_tampered_one_is_named(tmp_path, demo_site):
    bundles = []
    for laptop in ("laptop-a", "laptop-b"):
        store = Store.open(tmp_path / laptop)
        for n in range(3):
            history.append(
                store,
                "published",
                {
                    "school": "regenboog",
                    "account": laptop,
                    "network": "x",
                    "n": n,
                    "practice": False,
                },
            )
        bundles.append(history_bundle.export(store, tmp_path / f"{laptop}.zip", laptop=laptop))
        store.close()
    # Edit one row inside laptop-b's bundle.
    with zipfile.ZipFile(bundles[1]) as z:
        chain, meta = z.read("chain.jsonl").decode(), z.read("meta.json")
    chain = chain.replace('\\"n\\":1', '\\"n\\":9', 1)
    with zipfile.ZipFile(bundles[1], "w") as z:
        z.writestr("chain.jsonl", chain)
        z.writestr("meta.json", meta)
    year = annual_report.school_year_of(
        annual_report._local(history_bundle.read(bundles[0]).events()[0].at)
    )
    result = run_app(
        "history",
        "audit",
        *map(str, bundles),
        "--school-year",
        year,
        "--out",
        str(tmp_path / "audit"),
        "--json",
    )
    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert answer["posts"] == 6
    by_source = {c["source"]: c for c in answer["chains"]}
    assert by_source["laptop-a (laptop-a.zip)"]["intact"] is True
    assert by_source["laptop-b (laptop-b.zip)"]["first_bad_row"] == 2


def test_erasing_a_person_keeps_the_chain_verifiable_and_is_recorded(data_dir):
    store = Store.open(data_dir)
    history.append(
        store, "published", {"people": ["p7"], "practice": False}, details={"final_text": "Feest!"}
    )
    history.append(
        store,
        "warning_acknowledged",
        {"rule": "personal_data"},
        details={"message": "Noemt Noor Bakker", "reason": "ok"},
    )
    history.append(
        store, "published", {"people": [], "practice": False}, details={"final_text": "Sportdag"}
    )
    erased = history.erase_person(store, "p7", ["Noor Bakker"], by="Joost")
    assert erased == [1, 2]
    events = history.events(store)
    assert events[0].details is None and events[1].details is None
    assert events[2].details == {"final_text": "Sportdag"}
    assert events[-1].kind == "personal_data_erased" and "p7" not in json.dumps(events[-1].data)
    assert history.verify(store).intact
