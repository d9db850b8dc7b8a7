"""The foundation's service (`python -m koppeldienst`, a real process) in front of one of Meta's
contract servers, as the Facebook and Instagram tests start it: its Graph address the server's,
with the server's app id and secret, serving the server's own Page or Instagram account unless
a test names others."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from tests.servers.facebook_server import FacebookGraphServer
from tests.servers.instagram_server import InstagramGraphServer
from tests.servers.koppeldienst_process import RunningService, koppeldienst


def facebook_service(
    server: FacebookGraphServer, tmp_path: Path, **served: Any
) -> contextlib.AbstractContextManager[RunningService]:
    """`served`: what `koppeldienst()` takes besides; `pages` defaults to the server's Page."""
    served.setdefault("pages", (server.page_id,))
    return _meta_service(server, tmp_path, served)


def instagram_service(
    server: InstagramGraphServer, tmp_path: Path, **served: Any
) -> contextlib.AbstractContextManager[RunningService]:
    """`served`: what `koppeldienst()` takes besides; `instagram_accounts` defaults to the
    server's account."""
    served.setdefault("instagram_accounts", (server.ig_user_id,))
    return _meta_service(server, tmp_path, served)


def _meta_service(
    server: FacebookGraphServer | InstagramGraphServer, tmp_path: Path, served: dict[str, Any]
) -> contextlib.AbstractContextManager[RunningService]:
    return koppeldienst(
        server.base_url,
        tmp_path / "service.log",
        app_id=server.app_id,
        app_secret=server.app_secret,
        **served,
    )
