"""A second Postwijs, as a process of its own: it makes the account's connector the way the app
does (AccountService on the data folder, the registry, the real vault), waits for the signal
file (having said "ready"), then makes one call that needs the sign-in and prints what it got
as JSON.

Run as `python -m tests.connectors.refreshing_process '<json>'` by
test_refresh_across_processes.py; the JSON names the network, the account's fields, the data
folder, the signal file and the test servers' addresses."""

from __future__ import annotations

import json
import sys
import time
from functools import partial
from pathlib import Path

import connectors
from app.accounts.service import AccountService
from app.site.config import Account
from connectors import koppeldienst, x, youtube
from connectors.base import SignInOptions
from connectors.oauth import Token
from connectors.secrets import SecretStore


def main(given: dict) -> None:
    network = given["account"]["network"]
    options = SignInOptions()
    if network == "x":
        x.API = given["api"]
        x.AUTHORIZE_URL = given["api"] + "/i/oauth2/authorize"
    elif network == "youtube":
        # Google's addresses are the module's defaults; here they are the test server's.
        base = given["api"]
        made = youtube.provider_config
        youtube.provider_config = partial(  # type: ignore[assignment]
            made,
            authorize_url=base + "/o/oauth2/v2/auth",
            token_url=base + "/token",
            revoke_url=base + "/revoke",
        )
        youtube.YouTubeConnector.__init__.__kwdefaults__["api_base"] = base
    elif network == "linkedin":
        options = SignInOptions(
            linkedin_refresher=partial(koppeldienst.refresh_linkedin, given["service"]),
            linkedin_api=given["api"],
        )
    account = Account(**given["account"])
    vault = SecretStore()
    service = AccountService(vault, Path(given["data_dir"]), connectors.networks(options))
    connector = service.connector_for(account)
    go = Path(given["go"])
    print("ready", flush=True)  # the test starts every process's call at once after this
    while not go.exists():
        time.sleep(0.001)
    who = connector.who_am_i()
    entry = vault.read(account.id) or {}
    token = Token.from_secret(entry)
    access = token.access_token if token else entry.get("access_token")
    print(json.dumps({"who": who, "access_token": access}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
