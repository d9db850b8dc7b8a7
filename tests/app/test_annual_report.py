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
    assert rows[0]["artikelen"] == "Communiceren 6"
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


def _school_year_now() -> str:
    from datetime import datetime

    return annual_report.school_year_of(datetime.now(annual_report.SCHOOL_TIMEZONE))


def test_a_formula_from_a_bundle_lands_in_the_audit_csv_as_plain_text(tmp_path):
    from tests.headless import run

    store = Store.open(tmp_path / "laptop")
    history.append(
        store,
        "warning_acknowledged",
        {"school": "regenboog", "account": "@SUM(A1)", "rule": "tone", "articles": ["-1+1"]},
        details={"message": "+31 6 1234", "reason": '=HYPERLINK("http://evil.example","klik")'},
    )
    bundle = history_bundle.export(
        store, tmp_path / "a.zip", laptop='=HYPERLINK("http://evil.example")'
    )
    store.close()
    out = tmp_path / "audit"
    answer = run(
        "history", "audit", str(bundle), "--school-year", _school_year_now(), "--out", str(out)
    )
    assert answer.code == 0, answer.text
    with (out / "waarschuwingen.csv").open(encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle, delimiter=";"))
    assert row["bron"] == '\'=HYPERLINK("http://evil.example") (a.zip)'
    assert row["reden"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert row["account"] == "'@SUM(A1)" and row["artikelen"] == "'-1+1"
    assert row["melding"] == "'+31 6 1234"
    with (out / "ketencontrole.csv").open(encoding="utf-8-sig") as handle:
        check = list(csv.reader(handle, delimiter=";"))
    assert check[1][0].startswith("'=HYPERLINK") and check[1][2] == "1"  # a count stays a number
    every_cell = []
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8-sig") as handle:
            every_cell += [cell for line in csv.reader(handle, delimiter=";") for cell in line]
    assert every_cell and not [c for c in every_cell if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_reasons_of_a_broken_chain_are_dutch_and_english_with_english(tmp_path):
    from app import i18n

    store = Store.open(tmp_path / "laptop")
    for n in range(3):
        history.append(store, "published", {"n": n})
    store.conn.execute("UPDATE history SET data = '{\"n\":7}' WHERE seq = 2")
    store.conn.commit()
    assert history.verify(store).reason == "de inhoud is veranderd"
    i18n.set_language("en")
    try:
        assert history.verify(store).reason == "its content was changed"
    finally:
        i18n.set_language("nl")
        store.close()


def _bundle_with(tmp_path, chain: str, meta: dict | None = None):
    path = tmp_path / "vreemd.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("chain.jsonl", chain)
        z.writestr(
            "meta.json", json.dumps(meta or {"format": history_bundle.FORMAT, "anchor": None})
        )
    return path


def test_a_bundle_whose_rows_are_not_history_rows_is_refused_with_the_line(tmp_path):
    good = json.dumps([1, "2026-10-01T10:00:00+02:00", "published", "{}", "", "0" * 64, "a", None])
    for chain, line in (
        ('["kort"]\n', 1),
        (good + "\n" + json.dumps([2, "geen tijd", "k", "{}", "", "a", "b", None]) + "\n", 2),
        (
            good
            + "\n"
            + json.dumps([2, "0001-01-01T00:00:00+01:00", "k", "{}", "", "a", "b", None]),
            2,
        ),
        (json.dumps([1, "2026-10-01T10:00:00+02:00", "k", "[1]", "", "a", "b", None]), 1),
        ("[" * 5000 + "]" * 5000, 1),
    ):
        try:
            history_bundle.read(_bundle_with(tmp_path, chain))
        except history_bundle.BundleError as error:
            assert f"regel {line} van chain.jsonl" in str(error)
        else:
            raise AssertionError(f"accepted {chain[:40]!r}")


def test_a_bundle_with_an_odd_anchor_or_laptop_is_refused(tmp_path):
    for meta in (
        {"format": history_bundle.FORMAT, "anchor": {"seq": "1"}},
        {"format": history_bundle.FORMAT, "anchor": [1], "laptop": "a"},
        {"format": history_bundle.FORMAT, "laptop": ["a"]},
    ):
        try:
            history_bundle.read(_bundle_with(tmp_path, "", meta))
        except history_bundle.BundleError as error:
            assert "geen leesbare Postwijs-geschiedenisbundel" in str(error)
        else:
            raise AssertionError(f"accepted {meta}")


def test_the_headless_report_where_it_cannot_be_written_says_so_in_dutch(data_dir, tmp_path):
    from tests.gui.shown_text import assert_dutch_only

    store = Store.open(data_dir)
    history.append(store, "published", {"school": "regenboog", "account": "a", "network": "x"})
    year = annual_report.school_year_of(annual_report._local(history.events(store)[0].at))
    store.close()
    blocker = tmp_path / "verslagen"
    blocker.write_text("geen map", encoding="utf-8")

    result = run_app(
        "history", "report", "--school-year", year, "--out", str(blocker / "ibt"),
        "--data-dir", str(data_dir), "--json",
    )  # fmt: skip

    answer = json.loads(result.stdout)
    assert result.returncode != 0 and answer["ok"] is False
    assert answer["message"].startswith(f"De map voor {blocker / 'ibt'} is er niet (meer).")
    assert_dutch_only([answer["message"]])
