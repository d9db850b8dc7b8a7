"""The e-mail that puts a post before the leidinggevende (Voorleggen, Communiceren 15 and 16)."""

from __future__ import annotations

from urllib.parse import quote

from app.compose.post import Variant
from app.i18n import _


def review_mail(
    author: str, school: str, variants: list[Variant], pdf_name: str, note: str = ""
) -> tuple[str, str]:
    """Subject and body; the body holds the exact texts, so the mail alone is enough to answer.
    `note` is the author's own word to the leidinggevende; `pdf_name` the attachment's name."""
    subject = _("Voorleggen: mag dit bericht geplaatst worden? ({school})").format(school=school)
    lines = [
        _("Beste leidinggevende,"),
        "",
        _(
            "Ik twijfel of dit bericht past bij de gedragsregels sociale media en leg het je voor."
            " Dit is precies wat er geplaatst zou worden:"
        ),
        "",
    ]
    if note.strip():
        lines += [note.strip(), ""]
    for v in variants:
        lines += [f"— {v.account_name}:", v.final_text, ""]
    lines += [
        _("Het volledige overzicht met de controles staat in de bijlage {name}.").format(
            name=pdf_name
        ),
        _("Wil je laten weten of je akkoord gaat?"),
        "",
        _("Groet,"),
        author,
    ]
    return subject, "\n".join(lines)


def mailto_url(address: str, subject: str, body: str) -> str:
    # RFC 6068: percent-encode everything outside the unreserved set; line breaks as %0D%0A.
    return (
        f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
        f"&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}"
    )
