"""`python -m app check --jsonl` and the composer give the same findings (issue 12).

A real school export is imported into a data folder with `python -m app consent import`; then the
same texts are checked twice: by the program as a subprocess, as the README documents it, and by
the composer's model with the register's people as ui/app_window.py gives them to it
(`consent.people_for_rules` on the data folder's store). Every finding must be the same: rule,
severity and span, for every target account.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.compose.model import ComposerModel
from app.consent import register as consent
from app.site.config import load_site
from app.store import Store
from tests.conftest import run_app

HEADER = [
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Groep",
    "Toestemming social media",
    "Instagram account",
]
PEOPLE = [
    ["201", "Noor", "van", "Dijk", "5", "nee", ""],
    ["202", "Roos", "", "Jansen", "4", "nee", ""],
    ["203", "Daan", "", "Visser", "8", "nee", "daan.v_08"],
    ["204", "Mila", "", "Smit", "1", "ja", ""],
]
# A Monday evening, outside lesson hours: only the text and the register decide.
AT = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
TEXTS = [
    "Noor van Dijk uit groep 5 won de voorleeswedstrijd!",
    "VAN DIJK, NOOR heeft de tekening gemaakt.",
    "De roos in de schooltuin bloeit, zei Roos Jansen.",
    "Volg @daan.v_08 op Instagram voor de foto's.",
    "Kijk op https://instagram.com/daan.v_08 voor zijn filmpje.",
    "Mila Smit mocht op de foto met de burgemeester.",
    "Jullie krijgen ervan langs als ik jullie nog eens zie.",
    "Krijg toch allemaal de kanker met jullie regels.",
    "Ik weet waar je fiets staat.",
    "Pas op bij het oversteken van de Dorpsstraat.",
    "Bel de juf op 06.12345678 of mail naar juf@school.nl.",
    "De moeder van Daan Visser ligt in het ziekenhuis.",
    "Het BSN 1112\u200b23333 staat op het formulier.",
    "Wat een mooie dag bij de Koningsspelen!",
]


def _import_register(tmp_path, data_dir) -> None:
    export = tmp_path / "leerlingen.csv"
    export.write_text(
        "\r\n".join(";".join(row) for row in [HEADER, *PEOPLE]) + "\r\n", encoding="utf-8-sig"
    )
    done = run_app(
        "consent", "import", str(export), "--school", "regenboog", "--data-dir", str(data_dir)
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _composer(data_dir) -> ComposerModel:
    """The composer's model as the main window builds it, with the register read as it reads it."""
    site = load_site(None)
    model = ComposerModel(site, availability={}, clock=lambda: AT)
    store = Store.open(data_dir)
    try:
        model.set_people(consent.people_for_rules(store, site))
    finally:
        store.close()
    return model


def _findings(raw: list[dict]) -> list[tuple]:
    return sorted(
        (f["rule"], f["severity"], tuple(f["span"]) if f["span"] else None, f["account"] or "")
        for f in raw
    )


def test_check_jsonl_and_the_composer_find_the_same_for_the_same_register(tmp_path, data_dir):
    _import_register(tmp_path, data_dir)
    model = _composer(data_dir)
    accounts = list(model.draft.account_ids)
    assert accounts, "the composer chose no account"
    lines = tmp_path / "berichten.jsonl"
    lines.write_text(
        "".join(
            json.dumps({"text": t, "at": AT.isoformat(), "accounts": accounts}) + "\n"
            for t in TEXTS
        ),
        encoding="utf-8",
    )
    done = run_app("check", "--jsonl", str(lines), "--data-dir", str(data_dir))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(TEXTS), done.stdout + done.stderr

    # The register reached the program: a name from it is found headless too.
    assert "personal_data" in {f["rule"] for f in answers[0]["findings"]}
    seen_rules = set()
    for text, answer in zip(TEXTS, answers, strict=True):
        model.set_text(text)
        from_composer = _findings(
            [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "span": f.span,
                    "account": f.account_id,
                }
                for f in model.report().findings
            ]
        )
        headless = _findings(answer["findings"])
        assert headless == from_composer, text
        seen_rules |= {f[0] for f in headless}
    # The texts reach the rules that read the register, and the others.
    assert {"personal_data", "decency", "pupil_accounts", "hidden_characters"} <= seen_rules
