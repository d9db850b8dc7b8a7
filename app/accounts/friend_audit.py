"""The friend audit (Communiceren 11: staff do not 'befriend' pupils on social media).

Compares the accounts an account follows with the pupils' handles the school knows (handles are
optional in the register and kept only where the school knows them).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.networks.connector import Follow
from app.networks.handles import normalise_handle
from app.rules.model import RegisterPerson

ARTICLE = "Communiceren 11"


@dataclass(frozen=True)
class FollowMatch:
    followed: str  # as the network lists it
    person_id: str
    person_name: str


def pupils_followed(
    follows: list[str], people: list[RegisterPerson], network: str
) -> list[FollowMatch]:
    """The followed accounts that belong to a pupil of the register, known by any of the names a
    follow carries (a YouTube channel by its handle or its channel id)."""
    known: dict[str, RegisterPerson] = {}
    for person in people:
        if person.role != "pupil":
            continue
        for handle_network, handle in person.handles.items():
            if handle and (not network or handle_network == network):
                known[normalise_handle(handle, network)] = person
    matches = []
    for followed in follows:
        names = (followed, *followed.aliases) if isinstance(followed, Follow) else (followed,)
        spellings = [normalise_handle(name, network) for name in names]
        pupil = next((known[s] for s in spellings if s in known), None)
        if pupil is not None:
            # As the network lists it: the name shown and the one unfollow takes.
            matches.append(FollowMatch(str(followed), pupil.id, pupil.full_name))
    return matches
