import json
import re
import sqlite3

from tests.conftest import run_app


def test_self_test_checks_the_installation_and_exits_0(data_dir):
    result = run_app("--self-test", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"✓ database geopend en bijgewerkt tot versie \d+", result.stdout)
    assert "✓ Qt gestart (platform offscreen)" in result.stdout
    assert "Alles in orde." in result.stdout


def test_self_test_answers_in_json(data_dir):
    result = run_app("--self-test", "--data-dir", str(data_dir), "--json")
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert {c["name"] for c in report["checks"]} == {
        "site",
        "store",
        "resources",
        "media",
        "translations",
        "qt",
    }


def test_self_test_fails_with_1_on_a_corrupt_database_and_leaves_it(data_dir):
    (data_dir / "postwijs.sqlite3").write_bytes(b"kapot" * 100)
    result = run_app("--self-test", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "✗ Het databasebestand" in result.stdout
    assert (data_dir / "postwijs.sqlite3").read_bytes() == b"kapot" * 100


def test_a_broken_site_file_exits_2_with_the_reason(tmp_path, data_dir):
    site = tmp_path / "site.toml"
    site.write_text("[[schools]\n", encoding="utf-8")
    result = run_app("site", "check", "--site", str(site), "--data-dir", str(data_dir), "--json")
    assert result.returncode == 2
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and "regel 1" in answer["message"]


def test_site_check_accepts_the_options_before_or_after_the_command(data_dir):
    before = run_app("--data-dir", str(data_dir), "--json", "site", "check")
    after = run_app("site", "check", "--data-dir", str(data_dir), "--json")
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert json.loads(before.stdout)["demo"] is True


def test_wrong_usage_exits_2(data_dir):
    assert run_app("history", "explode", "--data-dir", str(data_dir)).returncode == 2
    assert run_app("--no-such-option").returncode == 2


def test_history_verify_reports_an_intact_and_a_tampered_chain(data_dir, demo_site):
    from app.history import chain as history
    from app.store import Store

    store = Store.open(data_dir)
    for n in range(3):
        history.append(store, "published", {"n": n})
    store.close()
    ok = run_app("history", "verify", "--data-dir", str(data_dir), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["intact"] is True
    said = run_app("history", "verify", "--data-dir", str(data_dir))
    assert said.returncode == 0 and "onveranderd (3 gebeurtenissen)" in said.stdout
    conn = sqlite3.connect(data_dir / "postwijs.sqlite3")
    conn.execute("UPDATE history SET data = '{\"n\":7}' WHERE seq = 2")
    conn.commit()
    conn.close()
    bad = run_app("history", "verify", "--data-dir", str(data_dir))
    assert bad.returncode == 1
    assert "gebeurtenis 2 klopt niet (de inhoud is veranderd)" in bad.stdout


def test_the_console_program_without_a_command_prints_help_and_exits_2(data_dir):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from app.__main__ import cli_main; cli_main()"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "opdracht" in result.stdout


def test_consent_import_and_an_avg_erasure_from_the_command_line(tmp_path, data_dir):
    export = tmp_path / "leerlingen.csv"
    export.write_bytes(
        "Leerlingnummer;Roepnaam;Achternaam;Groep;Toestemming social media\r\n"
        "101;Noor;Bakker;5;ja\r\n102;Sem;Visser;5;nee\r\n".encode("cp1252")
    )
    imported = run_app(
        "consent", "import", str(export), "--school", "regenboog", "--data-dir", str(data_dir)
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "2 nieuw" in imported.stdout
    erased = run_app(
        "consent",
        "erase",
        "--school",
        "regenboog",
        "--identifier",
        "101",
        "--by",
        "Joost",
        "--data-dir",
        str(data_dir),
    )
    assert erased.returncode == 0
    from app.consent import register as consent
    from app.store import Store

    store = Store.open(data_dir)
    assert consent.find_person(store, "regenboog", "101") is None
    assert consent.find_person(store, "regenboog", "102") is not None
    assert "Noor" not in " ".join(
        row[0] for row in store.execute("SELECT details FROM history_details").fetchall()
    )
    verify = run_app("history", "verify", "--data-dir", str(data_dir))
    assert verify.returncode == 0


def test_check_of_a_folder_instead_of_a_file_says_so_in_dutch(data_dir, tmp_path):
    result = run_app("check", str(tmp_path), "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert result.stdout.strip() == (
        f"{tmp_path} is een map, geen bestand. Kies het bestand in die map."
    )
