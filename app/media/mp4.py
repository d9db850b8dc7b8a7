"""MP4 and MOV files (ISO base media, ISO/IEC 14496-12, and Apple's QuickTime format): what they
say about themselves, and a copy with only the first picture and sound track and no metadata.

Why by hand and not ffmpeg: only the container is touched, never the coded picture or sound, and
the container is a documented tree of boxes (size, four-letter type, content). A copy keeps ftyp,
then a new moov with only the boxes that describe how to play the two kept tracks, then one mdat
with only their chunks, in their original order. Left out: every other track (location and
sensor data tracks, subtitles, chapters, timecode), udta, meta, XMP (uuid), free space and any box
this module does not know. The creation and modification times in mvhd, tkhd and mdhd become 0.

The file is read in place: the moov box (the index, a few megabytes at most) is read whole, the
media data is copied chunk by chunk. A fragmented or damaged file raises Mp4Error.
"""

from __future__ import annotations

import bisect
import itertools
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

MAX_INDEX_BYTES = 200_000_000  # a moov box larger than this is not a phone's video
COPY_BLOCK = 1 << 20

# The boxes a kept track needs to be played, by parent; everything else is left out.
KEPT_CHILDREN = {
    b"moov": {b"mvhd", b"trak"},
    b"trak": {b"tkhd", b"edts", b"mdia"},
    b"edts": {b"elst"},
    b"mdia": {b"mdhd", b"hdlr", b"minf"},
    b"minf": {b"vmhd", b"smhd", b"hdlr", b"dinf", b"stbl"},
    b"dinf": {b"dref"},
    b"stbl": {
        b"stsd", b"stts", b"ctts", b"cslg", b"stss", b"stps", b"sdtp", b"stsc", b"stsz", b"stz2",
        b"stco", b"co64", b"sgpd", b"sbgp",
    },
}  # fmt: skip
CONTAINERS = set(KEPT_CHILDREN) | {b"udta", b"meta"}
TIMED_HEADERS = {b"mvhd", b"tkhd", b"mdhd"}  # version, flags, then creation and modification time

VIDEO_CODECS = {
    b"avc1": "h264", b"avc3": "h264", b"hvc1": "hevc", b"hev1": "hevc", b"mp4v": "mpeg4",
    b"av01": "av1", b"vp09": "vp9", b"apcn": "prores", b"apch": "prores", b"jpeg": "mjpeg",
}  # fmt: skip
AUDIO_CODECS = {
    b"mp4a": "aac", b"ac-3": "ac3", b"ec-3": "eac3", b"Opus": "opus", b"alac": "alac",
    b"lpcm": "pcm", b"sowt": "pcm", b"twos": "pcm", b".mp3": "mp3",
}  # fmt: skip
# In a visual sample entry: 8 bytes of sample entry, 16 reserved, size, resolution, frame count.
COMPRESSOR_NAME_AT = 42
SUBTITLE_HANDLERS = {b"sbtl", b"subt", b"text", b"clcp"}

# QuickTime's own tags in udta (©xyz and friends) by what they say.
QUICKTIME_TAGS = {
    b"\xa9xyz": "location", b"\xa9mak": "make", b"\xa9mod": "model", b"\xa9day": "date",
    b"\xa9swr": "software", b"\xa9too": "encoder", b"\xa9nam": "title", b"\xa9cmt": "comment",
    b"\xa9des": "description", b"\xa9ART": "artist", b"\xa9aut": "author", b"\xa9cpy": "copyright",
    b"\xa9alb": "album", b"\xa9inf": "comment", b"XMP_": "xmp", b"chpl": "chapters",
}  # fmt: skip


class Mp4Error(Exception):
    """Not an MP4/MOV this module can read or copy (the caller says so in Dutch)."""


@dataclass
class Box:
    kind: bytes
    start: int  # of the header, in the file or the moov buffer
    header: int
    size: int
    children: list[Box] = field(default_factory=list)

    @property
    def payload(self) -> int:
        return self.start + self.header

    @property
    def end(self) -> int:
        return self.start + self.size


@dataclass
class Track:
    box: Box
    handler: bytes
    codec: str
    size: tuple[int, int]
    chunk_offsets: list[int]
    chunk_sizes: list[int]
    is_chapter_track: bool = False


