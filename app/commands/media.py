"""`python -m app media prepare FILE --network NET --out DIR [--json]`: the media pipeline headless.

Prints where the prepared copy is, what was removed from it, its size and its pixels; with
--json the same as one object. Exit codes as in app.commands.cli: 0 prepared, 1 the file was refused,
2 wrong usage (unknown network, missing file, unusable output folder).
"""

from __future__ import annotations

from pathlib import Path

from app.commands.cli import EXIT_FINDING, EXIT_OK, EXIT_USAGE, Options, _emit
from app.i18n import _
from app.media.output import megabytes
from app.media.prepare import MediaError, prepare
from app.media.types import PreparedMedia
from app.networks.media_limits import known_networks
from app.networks.profiles import label


def cmd_media_prepare(options: Options, file: Path, network: str, out: Path) -> int:
    if network not in known_networks():
        message = _("Kies een van deze netwerken: {networks}.").format(
            networks=", ".join(known_networks())
        )
        _emit(options, {"ok": False, "error": "usage", "message": message}, message)
        return EXIT_USAGE
    if not Path(file).is_file():
        message = _("Kies een bestaand bestand: {file} is er niet.").format(file=file)
        _emit(options, {"ok": False, "error": "usage", "message": message}, message)
        return EXIT_USAGE
    if Path(out).exists() and not Path(out).is_dir():
        message = _("Kies een map voor --out: {out} is een bestand.").format(out=out)
        _emit(options, {"ok": False, "error": "usage", "message": message}, message)
        return EXIT_USAGE
    try:
        prepared = prepare(file, network, out)
    except MediaError as error:
        _emit(options, {"ok": False, "error": "media", "message": str(error)}, str(error))
        return EXIT_FINDING
    _emit(options, payload(prepared), report(prepared))
    return EXIT_OK


def payload(prepared: PreparedMedia) -> dict:
    return {
        "ok": True,
        "path": prepared.path,
        "network": prepared.network,
        "kind": prepared.kind,
        "format": prepared.format,
        "mime_type": prepared.mime_type,
        "width": prepared.width,
        "height": prepared.height,
        "bytes": prepared.bytes,
        "sha256": prepared.sha256,
        "duration_s": prepared.duration_s,
        "removed": list(prepared.removed),
        "changes": list(prepared.changes),
    }


def report(prepared: PreparedMedia) -> str:
    lines = [
        _("Klaar voor {network}: {path}").format(
            network=label(prepared.network), path=prepared.path
        ),
        _("{size}, {width}×{height} beeldpunten, {format}").format(
            size=megabytes(prepared.bytes),
            width=prepared.width,
            height=prepared.height,
            format=prepared.format,
        ),
    ]
    if prepared.removed:
        lines.append(_("Verwijderd: {items}.").format(items=", ".join(prepared.removed)))
    else:
        lines.append(_("Verwijderd: niets; er stonden geen verborgen gegevens in."))
    if prepared.changes:
        lines.append(_("Aangepast: {items}.").format(items=", ".join(prepared.changes)))
    return "\n".join(lines)
