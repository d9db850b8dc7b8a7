"""The friend audit (Communiceren 11: staff do not 'befriend' pupils on social media).

Compares the accounts an account follows with the pupils' handles the school knows (handles are
optional in the register and kept only where the school knows them).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.model import RegisterPerson

ARTICLE = "Communiceren 11"


@dataclass(frozen=True)
class FollowMatch:
    followed: str  # as the network lists it
    person_id: str
    person_name: str


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


def pupils_followed(
    follows: list[str], people: list[RegisterPerson], network: str
) -> list[FollowMatch]:
    """The followed accounts that belong to a pupil of the register."""
    known: dict[str, RegisterPerson] = {}
    for person in people:
        if person.role != "pupil":
            continue
        for handle_network, handle in person.handles.items():
            if handle and (not network or handle_network == network):
                known[normalise_handle(handle, network)] = person
    matches = []
    for followed in follows:
        pupil = known.get(normalise_handle(followed, network))
        if pupil is not None:
            matches.append(FollowMatch(followed, pupil.id, pupil.full_name))
    return matches
