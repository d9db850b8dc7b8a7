"""What a photo carries besides its pixels, described in Dutch for the author.

Only for telling: the prepared copy is a fresh encode of the pixels, so everything listed here (and
anything this module does not recognise) is left behind whatever this module finds. Read it after
the image is loaded, since PNG text chunks after the pixel data only appear then.
"""

from __future__ import annotations

from PIL import ExifTags, Image

from app.i18n import N_, _

# EXIF tags (TIFF/EXIF 2.32 numbering) grouped by what they reveal.
_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_MAKE_MODEL = {0x010F, 0x0110, 0xA433, 0xA434}  # Make, Model, LensMake, LensModel
_DATES = {0x0132, 0x9003, 0x9004, 0x9010, 0x9011, 0x9291, 0x9292}  # DateTime*, OffsetTime*, SubSec*
_PEOPLE = {0x013B, 0x8298, 0xA430, 0x9C9D}  # Artist, Copyright, CameraOwnerName, XPAuthor
_SERIALS = {0xA431, 0xA435, 0xA420}  # BodySerialNumber, LensSerialNumber, ImageUniqueID
_SOFTWARE = {0x0131, 0x000B}  # Software, ProcessingSoftware
_MAKER_NOTE = 0x927C
_HARMLESS = {0x0112, _GPS_IFD, _EXIF_IFD}  # orientation is applied; the IFD pointers are counted

LOCATION = N_("locatie (GPS)")
CAMERA = N_("cameramerk en -model")
TAKEN_AT = N_("datum en tijd van de opname")
PEOPLE = N_("naam van de maker of eigenaar")
SERIAL = N_("serienummer van camera of lens")
SOFTWARE = N_("gebruikte software")
MAKER_NOTE = N_("verborgen gegevens van de cameramaker")
THUMBNAIL = N_("miniatuur van de oorspronkelijke foto")
OTHER_EXIF = N_("overige EXIF-gegevens")
XMP = N_("XMP-gegevens (zoals bewerkingsgeschiedenis)")
IPTC = N_("IPTC-gegevens (zoals bijschrift, trefwoorden en maker)")
COMMENT = N_("opmerking in het bestand")
PNG_TEXT = N_("tekstvelden in het PNG-bestand")
EXTRA_IMAGES = N_("extra beelden (zoals diepte-informatie of miniaturen)")
OTHER = N_("overige verborgen gegevens")

# PNG and GIF keys Pillow fills from the file's structure, not from text chunks.
_STRUCTURAL_INFO = {
    "dpi",
    "gamma",
    "transparency",
    "aspect",
    "srgb",
    "chromaticities",
    "interlace",
    "icc_profile",
    "exif",
    "xmp",
    "XML:com.adobe.xmp",
    "Raw profile type exif",
    "Raw profile type iptc",
    "Raw profile type xmp",
    "loop",
    "duration",
    "background",
    "version",
    "disposal",
    "extension",
    "default_image",
    "comment",
    "bbox",
    "blend",
}


def found_metadata(image: Image.Image) -> list[str]:
    """Dutch descriptions of the metadata in `image` as loaded, most sensitive first."""
    found: list[str] = []
    found += _exif_descriptions(image)
    info = image.info
    if info.get("xmp") or info.get("XML:com.adobe.xmp") or "Raw profile type xmp" in info:
        found.append(XMP)
    if _has_iptc(image):
        found.append(IPTC)
    if info.get("comment"):
        found.append(COMMENT)
    if image.format == "PNG" and any(key not in _STRUCTURAL_INFO for key in info):
        found.append(PNG_TEXT)
    if _has_extra_images(image):
        found.append(EXTRA_IMAGES)
    if _has_other_jpeg_segments(image):
        found.append(OTHER)
    unique = list(dict.fromkeys(found))
    return [_(text) for text in unique]


def _exif_descriptions(image: Image.Image) -> list[str]:
    raw = image.info.get("exif") or image.info.get("Raw profile type exif")
    if not raw:
        return []
    try:
        exif = image.getexif()
        tags = set(exif)
        exif_ifd = exif.get_ifd(_EXIF_IFD) if _EXIF_IFD in exif else {}
        gps = exif.get_ifd(_GPS_IFD) if _GPS_IFD in exif else {}
        thumbnail = bool(exif.get_ifd(ExifTags.IFD.IFD1))
    except Exception:  # a broken EXIF block is still an EXIF block; it is left out all the same
        return [OTHER_EXIF]
    tags |= set(exif_ifd)
    found = []
    if gps:
        found.append(LOCATION)
    for group, text in (
        (_MAKE_MODEL, CAMERA),
        (_DATES, TAKEN_AT),
        (_PEOPLE, PEOPLE),
        (_SERIALS, SERIAL),
        (_SOFTWARE, SOFTWARE),
    ):
        if tags & group:
            found.append(text)
    if _MAKER_NOTE in tags:
        found.append(MAKER_NOTE)
    if thumbnail:
        found.append(THUMBNAIL)
    named = _MAKE_MODEL | _DATES | _PEOPLE | _SERIALS | _SOFTWARE | _HARMLESS | {_MAKER_NOTE}
    if tags - named or not found:
        found.append(OTHER_EXIF)
    return found


def _has_iptc(image: Image.Image) -> bool:
    if image.info.get("photoshop") or "Raw profile type iptc" in image.info:
        return True
    return any(marker == "APP13" for marker, _data in getattr(image, "applist", ()))


def _has_extra_images(image: Image.Image) -> bool:
    info = image.info
    if info.get("thumbnails") or info.get("depth_images") or info.get("aux"):
        return True  # HEIF auxiliary images: depth maps, thumbnails, HDR gain maps
    if "mp" in info or "mpinfo" in info:
        return True  # JPEG multi-picture (MPF): a second image such as a depth map
    return any(
        marker == "APP2" and data.startswith(b"MPF\x00")
        for marker, data in getattr(image, "applist", ())
    )


def _has_other_jpeg_segments(image: Image.Image) -> bool:
    """JPEG application segments beyond the ones named above (APP3 to APP15 but Adobe's APP14):
    vendors hide all sorts in them."""
    for marker, data in getattr(image, "applist", ()):
        if marker in {"APP0", "APP1", "APP2", "APP13", "COM"}:
            continue
        if marker == "APP14" and data.startswith(b"Adobe"):
            continue
        return True
    return False