@dataclass
class Movie:
    """What a file says: its tags, tracks and length; enough to copy it."""

    ftyp: bytes
    moov: bytes
    moov_box: Box
    tracks: list[Track]
    tags: dict[str, str]
    duration_s: float | None
    chapters: int
    media_ranges: list[tuple[int, int]] = field(default_factory=list)  # mdat payloads

    def first(self, handler: bytes) -> Track | None:
        return next((t for t in self.tracks if t.handler == handler), None)

    @property
    def video(self) -> Track | None:
        return self.first(b"vide")

    @property
    def audio(self) -> Track | None:
        return self.first(b"soun")

    @property
    def subtitles(self) -> int:
        return sum(
            1 for t in self.tracks if t.handler in SUBTITLE_HANDLERS and not t.is_chapter_track
        )

    @property
    def data_tracks(self) -> int:
        kinds = {b"vide", b"soun", *SUBTITLE_HANDLERS}
        return sum(1 for t in self.tracks if t.handler not in kinds)


def _boxes(data: bytes | memoryview, start: int, end: int) -> Iterator[Box]:
    position = start
    while position < end:
        if end - position < 8:
            raise Mp4Error("truncated box header")
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if end - position < 16:
                raise Mp4Error("truncated large box header")
            size = struct.unpack_from(">Q", data, position + 8)[0]
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise Mp4Error(f"box {kind!r} runs past its parent")
        yield Box(kind, position, header, size)
        position += size


def _tree(data: bytes, box: Box) -> Box:
    if box.kind in CONTAINERS:
        start = box.payload + (4 if box.kind == b"meta" and _is_full_meta(data, box) else 0)
        box.children = [_tree(data, child) for child in _boxes(data, start, box.end)]
    return box


def _is_full_meta(data: bytes, box: Box) -> bool:
    """ISO meta boxes start with version and flags; QuickTime's do not (they start with a box)."""
    if box.size < box.header + 12:
        return False
    return data[box.payload + 4 : box.payload + 8] != b"hdlr"


def _child(box: Box, kind: bytes) -> Box | None:
    return next((c for c in box.children if c.kind == kind), None)


def _path(box: Box, *kinds: bytes) -> Box | None:
    for kind in kinds:
        found = _child(box, kind)
        if found is None:
            return None
        box = found
    return box


def read(file: BinaryIO) -> Movie:
    """Reads the top-level boxes and the whole index (moov) of an open MP4/MOV file."""
    file.seek(0, os.SEEK_END)
    length = file.tell()
    ftyp = b""
    moov = b""
    position = 0
    xmp = False
    media_ranges = []
    while position < length:
        file.seek(position)
        head = file.read(16)
        if len(head) < 8:
            raise Mp4Error("truncated top-level box")
        size, kind = struct.unpack_from(">I4s", head)
        header = 8
        if size == 1:
            if len(head) < 16:
                raise Mp4Error("truncated top-level box")
            size, header = struct.unpack_from(">Q", head, 8)[0], 16
        elif size == 0:
            size = length - position
        if size < header or position + size > length:
            raise Mp4Error(f"top-level box {kind!r} runs past the end of the file")
        if kind in (b"moof", b"mfra"):
            raise Mp4Error("fragmented MP4")
        if kind == b"ftyp" and not ftyp:
            file.seek(position)
            ftyp = file.read(size)
        elif kind == b"moov":
            if moov:
                raise Mp4Error("two moov boxes")
            if size > MAX_INDEX_BYTES:
                raise Mp4Error("index too large")
            file.seek(position)
            moov = file.read(size)
        elif kind == b"mdat":
            media_ranges.append((position + header, position + size))
        elif kind == b"uuid":
            xmp = True  # XMP (or another vendor's block): never copied
        elif kind == b"meta":
            xmp = True
        position += size
    if not moov:
        raise Mp4Error("no moov box")
    moov_box = _tree(moov, Box(b"moov", 0, 8 if moov[:4] != b"\x00\x00\x00\x01" else 16, len(moov)))
    movie = _movie(ftyp, moov, moov_box, length, extra_tags={"xmp": ""} if xmp else {})
    movie.media_ranges = media_ranges
    return movie


