"""The service's settings: a TOML file (KOPPELDIENST_CONFIG) overlaid by environment variables.
Secrets come from the environment or from a file named by `*_secret_file`; they are never logged."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    public_url: str
    meta_app_id: str | None = None
    meta_app_secret: str | None = field(default=None, repr=False)
    meta_graph_url: str = "https://graph.facebook.com"
    graph_version: str = "v26.0"
    linkedin_client_id: str | None = None
    linkedin_client_secret: str | None = field(default=None, repr=False)
    linkedin_url: str = "https://www.linkedin.com"
    linkedin_api_url: str = "https://api.linkedin.com"
    linkedin_version: str = "202603"
    redirect_uris: frozenset[str] = frozenset()
    allowed_pages: frozenset[str] = frozenset()
    allowed_instagram: frozenset[str] = frozenset()
    allowed_linkedin: frozenset[str] = frozenset()
    photo_minutes: float = 10.0
    requests_per_minute: int = 60
    host: str = "127.0.0.1"
    port: int = 8080


def _secret(table: dict, name: str, env: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env].strip()
    path = os.environ.get(env + "_FILE") or table.get(name + "_file")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return table.get(name)


def _ids(table: dict, name: str, env: str) -> frozenset[str]:
    if env in os.environ:
        return frozenset(x.strip() for x in os.environ[env].split(",") if x.strip())
    return frozenset(str(x) for x in table.get(name, []))


def _organization_id(value: str) -> str:
    """IT may write a LinkedIn organisation as its number or as its URN; the list keeps numbers."""
    return value.strip().removeprefix("urn:li:organization:")


def load() -> Settings:
    path = os.environ.get("KOPPELDIENST_CONFIG")
    table = tomllib.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    meta, linkedin = table.get("meta", {}), table.get("linkedin", {})

    def get(section: dict, name: str, env: str, default=None):
        return os.environ.get(env) or section.get(name, default)

    return Settings(
        public_url=get(table, "public_url", "KOPPELDIENST_PUBLIC_URL", "").rstrip("/"),
        meta_app_id=get(meta, "app_id", "KOPPELDIENST_META_APP_ID"),
        meta_app_secret=_secret(meta, "app_secret", "KOPPELDIENST_META_APP_SECRET"),
        meta_graph_url=get(
            meta, "graph_url", "KOPPELDIENST_META_GRAPH_URL", "https://graph.facebook.com"
        ).rstrip("/"),
        graph_version=get(meta, "graph_version", "KOPPELDIENST_META_GRAPH_VERSION", "v26.0"),
        linkedin_client_id=get(linkedin, "client_id", "KOPPELDIENST_LINKEDIN_CLIENT_ID"),
        linkedin_client_secret=_secret(
            linkedin, "client_secret", "KOPPELDIENST_LINKEDIN_CLIENT_SECRET"
        ),
        linkedin_url=get(
            linkedin, "url", "KOPPELDIENST_LINKEDIN_URL", "https://www.linkedin.com"
        ).rstrip("/"),
        linkedin_api_url=get(
            linkedin, "api_url", "KOPPELDIENST_LINKEDIN_API_URL", "https://api.linkedin.com"
        ).rstrip("/"),
        linkedin_version=str(get(linkedin, "version", "KOPPELDIENST_LINKEDIN_VERSION", "202603")),
        redirect_uris=_ids(table, "redirect_uris", "KOPPELDIENST_REDIRECT_URIS"),
        allowed_pages=_ids(meta, "pages", "KOPPELDIENST_PAGES"),
        allowed_instagram=_ids(meta, "instagram_accounts", "KOPPELDIENST_INSTAGRAM_ACCOUNTS"),
        allowed_linkedin=frozenset(
            _organization_id(x)
            for x in _ids(linkedin, "organizations", "KOPPELDIENST_LINKEDIN_ORGANIZATIONS")
        ),
        photo_minutes=float(get(table, "photo_minutes", "KOPPELDIENST_PHOTO_MINUTES", 10)),
        requests_per_minute=int(
            get(table, "requests_per_minute", "KOPPELDIENST_REQUESTS_PER_MINUTE", 60)
        ),
        host=get(table, "host", "KOPPELDIENST_HOST", "127.0.0.1"),
        port=int(get(table, "port", "KOPPELDIENST_PORT", 8080)),
    )
