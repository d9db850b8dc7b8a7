"""How an account is written: one spelling per account, so a handle from the register, from a
network's list or from a sign-in compare equal (the friend audit, the check after a sign-in)."""

from __future__ import annotations

YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com")


def normalise_handle(handle: str, network: str = "") -> str:
    """One spelling per account: no '@', no profile URL, lower case; Mastodon keeps its domain.
    A YouTube channel is known by its handle or its channel id, also from a channel URL
    (youtube.com/@sem, youtube.com/channel/UC…)."""
    text = handle.strip().lower()
    if text.startswith(tuple(host + "/" for host in YOUTUBE_HOSTS)):
        text = "https://" + text  # a channel's address as people copy it, without https://
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            host, _, path = text.partition("/")
            path = path.strip("/")
            if host in YOUTUBE_HOSTS:
                return path.removeprefix("channel/").split("/", 1)[0].lstrip("@")
            if path.startswith("@"):  # mastodon.social/@noor -> noor@mastodon.social
                return f"{path[1:]}@{host}"
            if path.startswith("profile/"):  # bsky.app/profile/noor.bsky.social
                return path.split("/", 1)[1]
            return path or host
    return text.lstrip("@")