def _movie(ftyp: bytes, moov: bytes, root: Box, length: int, extra_tags: dict) -> Movie:
    tags: dict[str, str] = dict(extra_tags)
    chapters = 0
    mvhd = _child(root, b"mvhd")
    if mvhd is None:
        raise Mp4Error("no mvhd")
    created, _modified, timescale, duration = _header_times(moov, mvhd, with_duration=True)
    if created:
        tags["creation_time"] = str(created)
    for box in root.children:
        if box.kind in (b"udta", b"meta"):
            found, chapter_count = _metadata(moov, box)
            tags.update(found)
            chapters += chapter_count
    chapter_ids: set[int] = set()
    tracks = []
    for trak in (c for c in root.children if c.kind == b"trak"):
        tref = _child(trak, b"tref")
        if tref is not None:
            for ref in _boxes(moov, tref.payload, tref.end):
                if ref.kind == b"chap":
                    count = (ref.size - ref.header) // 4
                    chapter_ids.update(
                        struct.unpack_from(f">{count}I", moov, ref.payload) if count else ()
                    )
        track = _track(moov, trak, length)
        tracks.append(track)
        for box in trak.children:
            if box.kind in (b"udta", b"meta"):
                found, chapter_count = _metadata(moov, box)
                tags.update(found)
                chapters += chapter_count
        tkhd = _child(trak, b"tkhd")
        if tkhd is not None and _header_times(moov, tkhd)[0]:
            tags.setdefault("creation_time", "track")
    for track in tracks:
        if _track_id(moov, track.box) in chapter_ids:
            track.is_chapter_track = True
            chapters += 1
    seconds = duration / timescale if timescale else None
    return Movie(ftyp, moov, root, tracks, tags, seconds, chapters)


def _header_times(data: bytes, box: Box, with_duration: bool = False) -> tuple[int, int, int, int]:
    """Creation and modification time (and, for mvhd, timescale and duration)."""
    need = box.payload + (28 if data[box.payload] == 1 else 16)
    if box.end < need + (4 if with_duration else 0):
        raise Mp4Error(f"short {box.kind!r}")
    if data[box.payload] == 1:
        created, modified, timescale, duration = struct.unpack_from(">QQIQ", data, box.payload + 4)
    else:
        created, modified, timescale, duration = struct.unpack_from(">IIII", data, box.payload + 4)
    return created, modified, timescale, duration


def _track_id(data: bytes, trak: Box) -> int | None:
    tkhd = _child(trak, b"tkhd")
    if tkhd is None:
        return None
    offset = tkhd.payload + (20 if data[tkhd.payload] == 1 else 12)
    return struct.unpack_from(">I", data, offset)[0] if offset + 4 <= tkhd.end else None


def _metadata(data: bytes, box: Box) -> tuple[dict[str, str], int]:
    """Tag names found in a udta or meta box (their values are not needed: they all go)."""
    tags: dict[str, str] = {}
    chapters = 0
    if box.kind == b"meta":
        keys = _child(box, b"keys")
        if keys is not None:
            for name in _mdta_keys(data, keys):
                tags[name.lower()] = ""
        ilst = _child(box, b"ilst")
        if ilst is not None and keys is None:
            for item in _boxes(data, ilst.payload, ilst.end):
                tags[QUICKTIME_TAGS.get(item.kind, item.kind.decode("latin-1"))] = ""
        return tags, 0
    for child in box.children:
        if child.kind == b"meta":
            found, _ = _metadata(data, child)
            tags.update(found)
        elif child.kind == b"chpl":
            chapters += 1
        else:
            tags[QUICKTIME_TAGS.get(child.kind, child.kind.decode("latin-1"))] = ""
    return tags, chapters


def _mdta_keys(data: bytes, keys: Box) -> list[str]:
    """Apple's metadata keys box: version/flags, a count, then (size, namespace, name) each."""
    if keys.end - keys.payload < 8:
        return []
    count = struct.unpack_from(">I", data, keys.payload + 4)[0]
    position, names = keys.payload + 8, []
    for _ in range(count):
        if position + 8 > keys.end:
            break
        size = struct.unpack_from(">I", data, position)[0]
        if size < 8 or position + size > keys.end:
            break
        names.append(bytes(data[position + 8 : position + size]).decode("utf-8", "replace"))
        position += size
    return names


def _track(data: bytes, trak: Box, file_length: int) -> Track:
    hdlr = _path(trak, b"mdia", b"hdlr")
    handler = bytes(data[hdlr.payload + 8 : hdlr.payload + 12]) if hdlr is not None else b""
    stbl = _path(trak, b"mdia", b"minf", b"stbl")
    codec, size = "", (0, 0)
    offsets: list[int] = []
    sizes: list[int] = []
    if stbl is not None:
        stsd = _child(stbl, b"stsd")
        if stsd is not None and stsd.end - stsd.payload >= 16:
            entry = next(_boxes(data, stsd.payload + 8, stsd.end), None)
            if entry is not None:
                if handler == b"vide":
                    codec = VIDEO_CODECS.get(entry.kind, entry.kind.decode("latin-1").strip())
                    if entry.end >= entry.payload + 28:
                        size = struct.unpack_from(">HH", data, entry.payload + 24)
                elif handler == b"soun":
                    codec = AUDIO_CODECS.get(entry.kind, entry.kind.decode("latin-1").strip())
        offsets, sizes = _chunks(data, stbl, file_length)
    return Track(trak, handler, codec, size, offsets, sizes)


