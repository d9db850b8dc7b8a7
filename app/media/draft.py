"""Photos and videos in the draft the composer edits, and how each face in them is accounted for
(Communiceren 10, Profileren 4, ons 11-tal 8): tagged as a person with consent, blurred, or
dismissed as no face; or the whole photo declared to show nobody recognisable.

Two halves, so the screen never waits:
- `inspect(path)` reads the file and looks for faces. It blocks (decoding and detection take up to
  a second or more for a phone photo): call it off the GUI thread. It raises MediaError, with a
  Dutch sentence, for a file that cannot be used; nothing is added to the draft then.
- `MediaEditor` changes the draft of a ComposerModel and tells the model, so the checks, the
  strip and the tagging dialog redraw. It is quick: call it on the GUI thread.

What the caller must know:
- Face boxes are (x, y, width, height) in pixels of the upright, full-size photo (FaceMark.box),
  whatever size the preview was decoded at.
- `status(item)` asks the media-consent rule itself, so a badge never disagrees with the checks.
- Declaring "nobody recognisable" is refused while a face is still open or tagged: the rule
  would otherwise skip a tagged person without consent. Tagging a face, or marking a new one,
  takes the declaration back.
- A detected face cannot be deleted, only dismissed ("geen gezicht"), so what the detector found
  stays on record; a box drawn by hand can be removed again.
- Videos are not searched for faces and cannot be blurred; the author names who is in them.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.compose.post import (
    FACE_BLURRED,
    FACE_NOT_A_FACE,
    FACE_OPEN,
    FACE_TAGGED,
    Draft,
    FaceMark,
    MediaItem,
)
from app.i18n import _, ngettext

if TYPE_CHECKING:
    from PIL import Image

    from app.compose.model import ComposerModel
    from app.rules.model import RegisterPerson
    from app.store import Store

ACCOUNTED, BLOCKED, BLURRED = "accounted", "blocked", "blurred"
# The preview is decoded no larger than this: the detector works at this size anyway
# (app.media.faces.DETECTION_LONG_SIDE), and the tagging dialog does not need more on screen.
PREVIEW_LONG_SIDE = 1600
STAFF = "staff"  # app.consent.register.STAFF, without importing the register's SQL here
DEFAULT_PURPOSE = "sociale media"  # as the media-consent rule assumes with no account chosen


@dataclass
class Inspected:
    """A file that can be added: the item to add, and what the screen needs to show it."""

    item: MediaItem
    preview: Image.Image | None  # upright, long side at most PREVIEW_LONG_SIDE; None for a video
    original_size: tuple[int, int] = (0, 0)  # the upright full size; (0, 0) for a video
    detection_failed: bool = False  # the detector could not run: the author must look alone


@dataclass(frozen=True)
class PeopleChoice:
    """The people the picker offers: those of the author's own groups first."""

    own_groups: tuple[str, ...]
    own: tuple[RegisterPerson, ...]
    others: tuple[RegisterPerson, ...]


@dataclass(frozen=True)
class AltTextRoom:
    """How much room the description has left, in words; `over` when it is too long."""

    words: str
    over: bool = False


def _fit_long_side(limit: int) -> Callable[[tuple[int, int]], tuple[int, int]]:
    def size_for(size: tuple[int, int]) -> tuple[int, int]:
        width, height = size
        scale = min(1.0, limit / max(width, height, 1))
        return max(1, round(width * scale)), max(1, round(height * scale))

    return size_for


def inspect(path: str | os.PathLike) -> Inspected:
    """Reads the photo or video at `path` and, for a photo, finds its faces. Blocks; raises
    MediaError (Dutch) for a file that cannot be used."""
    from app.media.faces import FaceDetectorUnavailable, detect_faces
    from app.media.prepare import load_image, media_kind

    path = str(path)
    if media_kind(path) == "video":
        _check_video(Path(path))
        return Inspected(MediaItem(path, kind="video"), None)
    loaded = load_image(path, size_for=_fit_long_side(PREVIEW_LONG_SIDE))
    try:
        found = detect_faces(loaded.image)
        failed = False
    except FaceDetectorUnavailable:
        # A packaging fault: never read as "no faces". The author marks faces by hand.
        found, failed = [], True
    width, height = loaded.original_size
    to_full = width / loaded.image.width
    faces = []
    for box in found:
        x, y = round(box.x * to_full), round(box.y * to_full)
        w, h = round(box.width * to_full), round(box.height * to_full)
        x, y = min(max(0, x), width - 1), min(max(0, y), height - 1)
        faces.append(FaceMark((x, y, max(1, min(w, width - x)), max(1, min(h, height - y)))))
    return Inspected(
        MediaItem(path, kind="image", faces=faces), loaded.image, loaded.original_size, failed
    )


