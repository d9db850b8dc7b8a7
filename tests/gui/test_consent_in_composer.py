import os
import time

from resources import resource_path


def test_the_shared_export_reaches_the_rules_a_pupils_name_blocks(qtbot, open_window, tmp_path):
    share = tmp_path / "administratie"
    share.mkdir()
    (share / "export.csv").write_text(
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media\n"
        "301;Sem;de;Visser;6;ja\n",
        encoding="utf-8",
    )
    # Written a minute ago: a file still being written is left alone until it settles.
    os.utime(share / "export.csv", (time.time() - 60, time.time() - 60))
    site = tmp_path / "site.toml"
    text = resource_path("demo-site.toml").read_text(encoding="utf-8")
    text = text.replace(
        'free_days = ["2026-12-21',
        f'consent_folder = "{share.as_posix()}"\nfree_days = ["2026-12-21',
        1,
    )
    site.write_text(text, encoding="utf-8")
    window = open_window(site_file=site)
    qtbot.waitUntil(lambda: len(window.model.context().people) == 1, timeout=10_000)
    qtbot.keyClicks(window.composer.editor, "Sem de Visser won de voorleeswedstrijd!")
    rules = {card.finding.rule for card in window.composer.checks.cards}
    assert "personal_data" in rules
    assert not window.composer.publish_button.isEnabled()
    assert "blokkeert" in window.composer.reason.text()
