"""`site check` as IT runs it: exit 0 for a usable file, 2 for a broken one, every problem with
its key and line, in text and in JSON."""

import json

from app.site.config import DEMO_SITE_FILE
from tests.conftest import run_app


def test_a_misspelt_key_and_an_unknown_network_exit_2_and_are_both_listed(tmp_path, data_dir):
    text = DEMO_SITE_FILE.read_text(encoding="utf-8")
    text = text.replace("lesson_hours_exempt_roles =", "lesson_hours_exmpt_roles =")
    text = text.replace('network = "practice"', 'network = "myspace"', 1)
    site = tmp_path / "site.toml"
    site.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    misspelt = next(i for i, line in enumerate(lines, 1) if "lesson_hours_exmpt_roles" in line)
    network = next(i for i, line in enumerate(lines, 1) if "myspace" in line)

    result = run_app("site", "check", "--site", str(site), "--data-dir", str(data_dir), "--json")
    assert result.returncode == 2, result.stderr
    answer = json.loads(result.stdout)
    assert answer["ok"] is False
    assert [(p["key"], p["line"]) for p in answer["problems"]] == [
        ("policy.lesson_hours_exmpt_roles", misspelt),
        ("schools[0].accounts[0].network", network),
    ]
    assert "bedoelt u 'lesson_hours_exempt_roles'?" in answer["problems"][0]["message"]

    plain = run_app("site", "check", "--site", str(site), "--data-dir", str(data_dir))
    assert plain.returncode == 2
    assert plain.stderr == ""
    assert f"- bij 'policy.lesson_hours_exmpt_roles' (regel {misspelt}): " in plain.stdout
    assert f"- bij 'schools[0].accounts[0].network' (regel {network}): een van: " in plain.stdout


def test_a_file_saved_by_notepad_with_a_byte_order_mark_is_in_order(tmp_path, data_dir):
    site = tmp_path / "site.toml"
    site.write_bytes(b"\xef\xbb\xbf" + DEMO_SITE_FILE.read_bytes().replace(b"\n", b"\r\n"))
    result = run_app("site", "check", "--site", str(site), "--data-dir", str(data_dir), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["ok"] is True
    assert answer["accounts"] == ["regenboog-oefen", "kleine-wereld-oefen"]


def test_a_list_where_tables_belong_exits_2_without_a_traceback(tmp_path, data_dir):
    site = tmp_path / "site.toml"
    site.write_text('schools = ["regenboog"]\nauthors = [["a"]]\n', encoding="utf-8")
    result = run_app("site", "check", "--site", str(site), "--data-dir", str(data_dir), "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout)
    assert [(p["key"], p["line"]) for p in answer["problems"]] == [
        ("schools[0]", 1),
        ("authors[0]", 2),
    ]
