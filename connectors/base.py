"""The one base class of every connector: its capabilities as data, and NotSupported for what the
network cannot do, so a caller reads `capabilities` and never probes for methods."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from app.i18n import _
from app.networks.connector import Capabilities, Mention, NotSupported, RemotePost
from app.networks.profiles import NetworkProfile
from connectors.http import HttpSession
from connectors.oauth import SIGN_IN_TIMEOUT


class BaseConnector:
    """Subclasses set `capabilities` and `profile` and implement the Connector protocol's methods
    their network has; the others raise NotSupported in Dutch. close() and `with` release what
    the connector holds (nothing here; HttpConnector closes its session)."""

    capabilities: ClassVar[Capabilities]
    profile: NetworkProfile

    def connect(self) -> str:
        """Where the sign-in happens outside the connector (a token IT pasted, the foundation's
        service, nothing to sign in to), connecting is checking whom the sign-in is for. A
        connector that signs in itself (in the browser) overrides this."""
        return self.who_am_i()

    def who_am_i(self) -> str:
        raise NotImplementedError  # every connector says who it is signed in as

    def list_follows(self) -> list[str]:
        raise NotSupported(_("Dit netwerk laat niet zien wie het account volgt."))

    def unfollow(self, handle: str) -> bool:
        raise NotSupported(
            _("Ontvolg dit account in {network} zelf: Postwijs kan dat niet voor je doen.").format(
                network=_(self.profile.label)
            )
        )

    def delete(self, remote_id: str) -> None:
        raise NotSupported(
            _(
                "Verwijder het bericht in {network} zelf: Postwijs kan dat niet voor je doen."
            ).format(network=_(self.profile.label))
        )

    def read_own_posts(
        self, since: datetime, until: datetime, resume: str = ""
    ) -> Iterator[RemotePost]:
        raise NotSupported(
            _(
                "Bekijk de berichten van dit account in {network} zelf: Postwijs kan ze daar (nog) niet lezen."
            ).format(network=_(self.profile.label))
        )

    def read_mentions(self, since: datetime) -> list[Mention]:
        raise NotSupported(
            _(
                "Bekijk de vermeldingen van dit account in {network} zelf: Postwijs kan ze daar (nog) niet lezen."
            ).format(network=_(self.profile.label))
        )

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class HttpConnector(BaseConnector):
    """A connector holding an HttpSession in `self.http`: close() and `with` release it."""

    http: HttpSession

    def close(self) -> None:
        self.http.session.close()


@dataclass(frozen=True)
class SignInOptions:
    """How the connectors reach the outside during a sign-in, set by the composition root (tests
    pass their own): `open_browser` shows the provider's sign-in page; `redirect_port` is the
    loopback port a browser sign-in returns to (None: the network's fixed port); `verify` is
    requests' TLS setting; `sign_in_timeout` how long a browser sign-in may take."""

    open_browser: Callable[[str], object] = webbrowser.open
    redirect_port: int | None = None
    verify: bool | str = True
    sign_in_timeout: float = SIGN_IN_TIMEOUT
    # LinkedIn: the API month (the site configuration's [linkedin] version), where its API is,
    # and what renews a token (the foundation's service; None: no renewal).
    linkedin_version: str = "202603"
    linkedin_api: str = "https://api.linkedin.com"
    # LinkedIn's authorization page (the browser's sign-in through the foundation's service).
    linkedin_authorization: str = "https://www.linkedin.com"
    linkedin_refresher: Callable[[str], Mapping[str, Any]] | None = None
    # Meta (Facebook Pages and Instagram): the Graph API version and where the API is.
    meta_graph_version: str = "v26.0"
    meta_graph_api: str = "https://graph.facebook.com"
    # Facebook Login's dialog (the browser's page) and the foundation's service that exchanges
    # its code for a Page token ("": no service, so IT pastes a token instead).
    meta_dialog: str = "https://www.facebook.com"
    koppeldienst_url: str = ""
    # Instagram: puts a photo on the foundation's service for Instagram to fetch (None: no
    # service configured, so Instagram cannot take photos from Postwijs).
    instagram_photo_host: Callable[[bytes, str, str], Mapping[str, Any]] | None = None
