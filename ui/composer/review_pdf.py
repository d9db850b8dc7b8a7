"""A printable PDF of the exact final texts and the checks, for the leidinggevende (Voorleggen)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.compose.post import Variant
from app.i18n import _
from app.networks.profiles import account_with_network
from app.rules.model import Finding
from ui.pdf import html_to_pdf

SEVERITY_WORDS = {"block": "✖", "warn": "⚠", "info": "ℹ"}


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


def write_review_pdf(
    path: Path,
    author: str,
    school: str,
    manager: str,
    moment: str,
    variants: list[Variant],
    findings: list[Finding],
    photos: Sequence[str] = (),
    note: str = "",
) -> Path:
    parts = [
        f"<h1>{_escape(_('Voorleggen: mag dit bericht geplaatst worden?'))}</h1>",
        "<p>"
        + _escape(
            _("{author} ({school}) legt dit bericht voor aan {manager}, {moment}.").format(
                author=author, school=school, manager=manager, moment=moment
            )
        )
        + "</p>",
        "<p><i>"
        + _escape(
            _(
                "Communiceren 15 en 16: bij twijfel neemt de medewerker contact op met de leidinggevende."
            )
        )
        + "</i></p>",
    ]
    if note.strip():
        heading = _("Toelichting van {author}").format(author=author)
        parts.append(f"<h2>{_escape(heading)}</h2><p>{_escape(note.strip())}</p>")
    parts.append(f"<h2>{_escape(_('Precies wat er geplaatst wordt'))}</h2>")
    for v in variants:
        parts.append(f"<h3>{_escape(account_with_network(v.account_name, v.network))}</h3>")
        parts.append(
            "<table border='1' cellpadding='8' cellspacing='0' width='100%'><tr><td>"
            + _escape(v.final_text)
            + "</td></tr></table>"
        )
    for photo in photos:
        parts.append(f"<p><img src='{Path(photo).as_uri()}' width='300'></p>")
    parts.append(f"<h2>{_escape(_('Controle op de gedragsregels'))}</h2>")
    if findings:
        parts.append("<ul>")
        for f in findings:
            parts.append(
                f"<li>{SEVERITY_WORDS[f.severity]} {_escape(f.message)} "
                f"<i>({_escape(', '.join(f.articles))})</i></li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>" + _escape(_("Postwijs vond niets.")) + "</p>")
    parts.append(
        "<p>"
        + _escape(
            _("Akkoord / niet akkoord: ______________________   Naam: ______________________")
        )
        + "</p>"
    )
    return html_to_pdf("".join(parts), path, _("Voorleggen"))
