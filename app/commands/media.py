"""`python -m app media prepare FILE --network NET --out DIR [--json]`: the media pipeline headless.

Prints where the prepared copy is, what was removed from it, its size and its pixels; with
--json the same as one object. Exit codes as in app.commands.common: 0 prepared, 1 the file was refused,
2 wrong usage (unknown network, missing file, unusable output folder).
"""

from __future__ import annotations

from pathlib import Path

from app.commands.common import (
    EXIT_FINDING,
    EXIT_OK,
    Options,
    add_common_options,
    emit,
    required_path,
    required_text,
    usage_error,
)
from app.i18n import _
from app.media.output import megabytes
from app.media.prepare import MediaError, prepare
from app.media.types import PreparedMedia
from app.networks.media_limits import known_networks
from app.networks.profiles import label


def add_commands(media_cmd) -> None:
    """Fills in `media …`, the parser app.commands.cli made for it."""
    media_sub = media_cmd.add_subparsers(dest="media_command", required=True, metavar=_("actie"))
    media_prepare = media_sub.add_parser(
        "prepare", help=_("maak een kopie zonder verborgen gegevens, passend voor één netwerk")
    )
    add_common_options(media_prepare)
    media_prepare.add_argument("file", type=required_path, help=_("de foto of video"))
    media_prepare.add_argument(
        "--network",
        type=required_text,
        required=True,
        help=_("het netwerk, bijvoorbeeld bluesky of instagram"),
    )
    media_prepare.add_argument(
        "--out", type=required_path, required=True, help=_("map waarin de kopie komt")
    )
    media_prepare.set_defaults(
        run=lambda options: cmd_media_prepare(
            options, options.extra["file"], options.extra["network"], options.extra["out"]
        )
    )


def cmd_media_prepare(options: Options, file: Path, network: str, out: Path) -> int:
    if network not in known_networks():
        return usage_error(
            options,
            _("Kies een van deze netwerken: {networks}.").format(
                networks=", ".join(known_networks())
            ),
        )
    if not Path(file).is_file():
        return usage_error(
            options, _("Kies een bestaand bestand: {file} is er niet.").format(file=file)
        )
    if Path(out).exists() and not Path(out).is_dir():
        return usage_error(
            options, _("Kies een map voor --out: {out} is een bestand.").format(out=out)
        )
    try:
        prepared = prepare(file, network, out)
    except MediaError as error:
        emit(options, {"ok": False, "error": "media", "message": str(error)}, str(error))
        return EXIT_FINDING
    emit(options, payload(prepared), report(prepared))
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