def _full_box_entries(data: bytes, box: Box, entry_format: str) -> list[tuple]:
    width = struct.calcsize(entry_format)
    if box.end - box.payload < 8:
        raise Mp4Error(f"short {box.kind!r}")
    count = struct.unpack_from(">I", data, box.payload + 4)[0]
    if box.payload + 8 + count * width > box.end:
        raise Mp4Error(f"{box.kind!r} has more entries than room")
    return list(
        struct.iter_unpack(entry_format, data[box.payload + 8 : box.payload + 8 + count * width])
    )


def _chunks(data: bytes, stbl: Box, file_length: int) -> tuple[list[int], list[int]]:
    """Each chunk's offset in the file and its length in bytes (stco/co64, stsc, stsz)."""
    stco, co64 = _child(stbl, b"stco"), _child(stbl, b"co64")
    stsc, stsz = _child(stbl, b"stsc"), _child(stbl, b"stsz")
    if (stco is None and co64 is None) or stsc is None or stsz is None:
        raise Mp4Error("track without a sample table")
    if co64 is not None:
        offsets = [o for (o,) in _full_box_entries(data, co64, ">Q")]
    else:
        assert stco is not None  # checked above: one of the two exists
        offsets = [o for (o,) in _full_box_entries(data, stco, ">I")]
    runs = _full_box_entries(data, stsc, ">III")  # first chunk, samples per chunk, description
    if stsz.end - stsz.payload < 12:
        raise Mp4Error("short stsz")
    uniform, count = struct.unpack_from(">II", data, stsz.payload + 4)
    if uniform:
        sample_sizes = None
    else:
        if stsz.payload + 12 + 4 * count > stsz.end:
            raise Mp4Error("stsz has more entries than room")
        sample_sizes = struct.unpack_from(f">{count}I", data, stsz.payload + 12)
    sizes = []
    sample = 0
    run = -1
    per_chunk = 0
    for index, offset in enumerate(offsets):
        while run + 1 < len(runs) and runs[run + 1][0] <= index + 1:
            run += 1
            per_chunk = runs[run][1]
        if sample_sizes is None:
            length = per_chunk * uniform
        else:
            if sample + per_chunk > len(sample_sizes):
                raise Mp4Error("chunks name more samples than there are")
            length = sum(sample_sizes[sample : sample + per_chunk])
        sample += per_chunk
        if offset + length > file_length:
            raise Mp4Error("a chunk lies past the end of the file")
        sizes.append(length)
    return offsets, sizes


def _rebuilt(data: bytes, box: Box, replacements: dict[int, bytes]) -> bytes:
    """A box with only its kept children, times set to 0 and chunk offsets replaced."""
    if box.start in replacements:
        return replacements[box.start]
    if box.kind == b"stsd":
        return _anonymous_descriptions(data, box)
    if box.kind in TIMED_HEADERS:
        header = bytearray(data[box.payload : box.end])
        width = 8 if header[0] == 1 else 4
        header[4 : 4 + 2 * width] = bytes(2 * width)
        return _header(box.kind, len(header)) + bytes(header)
    kept = KEPT_CHILDREN.get(box.kind)
    if kept is None:
        return bytes(data[box.start : box.end])
    body = b"".join(_rebuilt(data, c, replacements) for c in box.children if c.kind in kept)
    return _header(box.kind, len(body)) + body


def _anonymous_descriptions(data: bytes, stsd: Box) -> bytes:
    """The sample descriptions with the compressor name of each picture format blanked: muxers
    write their own name and version there ("Lavc61 libx264"), phones their codec's."""
    copy = bytearray(data[stsd.start : stsd.end])
    if stsd.end - stsd.payload >= 8:
        for entry in _boxes(data, stsd.payload + 8, stsd.end):
            name_at = entry.payload + COMPRESSOR_NAME_AT
            if entry.kind in VIDEO_CODECS and entry.end >= name_at + 32:
                start = name_at - stsd.start
                copy[start : start + 32] = bytes(32)
    return bytes(copy)


