"""What the composer's first paint waits for: only what it shows. The networks' libraries, the
vault, the photo and video libraries, the rules and the headless commands come after it (the
start-up budget of README, bench/startup.py), and the window still gets them when it needs them."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Each of these, imported before the first paint, costs the start tens of milliseconds.
NOT_BEFORE_THE_FIRST_PAINT = (
    "connectors",  # the networks: requests, urllib3, oauthlib
    "requests",
    "urllib3",
    "keyring",  # the vault
    "PIL",  # photos
    "pi_heif",
    "numpy",
    "cv2",  # faces
    "regex",  # grapheme counting and the rules' patterns
    "app.rules.registry",  # the rules and their word lists
    "app.media.prepare",
    "app.commands.check",  # the headless commands
    "app.commands.media",
    "app.commands.consent",
    "app.commands.history",
    "app.commands.helpdesk",
    "ui.helpdesk",
)


def modules_at_first_paint(data_dir, *site_args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), *site_args,
         "--modules-when-shown"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("shown "), result.stdout
    assert lines[1].startswith("modules "), result.stdout
    return set(lines[1].split()[1:])


@pytest.mark.parametrize(
    "site_args",
    [(), ("--site", str(ROOT / "tests" / "sites" / "eight-accounts.toml"))],
    ids=["demo site", "eight networks"],
)
def test_the_first_paint_of_the_composer_waits_for_nothing_it_does_not_show(tmp_path, site_args):
    loaded = modules_at_first_paint(tmp_path, *site_args)
    assert "ui.composer.composer" in loaded  # it is the composer that was painted
    early = sorted(
        name
        for name in loaded
        if any(name == bad or name.startswith(bad + ".") for bad in NOT_BEFORE_THE_FIRST_PAINT)
    )
    assert early == []
