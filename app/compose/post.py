"""The post as the author writes it, and what it becomes per account: plain data."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Draft:
    """What the composer edits: one text for every chosen account, optionally customised per account."""

    text: str = ""
    school_id: str = ""
    id: str = field(default_factory=lambda: os.urandom(16).hex())  # random, like a uuid4
    author_id: str = ""
    account_ids: list[str] = field(default_factory=list)
    custom_texts: dict[str, str] = field(default_factory=dict)  # account id -> own text
    media: list[MediaItem] = field(default_factory=list)
    title: str = ""  # the video's title where a network has one (YouTube); kept with the draft
    # The author's declaration that the video shows realistic AI-made or altered content, for
    # the networks that ask (YouTube's containsSyntheticMedia).
    synthetic_media: bool = False

    def text_for(self, account_id: str) -> str:
        return self.custom_texts.get(account_id, self.text)


@dataclass(frozen=True)
class Variant:
    """The exact text one account will publish: the author's text with the fitted disclaimer."""

    account_id: str
    account_name: str
    network: str
    post_text: str
    disclaimer: str
    disclaimer_length: str | None  # "long", "short", or None when even the short one does not fit
    final_text: str
    length: int
    limit: int
    violations: tuple[str, ...] = ()  # what else the network refuses (hashtags, bytes), in Dutch

    @property
    def fits(self) -> bool:
        return (
            self.disclaimer_length is not None and self.length <= self.limit and not self.violations
        )

    @property
    def remaining(self) -> int:
        return self.limit - self.length


# Faces in a photo and how each is accounted for (Communiceren 10, Profileren 4).
FACE_OPEN, FACE_TAGGED, FACE_BLURRED, FACE_NOT_A_FACE = "open", "tagged", "blurred", "not_a_face"


@dataclass
class FaceMark:
    """A face found by the detector or marked by hand; `box` is (x, y, width, height) in pixels."""

    box: tuple[int, int, int, int]
    state: str = FACE_OPEN
    person_id: str = ""  # set when tagged
    by_hand: bool = False


@dataclass
class MediaItem:
    """A photo or video attached to the draft. The original file is never changed."""

    path: str
    kind: str = "image"  # "image" or "video"
    faces: list[FaceMark] = field(default_factory=list)
    no_recognisable_people: bool = False  # the author declares nobody can be recognised
    everyone_accounted_for: bool = False  # the author confirms no face was missed
    alt_text: str = ""
