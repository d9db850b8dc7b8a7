"""No photo or video of a recognisable person without valid consent (Communiceren 10,
Profileren 4, ons 11-tal 8).

Each face in a photo must be accounted for: tagged as a person with consent for the purpose of the
account (social media, website), blurred, or marked as no face; or the author declares the photo
shows nobody recognisable. The author also confirms no face was missed, since detectors miss faces.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import FACE_OPEN, FACE_TAGGED, Draft, Variant
from app.i18n import _
from app.networks.profiles import profile
from app.rules.model import BLOCK, CheckContext, Finding, RegisterPerson


def _people_by_id(ctx: CheckContext) -> dict[str, RegisterPerson]:
    return ctx.cached("people_by_id", lambda: {p.id: p for p in ctx.people})


def _whom_to_ask(ctx: CheckContext, school_id: str) -> str:
    try:
        contact = ctx.site.school(school_id).consent_contact
    except KeyError:
        contact = None
    if contact is None:
        return _("Vraag de administratie van de school naar de toestemming.")
    return _("Vraag {name} naar de toestemming{email}.").format(
        name=contact.name, email=f" ({contact.email})" if contact.email else ""
    )


class MediaConsentRule:
    id = "media_consent"
    articles = ("Communiceren 10", "Profileren 4", "ons 11-tal 8")

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        people = _people_by_id(ctx)
        purposes = sorted({profile(v.network).consent_purpose for v in variants}) or [
            "sociale media"
        ]
        for number, item in enumerate(draft.media, start=1):
            what = (
                _("foto {n}").format(n=number)
                if item.kind == "image"
                else _("video {n}").format(n=number)
            )
            if item.no_recognisable_people:
                continue
            open_faces = [f for f in item.faces if f.state == FACE_OPEN]
            if open_faces:
                yield self._finding(
                    number,
                    _("Vervaag elk gezicht op {what} of kies wie het is ({n} nog open).").format(
                        what=what, n=len(open_faces)
                    ),
                )
            if not item.everyone_accounted_for:
                yield self._finding(
                    number,
                    _(
                        "Bevestig dat iedereen die herkenbaar is op {what} getagd of vervaagd is,"
                        " of verklaar dat er niemand herkenbaar op staat."
                    ).format(what=what),
                )
            for face in item.faces:
                if face.state != FACE_TAGGED:
                    continue
                person = people.get(face.person_id)
                name = person.full_name if person else _("een onbekend persoon")
                for purpose in purposes:
                    if person is None or purpose not in person.consented_purposes:
                        yield self._finding(
                            number,
                            _(
                                "Vervaag {name} op {what} of haal de {kind} weg: er is geen geldige"
                                " toestemming voor {purpose} dit schooljaar. {ask}"
                            ).format(
                                name=name,
                                what=what,
                                kind=_("foto") if item.kind == "image" else _("video"),
                                purpose=purpose,
                                ask=_whom_to_ask(ctx, draft.school_id),
                            ),
                        )

    def _finding(self, number: int, message: str) -> Finding:
        return Finding(
            rule=self.id, articles=self.articles, severity=BLOCK, message=message, media=number
        )


RULE = MediaConsentRule()