def read_preview(path: str | os.PathLike) -> tuple[Image.Image, tuple[int, int]]:
    """The upright preview of a photo already in the draft (its faces are in the draft), and
    its full upright size. Blocks; raises MediaError."""
    from app.media.prepare import load_image

    loaded = load_image(path, size_for=_fit_long_side(PREVIEW_LONG_SIDE))
    return loaded.image, loaded.original_size


def _check_video(path: Path) -> None:
    """What can be told without decoding: the video itself is checked when it is prepared."""
    from app.media.types import file_size

    file_size(path)


def _folded(text: str) -> str:
    """For search: no case, no accents ("Zoë" is found by "zoe")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sort_key(person: RegisterPerson) -> tuple[str, str]:
    # Children are known by their first name: the list reads as the class calls them.
    return _folded(person.full_name), person.id


class MediaEditor:
    """Every change the author makes to the photos and videos of `model.draft`.

    `store` is the consent register's database, used only to explain a missing consent in full
    (`consent.why_no_consent`); without it the explanation is shorter. Items are the draft's own
    MediaItem objects; faces are addressed by their index in `item.faces`.
    """

    def __init__(self, model: ComposerModel, store: Store | None = None):
        self.model = model
        self.store = store

    # The draft's media

    @property
    def items(self) -> list[MediaItem]:
        return self.model.draft.media

    def add(self, item: MediaItem) -> None:
        self.items.append(item)
        self.model._changed()

    def remove(self, item: MediaItem) -> None:
        self._check_item(item)
        self.model.draft.media = [m for m in self.items if m is not item]
        self.model._changed()

    def set_alt_text(self, item: MediaItem, text: str) -> None:
        self._check_item(item)
        if text != item.alt_text:
            item.alt_text = text
            self.model._changed()

    # One face

    def tag(self, item: MediaItem, index: int, person_id: str) -> None:
        """`person_id` is a register person's id; whether they may be shown is the rule's call."""
        if not person_id:
            raise ValueError("a tag needs a person")
        face = self._face(item, index)
        face.state, face.person_id = FACE_TAGGED, person_id
        item.no_recognisable_people = False
        self.model._changed()

    def blur(self, item: MediaItem, index: int) -> None:
        self._check_can_blur(item)
        self._set_state(item, index, FACE_BLURRED)

    def not_a_face(self, item: MediaItem, index: int) -> None:
        self._set_state(item, index, FACE_NOT_A_FACE)

    def reopen(self, item: MediaItem, index: int) -> None:
        self._set_state(item, index, FACE_OPEN)

    def add_box(
        self,
        item: MediaItem,
        box: tuple[int, int, int, int],
        state: str = FACE_OPEN,
        person_id: str = "",
    ) -> int:
        """A face the detector missed, marked by hand; returns its index. For a video the box
        is (0, 0, 0, 0): it stands for a person seen in the video."""
        self._check_item(item)
        x, y, width, height = (int(v) for v in box)
        if item.kind == "image" and (width < 1 or height < 1 or x < 0 or y < 0):
            raise ValueError(f"not a box on a photo: {box!r}")
        if state == FACE_TAGGED and not person_id:
            raise ValueError("a tag needs a person")
        if state == FACE_BLURRED:
            self._check_can_blur(item)
        if state not in (FACE_OPEN, FACE_TAGGED, FACE_BLURRED):
            raise ValueError(f"a box drawn by hand is a face to tag or blur, not {state!r}")
        item.faces.append(
            FaceMark((x, y, width, height), state, person_id if state == FACE_TAGGED else "", True)
        )
        if state in (FACE_OPEN, FACE_TAGGED):
            item.no_recognisable_people = False
        self.model._changed()
        return len(item.faces) - 1

    def remove_box(self, item: MediaItem, index: int) -> None:
        """Only a box drawn by hand: what the detector found is dismissed, never deleted."""
        face = self._face(item, index)
        if not face.by_hand:
            raise ValueError("a detected face is dismissed with not_a_face, not removed")
        del item.faces[index]
        self.model._changed()

    # The whole photo

    def blur_all(self, item: MediaItem) -> None:
        """Every face but the ones dismissed as no face, tagged ones included."""
        self._check_can_blur(item)
        for face in item.faces:
            if face.state != FACE_NOT_A_FACE:
                face.state, face.person_id = FACE_BLURRED, ""
        self.model._changed()

    def why_not_declare_nobody(self, item: MediaItem) -> str:
        """Empty when the author may declare that nobody is recognisable; otherwise why not."""
        if any(f.state in (FACE_OPEN, FACE_TAGGED) for f in item.faces):
            return _(
                "Er zijn nog gezichten open of getagd. Vervaag ze of kies ‘Dit is geen gezicht’"
                " voordat je verklaart dat er niemand herkenbaar op staat."
            )
        return ""

    def declare_nobody_recognisable(self, item: MediaItem, declared: bool = True) -> None:
        self._check_item(item)
        if declared and self.why_not_declare_nobody(item):
            raise ValueError("faces are still open or tagged")
        if item.no_recognisable_people != declared:
            item.no_recognisable_people = declared
            self.model._changed()

    def confirm_everyone(self, item: MediaItem, confirmed: bool = True) -> None:
        """The author has looked: no recognisable face was missed (detectors miss faces)."""
        self._check_item(item)
        if item.everyone_accounted_for != confirmed:
            item.everyone_accounted_for = confirmed
            self.model._changed()

    # What the screen shows

    def status(self, item: MediaItem) -> str:
        """BLOCKED while the media-consent rule objects to this item; otherwise BLURRED when
        something in it will be blurred, else ACCOUNTED."""
        if self._rule_findings(item):
            return BLOCKED
        if any(f.state == FACE_BLURRED for f in item.faces):
            return BLURRED
        return ACCOUNTED

    def todo(self, item: MediaItem) -> list[str]:
        """What is left to do on this item, in Dutch; empty when it is accounted for."""
        if item.no_recognisable_people:
            return []
        steps = []
        video = item.kind == "video"
        open_faces = sum(f.state == FACE_OPEN for f in item.faces)
        if open_faces and video:
            steps.append(
                ngettext(
                    "Kies wie de toegevoegde persoon is, of haal die weg.",
                    "Kies wie elk van de {n} toegevoegde personen is, of haal die weg.",
                    open_faces,
                ).format(n=open_faces)
            )
        elif open_faces:
            steps.append(
                ngettext(
                    "Kies voor het open gezicht wie het is, vervaag het, of kies ‘Dit is geen"
                    " gezicht’.",
                    "Kies voor elk van de {n} open gezichten wie het is, vervaag het, of kies ‘Dit"
                    " is geen gezicht’.",
                    open_faces,
                ).format(n=open_faces)
            )
        without = sum(
            not self.has_consent(f.person_id) for f in item.faces if f.state == FACE_TAGGED
        )
        if without and video:
            # A video cannot be blurred: the person stays in it, so the video must go.
            steps.append(
                ngettext(
                    "Haal deze video weg: er staat iemand in zonder toestemming, en een video kan"
                    " Postwijs niet vervagen.",
                    "Haal deze video weg: er staan {n} mensen in zonder toestemming, en een video"
                    " kan Postwijs niet vervagen.",
                    without,
                ).format(n=without)
            )
        elif without:
            steps.append(
                ngettext(
                    "Vervaag de getagde persoon zonder toestemming.",
                    "Vervaag de {n} getagde personen zonder toestemming.",
                    without,
                ).format(n=without)
            )
        if not item.everyone_accounted_for:
            steps.append(
                _(
                    "Vink aan dat je hebt gecontroleerd dat iedereen die herkenbaar is, getagd of"
                    " vervaagd is."
                )
            )
        return steps

    def purposes(self) -> list[str]:
        """The consent purposes of the chosen accounts, as the media-consent rule uses them."""
        from app.networks.profiles import profile

        return sorted({profile(v.network).consent_purpose for v in self.model.variants()}) or [
            DEFAULT_PURPOSE
        ]

    def person(self, person_id: str) -> RegisterPerson | None:
        return self._people_by_id().get(person_id)

    def has_consent(self, person_id: str) -> bool:
        found = self.person(person_id)
        return found is not None and all(p in found.consented_purposes for p in self.purposes())

    def consent_problem(self, face: FaceMark) -> str:
        """For a tagged face: empty when the person may be shown for every chosen account;
        otherwise why not and whom to ask, in Dutch."""
        if face.state != FACE_TAGGED or self.has_consent(face.person_id):
            return ""
        found = self.person(face.person_id)
        missing = [p for p in self.purposes() if found is None or p not in found.consented_purposes]
        purpose = missing[0]
        if self.store is not None:
            from app.consent.explain import why_no_consent

            return why_no_consent(
                self.store, self.model.site, face.person_id, purpose, self.model.clock()
            )
        from app.consent.explain import whom_to_ask

        return _(
            "Er is geen geldige toestemming voor {purpose} dit schooljaar. Vraag {ask} naar de"
            " toestemming."
        ).format(purpose=purpose, ask=whom_to_ask(self.model.site, self.model.draft.school_id))

    def own_groups(self) -> tuple[str, ...]:
        """The author's own groups: the group the register gives a staff member with the
        author's name, then the groups of the people already tagged in this draft."""
        author = _folded(self.model.author.name)
        groups = [
            p.group
            for p in self._school_people()
            if p.role == STAFF and p.group and _folded(p.full_name) == author
        ]
        people = self._people_by_id()
        for item in self.items:
            for face in item.faces:
                found = people.get(face.person_id) if face.state == FACE_TAGGED else None
                if found is not None and found.group and found.role != STAFF:
                    groups.append(found.group)
        return tuple(dict.fromkeys(groups))

    def people_choices(self, query: str = "") -> PeopleChoice:
        """The school's people matching `query` (every word somewhere in the name or the
        group; "groep" itself is ignored), the author's own groups first."""
        words = [w for w in _folded(query).split() if w != "groep"]
        groups = self.own_groups()
        own: list[RegisterPerson] = []
        others: list[RegisterPerson] = []
        for person in self._school_people():
            haystack = _folded(f"{person.full_name} {person.group}")
            if all(w in haystack for w in words):
                (own if person.group in groups else others).append(person)
        own.sort(key=lambda p: (groups.index(p.group), *_sort_key(p)))
        others.sort(key=_sort_key)
        return PeopleChoice(groups, tuple(own), tuple(others))

    def alt_text_room(self, item: MediaItem) -> AltTextRoom:
        """Room left for the description on the strictest chosen network. Counted in UTF-16
        units, never less than what a network counts."""
        networks = {v.network for v in self.model.variants()}
        if not networks:
            return AltTextRoom("")
        from app.networks.profiles import label, profile
        from app.networks.textcount import utf16_units

        network = min(sorted(networks), key=lambda n: profile(n).alt_text_limit)
        left = profile(network).alt_text_limit - utf16_units(item.alt_text)
        if left >= 0:
            return AltTextRoom(ngettext("nog {n} teken", "nog {n} tekens", left).format(n=left))
        return AltTextRoom(
            ngettext(
                "{n} teken te veel voor {network}: maak de beschrijving korter.",
                "{n} tekens te veel voor {network}: maak de beschrijving korter.",
                -left,
            ).format(n=-left, network=label(network)),
            over=True,
        )

    # Inside

    def _school_people(self) -> list[RegisterPerson]:
        school = self.model.draft.school_id
        return [p for p in self.model.context().people if p.school_id == school]

    def _people_by_id(self) -> dict[str, RegisterPerson]:
        return {p.id: p for p in self.model.context().people}

    def _rule_findings(self, item: MediaItem) -> list:
        from app.rules.media_consent import RULE

        alone = Draft(school_id=self.model.draft.school_id, media=[item])
        return list(RULE.check(alone, self.model.variants(), self.model.context()))

    def _check_item(self, item: MediaItem) -> None:
        if not any(m is item for m in self.items):
            raise ValueError("not an item of this draft")

    def _check_can_blur(self, item: MediaItem) -> None:
        self._check_item(item)
        if item.kind != "image":
            raise ValueError("a video cannot be blurred")

    def _face(self, item: MediaItem, index: int) -> FaceMark:
        self._check_item(item)
        if not 0 <= index < len(item.faces):
            raise IndexError(index)
        return item.faces[index]

    def _set_state(self, item: MediaItem, index: int, state: str) -> None:
        face = self._face(item, index)
        face.state, face.person_id = state, ""
        if state == FACE_OPEN:
            item.no_recognisable_people = False
        self.model._changed()
