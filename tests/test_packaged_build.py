"""The PyInstaller bundle (built by scripts/test.sh before the tests) starts and passes its
self-test, so resources, translations and Qt plugins are found frozen as well as from source."""

import json
import os
import subprocess

from tests.conftest import ROOT

BUNDLE = ROOT / "dist" / "Postwijs"


def test_the_frozen_console_program_passes_its_self_test(tmp_path):
    program = BUNDLE / "postwijs-cli"
    assert program.exists(), (
        "build it first: .venv/bin/pyinstaller --noconfirm build.spec (scripts/test.sh does)"
    )
    assert (BUNDLE / "postwijs").exists()  # the windowed program beside it
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(program), "--self-test", "--json", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert all(check["ok"] for check in report["checks"]), report


def test_the_frozen_program_checks_a_post_like_the_source(tmp_path):
    program = BUNDLE / "postwijs-cli"
    line = json.dumps(
        {"text": "Bel 06-12345678", "networks": ["x"], "at": "2026-11-24T19:00:00+01:00"}
    )
    result = subprocess.run(
        [str(program), "check", "--jsonl", "--data-dir", str(tmp_path)],
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 1  # the phone number blocks
    answer = json.loads(result.stdout)
    assert [f["rule"] for f in answer["findings"]] == ["personal_data"]
