"""What a contract server reads from uploaded bytes: whether they are a well-formed image, which
type, and its size, so a test server can refuse what the provider would refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.servers.contract import UploadedFile

_JPEG_SOF = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}


def sniff_image(data: bytes) -> tuple[str, int, int] | None:
    """(content type, width, height) of a well-formed PNG (every chunk's CRC checked, IEND
    present), JPEG (segments walked to a frame header, ending in EOI) or GIF; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        position, size, seen_end = 8, None, False
        while position + 12 <= len(data):
            length, kind = struct.unpack(">I4s", data[position : position + 8])
            chunk = data[position + 8 : position + 8 + length]
            (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
            if len(chunk) != length or zlib.crc32(kind + chunk) != crc:
                return None
            if kind == b"IHDR":
                size = struct.unpack(">II", chunk[:8])
            if kind == b"IEND":
                seen_end = True
                break
            position += 12 + length
        return ("image/png", *size) if size and seen_end else None
    if data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9"):
        position = 2
        while position + 4 <= len(data):
            if data[position] != 0xFF:
                return None
            marker = data[position + 1]
            if marker == 0xFF:
                position += 1
                continue
            (length,) = struct.unpack(">H", data[position + 2 : position + 4])
            if marker in _JPEG_SOF and position + 9 <= len(data):
                height, width = struct.unpack(">HH", data[position + 5 : position + 9])
                return "image/jpeg", width, height
            position += 2 + length
        return None
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "image/gif", width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        try:
            with Image.open(io.BytesIO(data), formats=["WEBP"]) as image:
                image.load()
                return "image/webp", *image.size
        except (OSError, ValueError):
            return None
    return None


def as_webp(upload: UploadedFile) -> UploadedFile:
    """The upload as a server that keeps every image as WebP stores it (its first frame)."""
    with Image.open(io.BytesIO(upload.data)) as image:
        buffer = io.BytesIO()
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(buffer, format="WEBP")
    stem = upload.filename.rsplit(".", 1)[0]
    return UploadedFile(f"{stem}.webp", "image/webp", buffer.getvalue())
