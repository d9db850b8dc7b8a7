"""The disclaimer of Communiceren 14 and 19, built from the site's wording and always appended.

A wording has three parts, each required: a template that names the author, the school and the
foundation (`{auteur}`, `{school}`, `{stichting}`), the statement that the views are personal and
separate from the foundation's official views, and the statement that the author is not responsible
for what third parties post. Each kind of account has a long and a short wording; the long one is
used where it fits the network, the short one where only that fits.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from app.i18n import _

PLACEHOLDERS = ("auteur", "school", "stichting")
SEPARATOR = "\n\n"
LENGTHS = ("long", "short")


@dataclass(frozen=True)
class DisclaimerWording:
    template: str
    personal_views: str
    third_parties: str

    def render(self, author: str, school: str, foundation: str) -> str:
        values = {"auteur": author, "school": school, "stichting": foundation}
        parts = (self.template, self.personal_views, self.third_parties)
        return " ".join(part.format(**values).strip() for part in parts)


def _fields(text: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def wording_problems(wording: DisclaimerWording) -> list[tuple[str, str]]:
    """(field, what is expected) for each way the wording falls short of the articles."""
    problems = []
    for name in ("template", "personal_views", "third_parties"):
        text = getattr(wording, name)
        fields = _fields(text)
        if fields is None:
            problems.append(
                (name, _("accolades { } alleen rond {auteur}, {school} of {stichting}"))
            )
            continue
        unknown = fields - set(PLACEHOLDERS)
        if unknown:
            problems.append(
                (
                    name,
                    _(
                        "onbekende invulplek {names}; gebruik {{auteur}}, {{school}} en {{stichting}}"
                    ).format(names=", ".join("{" + n + "}" for n in sorted(unknown))),
                )
            )
        if not text.strip():
            problems.append((name, _("mag niet leeg zijn (Communiceren 19)")))
    missing = [p for p in PLACEHOLDERS if p not in (_fields(wording.template) or set())]
    if missing:
        problems.append(
            (
                "template",
                _("moet {names} bevatten (Communiceren 14)").format(
                    names=", ".join("{" + m + "}" for m in missing)
                ),
            )
        )
    return problems


def default_wordings() -> dict[str, dict[str, DisclaimerWording]]:
    """The built-in wording; a site may replace it, never drop one of its elements."""
    return {
        "official": {
            "long": DisclaimerWording(
                "— Geplaatst door {auteur}, medewerker van {school} ({stichting}).",
                "De standpunten en meningen in dit bericht zijn persoonlijk en staan los van de"
                " officiële standpunten van {stichting}.",
                "{auteur} is niet verantwoordelijk voor de inhoud en uitlatingen van derden.",
            ),
            "short": DisclaimerWording(
                "— {auteur}, medewerker {school} ({stichting}).",
                "Persoonlijke mening, los van {stichting}.",
                "Niet verantwoordelijk voor derden.",
            ),
        },
        "staff": {
            "long": DisclaimerWording(
                "— Ik ben {auteur}, medewerker van {school} ({stichting}), en schrijf dit als medewerker.",
                "Dit is mijn persoonlijke mening; die staat los van de officiële standpunten van"
                " {stichting}.",
                "Ik ben niet verantwoordelijk voor de inhoud en uitlatingen van derden.",
            ),
            "short": DisclaimerWording(
                "— {auteur}, medewerker {school} ({stichting}).",
                "Eigen mening, los van {stichting}.",
                "Niet verantwoordelijk voor derden.",
            ),
        },
    }


def compose(post_text: str, disclaimer: str) -> str:
    """The exact final text: what the user typed, then the disclaimer, which the user cannot edit."""
    body = post_text.rstrip()
    return f"{body}{SEPARATOR}{disclaimer}" if body else disclaimer
