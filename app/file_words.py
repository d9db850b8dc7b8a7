"""Why a file could not be read or written, in Dutch: the system's own words ("[Errno 28] No space left on
device") are English and name no way out."""

from __future__ import annotations

import errno
from pathlib import Path

from app.i18n import _


def unwritable_words(error: OSError, target: Path) -> str:
    """A sentence for the user when writing `target` (a file, or the folder it goes in) failed."""
    place = str(target)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "De schijf is vol: er is geen plaats voor {place}. Maak ruimte vrij of kies een andere"
            " map, en probeer het opnieuw."
        ).format(place=place)
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return _(
            "Je mag niet schrijven in {place}. Kies een map in je eigen documenten, of vraag de"
            " ICT-beheerder om schrijfrechten."
        ).format(place=place)
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return _(
            "De map voor {place} is er niet (meer). Kies de map opnieuw; staat ze op een"
            " netwerkschijf, kijk dan of die nog verbonden is."
        ).format(place=place)
    if isinstance(error, IsADirectoryError):
        return _("{place} is een map. Kies een andere naam voor het bestand.").format(place=place)
    return _(
        "{place} kon niet worden geschreven. Kies een andere map en probeer het opnieuw; lukt dat"
        " niet, vraag dan de ICT-beheerder om hulp."
    ).format(place=place)


def unreadable_words(error: OSError, file_name: str) -> str:
    """Why a file cannot be read, in Dutch: the system's own words are English."""
    if isinstance(error, FileNotFoundError):
        return _(
            "{file} is er niet (meer). Kies het bestand opnieuw; staat het op een netwerkschijf,"
            " kijk dan of die nog verbonden is."
        ).format(file=file_name)
    if isinstance(error, IsADirectoryError):
        return _("{file} is een map, geen bestand. Kies het bestand in die map.").format(
            file=file_name
        )
    if isinstance(error, PermissionError):
        return _(
            "Je mag {file} niet lezen op deze computer. Sla de export op in je eigen map, of"
            " vraag de ICT-beheerder om leesrechten."
        ).format(file=file_name)
    return _(
        "{file} kon niet worden gelezen. Kopieer het bestand naar je eigen map en kies het"
        " opnieuw; lukt dat niet, vraag dan de ICT-beheerder om hulp."
    ).format(file=file_name)