def _header(kind: bytes, body: int) -> bytes:
    if body + 8 <= 0xFFFFFFFF:
        return struct.pack(">I4s", body + 8, kind)
    return struct.pack(">I4sQ", 1, kind, body + 16)


def _offset_box(chunk_offsets: list[int], wide: bool) -> bytes:
    count = len(chunk_offsets)
    if wide:
        body = struct.pack(f">II{count}Q", 0, count, *chunk_offsets)
        return _header(b"co64", len(body)) + body
    body = struct.pack(f">II{count}I", 0, count, *chunk_offsets)
    return _header(b"stco", len(body)) + body


def copy_without_metadata(source: BinaryIO, movie: Movie, target: BinaryIO) -> None:
    """Writes ftyp, a new moov and one mdat with the first picture and sound track only."""
    kept = [t for t in (movie.video, movie.audio) if t is not None]
    if movie.video is None:
        raise Mp4Error("no picture track")
    root = movie.moov_box
    dropped = {id(t.box) for t in movie.tracks} - {id(t.box) for t in kept}
    root_children = [c for c in root.children if id(c) not in dropped]
    trimmed = Box(root.kind, root.start, root.header, root.size, root_children)
    # Chunks in their original order, so picture and sound stay interleaved as they were.
    chunks = sorted(
        (offset, length, track_index, chunk_index)
        for track_index, track in enumerate(kept)
        for chunk_index, (offset, length) in enumerate(
            zip(track.chunk_offsets, track.chunk_sizes, strict=True)
        )
    )
    # A chunk is copied only from inside a media data box: a damaged or crafted index must not
    # make the copy carry bytes of the metadata it leaves out.
    for offset, length, _track, _chunk in chunks:
        if not any(start <= offset and offset + length <= end for start, end in movie.media_ranges):
            raise Mp4Error("a chunk lies outside the media data")
    # Nor bytes of a track it leaves out (a location track's samples live in the same mdat).
    left_out = sorted(
        (offset, offset + length)
        for track in movie.tracks
        if id(track.box) in dropped
        for offset, length in zip(track.chunk_offsets, track.chunk_sizes, strict=True)
        if length
    )
    furthest_end = list(itertools.accumulate((end for _, end in left_out), max))
    for offset, length, _track, _chunk in chunks:
        # The intervals starting before this chunk ends; does any of them reach into it?
        index = bisect.bisect_left(left_out, (offset + length, -1)) - 1
        if length and index >= 0 and furthest_end[index] > offset:
            raise Mp4Error("a kept chunk overlaps the data of a left-out track")
    media_bytes = sum(length for _, length, _, _ in chunks)

    def layout(wide: bool) -> tuple[dict[int, bytes], int]:
        placeholders = {
            _offset_table(t).start: _offset_box([0] * len(t.chunk_offsets), wide) for t in kept
        }
        moov_size = len(_rebuilt(movie.moov, trimmed, placeholders))
        mdat_header = 16 if media_bytes + 8 > 0xFFFFFFFF else 8
        return placeholders, len(movie.ftyp) + moov_size + mdat_header

    wide = False
    _, data_start = layout(wide)
    if data_start + media_bytes > 0xFFFFFFFF:
        wide = True
        _, data_start = layout(wide)
    new_offsets: list[list[int]] = [[0] * len(t.chunk_offsets) for t in kept]
    position = data_start
    for _offset, length, track_index, chunk_index in chunks:
        new_offsets[track_index][chunk_index] = position
        position += length
    replacements = {
        _offset_table(t).start: _offset_box(new_offsets[i], wide) for i, t in enumerate(kept)
    }
    target.write(movie.ftyp)
    target.write(_rebuilt(movie.moov, trimmed, replacements))
    target.write(_header(b"mdat", media_bytes))
    for offset, length, _track, _chunk in chunks:
        source.seek(offset)
        remaining = length
        while remaining:
            block = source.read(min(COPY_BLOCK, remaining))
            if not block:
                raise Mp4Error("the file ended inside a chunk")
            target.write(block)
            remaining -= len(block)


def _offset_table(track: Track) -> Box:
    stbl = _path(track.box, b"mdia", b"minf", b"stbl")
    table = None if stbl is None else (_child(stbl, b"co64") or _child(stbl, b"stco"))
    if table is None:
        raise Mp4Error("a kept track has no chunk offsets")
    return table
