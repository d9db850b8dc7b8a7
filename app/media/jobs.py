"""Before a post goes into the outbox: a prepared copy of every photo and video per target
network (metadata removed, faces blurred, within the network's limits), and the consent evidence
for the history (who was tagged and their consent state at this moment)."""

from __future__ import annotations

from pathlib import Path

from app.compose.post import FACE_BLURRED, FACE_TAGGED, Draft, Variant
from app.media.prepare import prepare
from app.networks.connector import OutgoingMedia
from app.networks.profiles import profile
from app.rules.model import RegisterPerson


def blur_boxes(item) -> list[tuple[int, int, int, int]]:
    return [face.box for face in item.faces if face.state == FACE_BLURRED]


def prepare_for_targets(
    draft: Draft, variants: list[Variant], out_dir: Path
) -> dict[str, list[OutgoingMedia]]:
    """Per account, its prepared copies, in the draft's order. Raises MediaError (Dutch)."""
    copies: dict[str, list[OutgoingMedia]] = {}
    by_network: dict[str, list[OutgoingMedia]] = {}
    for variant in variants:
        if variant.network not in by_network:
            target_dir = out_dir / variant.network
            prepared = []
            for item in draft.media:
                done = prepare(item.path, variant.network, target_dir, blur_boxes(item))
                prepared.append(
                    OutgoingMedia(done.path, done.mime_type, item.alt_text, done.width, done.height)
                )
            by_network[variant.network] = prepared
        copies[variant.account_id] = by_network[variant.network]
    return copies


def consent_evidence(draft: Draft, variants: list[Variant], people: list[RegisterPerson]) -> dict:
    """Who is tagged in the media, and for each purpose of the chosen accounts whether their
    consent was valid at this moment; blurred faces are not tagged people."""
    by_id = {p.id: p for p in people}
    tagged = sorted(
        {
            f.person_id
            for item in draft.media
            for f in item.faces
            if f.state == FACE_TAGGED and f.person_id
        }
    )
    purposes = sorted({profile(v.network).consent_purpose for v in variants})
    consent = [
        {
            "person": person_id,
            "name": by_id[person_id].full_name if person_id in by_id else "",
            "valid": {
                p: person_id in by_id and p in by_id[person_id].consented_purposes for p in purposes
            },
        }
        for person_id in tagged
    ]
    return {"people": tagged, "consent": consent}
