"""Voorleggen (Communiceren 15 and 16), the core of it: the PDF of the exact post, the draft marked
as waiting in the history, and the e-mail to the leidinggevende. The UI asks for the note, opens
the mail program and says what to do when none opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.compose import drafts
from app.compose.model import ComposerModel
from app.compose.review_mail import mailto_url, review_mail
from app.dutch_time import in_dutch_time, short_moment
from app.i18n import _
from app.site.config import School
from app.store import Store, StoreError

# write_pdf(path, author, school, manager, moment, variants, findings, photos, note) -> Path
PdfWriter = Callable[..., Path]


class ReviewNotPossible(Exception):
    """Voorleggen could not be done; the message says why and what to do, in Dutch."""


@dataclass(frozen=True)
class ReviewRequest:
    manager: str
    address: str
    pdf: Path
    subject: str
    body: str
    review: drafts.Review

    @property
    def mailto(self) -> str:
        return mailto_url(self.address, self.subject, self.body)


def why_not_possible(school: School) -> str:
    """Empty when the school has a leidinggevende to write to; else what to do, in Dutch."""
    if school.manager is None or not school.manager.email:
        return _(
            "Er is geen leidinggevende met e-mailadres bekend voor {school}. Vraag de"
            " ICT-beheerder de leidinggevende van de school in te stellen."
        ).format(school=school.name)
    return ""


def put_before_manager(
    store: Store,
    model: ComposerModel,
    folder: Path,
    write_pdf: PdfWriter,
    note: str = "",
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReviewRequest:
    """Writes the PDF into `folder`, records the request, and returns the mail to send."""
    school = model.school
    manager = school.manager
    problem = why_not_possible(school)
    if problem:
        raise ReviewNotPossible(problem)
    variants = model.variants()
    moment = in_dutch_time(now())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        pdf = write_pdf(
            folder / f"voorleggen-{moment:%Y%m%d-%H%M}-{model.draft.id[:6]}.pdf",
            model.author.name,
            school.name,
            manager.name,
            short_moment(moment),
            variants,
            model.report().findings,
            [m.path for m in model.draft.media if m.kind == "image"],
            note,
        )
        review = drafts.request_review(store, model.draft, manager.name, model.final_texts())
    except (OSError, StoreError) as error:
        raise ReviewNotPossible(
            _("Voorleggen is niet gelukt: {reason}. Je bericht staat er nog.").format(
                reason=getattr(error, "strerror", None) or error
            )
        ) from error
    subject, body = review_mail(model.author.name, school.name, variants, pdf.name, note)
    return ReviewRequest(manager.name, manager.email, pdf, subject, body, review)
