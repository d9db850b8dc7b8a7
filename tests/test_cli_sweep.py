"""`postwijs-cli history sweep`: the yearly sweep headless, against the Mastodon contract server."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from app.commands import cli
from app.history import chain as history
from app.store import Store
from connectors.mastodon import SCOPES, MastodonConnector
from resources import resource_path
from tests.servers.mastodon_server import MastodonServer

SATURDAY = datetime(2026, 9, 5, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def site_with_mastodon(tmp_path, server: MastodonServer):
    text = resource_path("demo-site.toml").read_text(encoding="utf-8")
    account = (
        "[[schools.accounts]]\n"
        'id = "regenboog-mastodon"\n'
        'network = "mastodon"\n'
        'name = "De Regenboog op Mastodon"\n'
        'kind = "official"\n'
        f'instance = "{server.base_url}"\n\n'
        "[[schools.accounts]]\n"
        'id = "regenboog-facebook"\n'
        'network = "facebook"\n'
        'name = "Ouders van De Regenboog"\n'
        'kind = "official"\n\n'
    )
    marker = 'kind = "official"\n\n[[schools]]\nid = "kleine-wereld"'
    assert marker in text
    text = text.replace(
        marker, 'kind = "official"\n\n' + account + marker[len('kind = "official"\n\n') :]
    )
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sweep(data_dir, site_file, connector_for, *extra):
    parser = cli.build_parser()
    args = parser.parse_args(
        [
            "history",
            "sweep",
            "--school-year",
            "2026-2027",
            "--school",
            "regenboog",
            "--data-dir",
            str(data_dir),
            "--site",
            str(site_file),
            *extra,
        ]
    )
    return cli.run_command(args, connector_for=connector_for)


def test_the_sweep_command_reads_checks_and_records_in_dutch(tmp_path, data_dir, capsys):
    with MastodonServer() as server:
        token = server.issue_token(" ".join(SCOPES))
        asked = []

        def connector_for(account, folder, site):
            asked.append(account.id)
            if account.network != "mastodon":
                from connectors.practice import PracticeConnector

                return PracticeConnector(folder, account.id)
            return MastodonConnector(account.instance, token_provider=lambda: token)

        site_file = site_with_mastodon(tmp_path, server)
        rude = server.add_status("Wat een kankerweer vandaag.", SATURDAY)

        code = sweep(data_dir, site_file, connector_for)
        out = capsys.readouterr().out
        assert code == 1  # a post to look at
        assert "Jaarcontrole van de accounts, schooljaar 2026-2027" in out
        assert "De Regenboog op Mastodon: 0 onveranderd" in out
        assert "1 buiten Postwijs geplaatst" in out
        assert f"/@juf/{rude.id}" in out
        assert (
            "Ouders van De Regenboog: Postwijs kan de berichten van Facebook nog niet lezen" in out
        )
        assert set(asked) == {"regenboog-facebook", "regenboog-mastodon"}  # not the practice one

        code = sweep(data_dir, site_file, connector_for, "--json")
        payload = json.loads(capsys.readouterr().out)
        assert code == 1 and payload["complete"] is True
        [mastodon] = [a for a in payload["accounts"] if a["account"] == "regenboog-mastodon"]
        assert mastodon["counts"]["outside"] == 1
        assert {f["rule"] for f in mastodon["posts"][0]["findings"]} >= {"decency", "disclaimer"}

    store = Store.open(data_dir)
    try:
        runs = history.events(store, "sweep")
        assert len(runs) == 2  # one per run of the account
        assert {run.data["by"] for run in runs} == {"Sanne de Vries"}  # the site's author
    finally:
        store.close()


def test_the_sweep_records_who_ran_it_when_told(tmp_path, data_dir, capsys):
    with MastodonServer() as server:
        token = server.issue_token(" ".join(SCOPES))

        def connector_for(account, folder, site):
            if account.network != "mastodon":
                from connectors.practice import PracticeConnector

                return PracticeConnector(folder, account.id)
            return MastodonConnector(account.instance, token_provider=lambda: token)

        site_file = site_with_mastodon(tmp_path, server)
        sweep(data_dir, site_file, connector_for, "--by", "  Ilse Jansen (IBT)  ")
    capsys.readouterr()
    store = Store.open(data_dir)
    try:
        [run] = history.events(store, "sweep")
        assert run.data["by"] == "Ilse Jansen (IBT)"
    finally:
        store.close()


def test_a_school_year_written_otherwise_is_wrong_usage(tmp_path, data_dir, capsys):
    with MastodonServer() as server:
        site_file = site_with_mastodon(tmp_path, server)
        parser = cli.build_parser()
        args = parser.parse_args(
            [
                "history",
                "sweep",
                "--school-year",
                "2026",
                "--data-dir",
                str(data_dir),
                "--site",
                str(site_file),
            ]
        )
        assert cli.run_command(args, connector_for=lambda *a: None) == 2
        assert "Geef het schooljaar als 2025-2026" in capsys.readouterr().out
