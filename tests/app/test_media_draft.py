"""Photos and videos in the composer's draft: reading a file and finding its faces, accounting for
each face, the badge per item, the person picker's order, the description's room. Real images
(made with Pillow, or the synthetic group photos with known faces), a real SQLite register, the
demo site (school "regenboog", consent contact "Administratie De Regenboog")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.compose.model import ComposerModel
from app.compose.post import (
    FACE_BLURRED,
    FACE_NOT_A_FACE,
    FACE_OPEN,
    FACE_TAGGED,
    FaceMark,
    MediaItem,
)
from app.consent import register as consent
from app.consent.register import GIVEN, IMPORT, REFUSED, PersonRecord, Source
from app.media.draft import ACCOUNTED, BLOCKED, BLURRED, MediaEditor, inspect, read_preview
from app.media.types import MediaError
from app.rules.model import RegisterPerson
from app.school_year import current_school_year
from app.store import Store
from tests.synthetic_photos import group_photo, matched

NOW = datetime(2026, 10, 5, 16, 30, tzinfo=UTC)  # a Monday after school: no lesson-hours warning
YEAR = current_school_year(NOW)
EXPORT = Source(IMPORT, "leerlingen.csv", "demo")


def pupil(pid: str, first: str, last: str, group: str = "5b", consent_for=("sociale media",)):
    return RegisterPerson(
        pid,
        first,
        last,
        "pupil",
        "regenboog",
        group=group,
        consented_purposes=frozenset(consent_for),
    )


NOOR = pupil("p-noor", "Noor", "Bakker", consent_for=())
DAAN = pupil("p-daan", "Daan", "Visser")
ZOE = pupil("p-zoe", "Zoë", "Jansen", group="6")
SANNE = RegisterPerson("s-sanne", "Sanne", "Vries", "staff", "regenboog", "de", group="5b")
MILA_ELSEWHERE = RegisterPerson(
    "p-mila", "Mila", "Smit", "pupil", "kleine-wereld", group="Vlinders"
)
PEOPLE = [NOOR, DAAN, ZOE, SANNE, MILA_ELSEWHERE]


def new_model(demo_site, people=PEOPLE) -> ComposerModel:
    model = ComposerModel(demo_site, people=people, clock=lambda: NOW)
    model.set_text("Wat een feest vandaag op het schoolplein!")
    return model


def with_photo(demo_site, faces, people=PEOPLE, **flags):
    model = new_model(demo_site, people)
    editor = MediaEditor(model)
    item = MediaItem("plein.jpg", faces=[FaceMark(box, state, pid) for box, state, pid in faces])
    for name, value in flags.items():
        setattr(item, name, value)
    editor.add(item)
    return model, editor, item


def consent_findings(model):
    return [f for f in model.report().findings if f.rule == "media_consent"]


@pytest.fixture(scope="module")
def group_jpeg(tmp_path_factory):
    """A 3000×2000 photo (larger than the preview) with four faces of known place."""
    photo = group_photo((3000, 2000), (160, 200, 260, 320), seed=2)
    path = tmp_path_factory.mktemp("foto") / "schoolplein.jpg"
    photo.image.save(path, quality=92)
    return path, photo.faces


# Reading a file


def test_a_group_photo_gives_a_box_per_face_in_full_size_pixels(group_jpeg):
    path, truth = group_jpeg
    found = inspect(path)
    boxes = [f.box for f in found.item.faces]
    assert all(matched(truth, boxes, min_iou=0.4))
    assert len(boxes) == len(truth)
    assert found.item.kind == "image" and found.item.path == str(path)
    assert all(f.state == FACE_OPEN and not f.by_hand for f in found.item.faces)
    assert found.original_size == (3000, 2000)
    assert max(found.preview.size) == 1600 and not found.detection_failed


def test_a_photo_taken_sideways_gives_boxes_on_the_upright_photo(tmp_path):
    photo = group_photo((1200, 800), (200,), seed=4)
    stored = photo.image.transpose(Image.Transpose.ROTATE_90)  # as the camera wrote it
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view"
    path = tmp_path / "gedraaid.jpg"
    stored.save(path, exif=exif)
    found = inspect(path)
    assert found.original_size == (1200, 800)
    assert all(matched(photo.faces, [f.box for f in found.item.faces]))


def test_a_landscape_without_people_gives_no_faces_and_the_item_still_needs_a_decision(
    tmp_path, demo_site
):
    path = tmp_path / "bos.png"
    Image.new("RGB", (800, 600), (40, 120, 60)).save(path)
    found = inspect(path)
    assert found.item.faces == []
    model = new_model(demo_site)
    editor = MediaEditor(model)
    editor.add(found.item)
    # Detectors miss faces: no faces found is not the same as nobody on the photo.
    assert editor.status(found.item) == BLOCKED
    editor.declare_nobody_recognisable(found.item)
    assert editor.status(found.item) == ACCOUNTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "kapot.jpg",
            b"Dit is geen foto maar een tekstbestand.",
            "Kies een foto (JPEG, PNG, WebP, GIF of HEIC) of een mp4-video: kapot.jpg is geen"
            " van beide, of is beschadigd.",
        ),
        ("leeg.jpg", b"", "Kies een ander bestand: leeg.jpg is leeg."),
        ("leeg.mp4", b"", "Kies een ander bestand: leeg.mp4 is leeg."),
    ],
)
def test_a_file_that_is_no_photo_gives_a_dutch_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError) as raised:
        inspect(path)
    assert str(raised.value) == message


def test_a_missing_file_gives_a_dutch_message(tmp_path):
    with pytest.raises(MediaError, match=r"^Kies het bestand opnieuw: weg\.jpg bestaat niet"):
        inspect(tmp_path / "weg.jpg")


def test_a_video_is_recognised_by_its_content_and_not_searched_for_faces(tmp_path):
    path = tmp_path / "optreden.bin"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64)
    found = inspect(path)
    assert found.item.kind == "video" and found.item.faces == []
    assert found.preview is None


def test_the_preview_of_a_photo_in_a_restored_draft(group_jpeg):
    path, _truth = group_jpeg
    image, size = read_preview(path)
    assert size == (3000, 2000) and image.size == (1600, 1067)


# Accounting for faces: the badge agrees with the rule


BOX_A, BOX_B = (10, 10, 80, 80), (200, 10, 80, 80)

STATUS_CASES = [
    # faces (box, state, person), flags, expected status
    ([(BOX_A, FACE_OPEN, "")], {}, BLOCKED),
    ([(BOX_A, FACE_OPEN, "")], {"everyone_accounted_for": True}, BLOCKED),
    ([(BOX_A, FACE_TAGGED, "p-daan")], {}, BLOCKED),  # not confirmed
    ([(BOX_A, FACE_TAGGED, "p-daan")], {"everyone_accounted_for": True}, ACCOUNTED),
    ([(BOX_A, FACE_TAGGED, "p-noor")], {"everyone_accounted_for": True}, BLOCKED),
    ([(BOX_A, FACE_TAGGED, "p-onbekend")], {"everyone_accounted_for": True}, BLOCKED),
    ([(BOX_A, FACE_BLURRED, "")], {"everyone_accounted_for": True}, BLURRED),
    (
        [(BOX_A, FACE_BLURRED, ""), (BOX_B, FACE_TAGGED, "p-daan")],
        {"everyone_accounted_for": True},
        BLURRED,
    ),
    ([(BOX_A, FACE_NOT_A_FACE, "")], {"everyone_accounted_for": True}, ACCOUNTED),
    ([], {}, BLOCKED),
    ([], {"everyone_accounted_for": True}, ACCOUNTED),
    ([], {"no_recognisable_people": True}, ACCOUNTED),
    ([(BOX_A, FACE_NOT_A_FACE, "")], {"no_recognisable_people": True}, ACCOUNTED),
]


@pytest.mark.parametrize(("faces", "flags", "expected"), STATUS_CASES)
def test_the_badge_of_an_item(demo_site, faces, flags, expected):
    model, editor, item = with_photo(demo_site, faces, **flags)
    assert editor.status(item) == expected
    assert bool(editor.todo(item)) == (expected == BLOCKED)
    assert bool(consent_findings(model)) == (expected == BLOCKED)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    states=st.lists(
        st.tuples(
            st.sampled_from([FACE_OPEN, FACE_TAGGED, FACE_BLURRED, FACE_NOT_A_FACE]),
            st.sampled_from(["p-noor", "p-daan", "p-zoe", "p-weg"]),
        ),
        max_size=5,
    ),
    confirmed=st.booleans(),
)
def test_the_badge_and_the_to_do_list_always_agree_with_the_rule(demo_site, states, confirmed):
    faces = [
        ((i * 100, 0, 90, 90), state, pid if state == FACE_TAGGED else "")
        for i, (state, pid) in enumerate(states)
    ]
    model, editor, item = with_photo(demo_site, faces, everyone_accounted_for=confirmed)
    blocked = bool(consent_findings(model))
    assert (editor.status(item) == BLOCKED) == blocked
    assert bool(editor.todo(item)) == blocked


def test_the_to_do_list_says_what_is_left_in_words(demo_site):
    _model, editor, item = with_photo(
        demo_site,
        [(BOX_A, FACE_OPEN, ""), (BOX_B, FACE_OPEN, ""), ((400, 0, 50, 50), FACE_TAGGED, "p-noor")],
    )
    assert editor.todo(item) == [
        "Kies voor elk van de 2 open gezichten wie het is, vervaag het, of kies ‘Dit is geen"
        " gezicht’.",
        "Vervaag de getagde persoon zonder toestemming.",
        "Vink aan dat je hebt gecontroleerd dat iedereen die herkenbaar is, getagd of vervaagd is.",
    ]


# Each action changes the draft and tells the model


def test_every_action_changes_the_draft_and_the_checks_follow(demo_site):
    model, editor, item = with_photo(
        demo_site,
        [(BOX_A, FACE_OPEN, ""), (BOX_B, FACE_OPEN, ""), ((400, 0, 60, 60), FACE_OPEN, "")],
    )
    heard = []
    model.changed.connect(lambda: heard.append(1))

    editor.tag(item, 0, NOOR.id)
    assert item.faces[0].state == FACE_TAGGED and item.faces[0].person_id == NOOR.id
    assert any("Noor Bakker" in f.message for f in consent_findings(model))

    editor.blur(item, 0)
    assert item.faces[0].state == FACE_BLURRED and item.faces[0].person_id == ""
    assert not any("Noor Bakker" in f.message for f in consent_findings(model))

    editor.tag(item, 1, DAAN.id)
    editor.not_a_face(item, 2)
    assert editor.status(item) == BLOCKED  # not yet confirmed
    editor.confirm_everyone(item)
    assert editor.status(item) == BLURRED
    assert consent_findings(model) == []
    assert model.why_not_publishable() == ""
    assert len(heard) == 5

    editor.reopen(item, 2)
    assert editor.status(item) == BLOCKED
    assert model.why_not_publishable().startswith("Plaatsen kan nog niet")


def test_blur_all_blurs_tagged_and_open_faces_but_not_what_is_no_face(demo_site):
    _model, editor, item = with_photo(
        demo_site,
        [
            (BOX_A, FACE_TAGGED, "p-daan"),
            (BOX_B, FACE_OPEN, ""),
            ((400, 0, 60, 60), FACE_NOT_A_FACE, ""),
        ],
    )
    editor.blur_all(item)
    assert [(f.state, f.person_id) for f in item.faces] == [
        (FACE_BLURRED, ""),
        (FACE_BLURRED, ""),
        (FACE_NOT_A_FACE, ""),
    ]


def test_a_box_drawn_by_hand_can_be_a_tag_or_a_blur_and_can_be_removed_again(demo_site):
    _model, editor, item = with_photo(demo_site, [(BOX_A, FACE_OPEN, "")])
    blurred = editor.add_box(item, (500, 300, 70, 90), FACE_BLURRED)
    tagged = editor.add_box(item, (700, 300, 70, 90), FACE_TAGGED, DAAN.id)
    assert (blurred, tagged) == (1, 2)
    assert item.faces[1] == FaceMark((500, 300, 70, 90), FACE_BLURRED, "", True)
    assert item.faces[2] == FaceMark((700, 300, 70, 90), FACE_TAGGED, DAAN.id, True)
    editor.remove_box(item, 1)
    assert [f.box for f in item.faces] == [BOX_A, (700, 300, 70, 90)]
    with pytest.raises(ValueError):
        editor.remove_box(item, 0)  # what the detector found is dismissed, never deleted


@pytest.mark.parametrize(
    ("box", "state", "person"),
    [
        ((10, 10, 0, 40), FACE_OPEN, ""),
        ((-5, 10, 40, 40), FACE_BLURRED, ""),
        ((10, 10, 40, 40), FACE_TAGGED, ""),
        ((10, 10, 40, 40), FACE_NOT_A_FACE, ""),
    ],
)
def test_a_box_that_cannot_be_right_is_refused(demo_site, box, state, person):
    _model, editor, item = with_photo(demo_site, [])
    with pytest.raises(ValueError):
        editor.add_box(item, box, state, person)
    assert item.faces == []


def test_nobody_recognisable_cannot_be_declared_over_an_open_or_tagged_face(demo_site):
    _model, editor, item = with_photo(demo_site, [(BOX_A, FACE_TAGGED, "p-noor")])
    assert editor.why_not_declare_nobody(item).startswith("Er zijn nog gezichten open of getagd.")
    with pytest.raises(ValueError):
        editor.declare_nobody_recognisable(item)
    assert not item.no_recognisable_people
    editor.not_a_face(item, 0)
    assert editor.why_not_declare_nobody(item) == ""
    editor.declare_nobody_recognisable(item)
    assert editor.status(item) == ACCOUNTED
    # Tagging a face again, or marking a new one, takes the declaration back.
    editor.tag(item, 0, NOOR.id)
    assert not item.no_recognisable_people and editor.status(item) == BLOCKED
    editor.blur(item, 0)
    editor.declare_nobody_recognisable(item)
    editor.add_box(item, (300, 300, 50, 50))
    assert not item.no_recognisable_people


def test_a_video_cannot_be_blurred_but_the_people_in_it_can_be_named(demo_site):
    model = new_model(demo_site)
    editor = MediaEditor(model)
    video = MediaItem("optreden.mp4", kind="video")
    editor.add(video)
    with pytest.raises(ValueError):
        editor.blur_all(video)
    index = editor.add_box(video, (0, 0, 0, 0))
    with pytest.raises(ValueError):
        editor.blur(video, index)
    editor.tag(video, index, DAAN.id)
    editor.confirm_everyone(video)
    assert editor.status(video) == ACCOUNTED
    assert consent_findings(model) == []


def test_a_video_with_a_person_without_consent_must_go(demo_site):
    model = new_model(demo_site)
    editor = MediaEditor(model)
    video = MediaItem("optreden.mp4", kind="video")
    editor.add(video)
    editor.add_box(video, (0, 0, 0, 0))
    assert editor.todo(video)[0] == "Kies wie de toegevoegde persoon is, of haal die weg."
    editor.tag(video, 0, NOOR.id)
    editor.confirm_everyone(video)
    assert editor.todo(video) == [
        "Haal deze video weg: er staat iemand in zonder toestemming, en een video kan Postwijs"
        " niet vervagen."
    ]
    assert editor.status(video) == BLOCKED


def test_removing_an_item_and_editing_another_drafts_item_is_refused(demo_site):
    model, editor, item = with_photo(demo_site, [(BOX_A, FACE_OPEN, "")])
    stranger = MediaItem("elders.jpg")
    with pytest.raises(ValueError):
        editor.blur(stranger, 0)
    with pytest.raises(IndexError):
        editor.blur(item, 3)
    editor.remove(item)
    assert model.draft.media == [] and consent_findings(model) == []


def test_alt_text_is_kept_on_the_item(demo_site):
    model, editor, item = with_photo(demo_site, [])
    editor.set_alt_text(item, "Kinderen van groep 5b spelen tikkertje.")
    assert model.draft.media[0].alt_text == "Kinderen van groep 5b spelen tikkertje."


# Whom a tagged face shows, and why not


@pytest.fixture
def register(data_dir, demo_site):
    store = Store.open(data_dir)
    consent.merge_people(
        store,
        "regenboog",
        [
            PersonRecord(
                "1",
                "pupil",
                "Noor",
                "",
                "Bakker",
                "5b",
                consents={("sociale media", YEAR): REFUSED},
            ),
            PersonRecord(
                "2", "pupil", "Daan", "", "Visser", "5b", consents={("sociale media", YEAR): GIVEN}
            ),
        ],
        EXPORT,
    )
    yield store, consent.people_for_rules(store, demo_site, at=NOW)
    store.close()


def test_a_tagged_person_without_consent_is_explained_with_whom_to_ask(demo_site, register):
    store, people = register
    noor = next(p for p in people if p.first_name == "Noor")
    daan = next(p for p in people if p.first_name == "Daan")
    model = new_model(demo_site, people)
    editor = MediaEditor(model, store)
    item = MediaItem("plein.jpg", faces=[FaceMark(BOX_A), FaceMark(BOX_B)])
    editor.add(item)
    editor.tag(item, 0, noor.id)
    editor.tag(item, 1, daan.id)
    assert editor.consent_problem(item.faces[0]) == (
        f"Voor Noor Bakker is geen toestemming gegeven voor sociale media in {YEAR}. Gebruik geen"
        " beeld van Noor Bakker; vraag Administratie De Regenboog (administratie@regenboog.example)"
        " als dit niet klopt."
    )
    assert editor.consent_problem(item.faces[1]) == ""
    assert editor.has_consent(daan.id) and not editor.has_consent(noor.id)


def test_without_the_register_the_reason_is_shorter_but_names_whom_to_ask(demo_site):
    _model, editor, item = with_photo(demo_site, [(BOX_A, FACE_TAGGED, "p-noor")])
    assert editor.consent_problem(item.faces[0]) == (
        "Er is geen geldige toestemming voor sociale media dit schooljaar. Vraag Administratie De"
        " Regenboog (administratie@regenboog.example) naar de toestemming."
    )


# The person picker


def names(people) -> list[str]:
    return [p.full_name for p in people]


def test_the_authors_own_group_comes_first(demo_site):
    # The demo author is Sanne de Vries; the register gives her group 5b.
    model = new_model(demo_site)
    choice = MediaEditor(model).people_choices()
    assert choice.own_groups == ("5b",)
    assert names(choice.own) == ["Daan Visser", "Noor Bakker", "Sanne de Vries"]
    assert names(choice.others) == ["Zoë Jansen"]  # not Mila: she is at another school


def test_the_groups_of_people_already_tagged_come_first_too(demo_site):
    people = [NOOR, DAAN, ZOE]  # no staff entry for the author
    _model, editor, _item = with_photo(demo_site, [(BOX_A, FACE_TAGGED, "p-zoe")], people=people)
    choice = editor.people_choices()
    assert choice.own_groups == ("6",)
    assert names(choice.own) == ["Zoë Jansen"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Zoë Jansen"]),
        ("ZOË", ["Zoë Jansen"]),
        ("bakker", ["Noor Bakker"]),
        ("noor bak", ["Noor Bakker"]),
        ("groep 6", ["Zoë Jansen"]),
        ("5b", ["Daan Visser", "Noor Bakker", "Sanne de Vries"]),
        ("de vries", ["Sanne de Vries"]),
        ("mila", []),
        ("niemand", []),
    ],
)
def test_search_by_name_or_group(demo_site, query, expected):
    choice = MediaEditor(new_model(demo_site)).people_choices(query)
    assert names(choice.own) + names(choice.others) == expected


# The description's room, in words


@pytest.mark.parametrize(
    ("length", "words", "over"),
    [
        (0, "nog 1500 tekens", False),
        (1499, "nog 1 teken", False),
        (1500, "nog 0 tekens", False),
        (1501, "1 teken te veel voor Oefenaccount: maak de beschrijving korter.", True),
        (1510, "10 tekens te veel voor Oefenaccount: maak de beschrijving korter.", True),
    ],
)
def test_the_room_left_for_the_description(demo_site, length, words, over):
    _model, editor, item = with_photo(demo_site, [])
    editor.set_alt_text(item, "a" * length)
    room = editor.alt_text_room(item)
    assert (room.words, room.over) == (words, over)


def test_an_emoji_counts_as_two_since_some_networks_count_so(demo_site):
    _model, editor, item = with_photo(demo_site, [])
    editor.set_alt_text(item, "🎉" * 750)
    assert editor.alt_text_room(item).words == "nog 0 tekens"


def test_without_an_account_there_is_no_limit_to_show(demo_site):
    model, editor, item = with_photo(demo_site, [])
    model.set_account("regenboog-oefen", False)
    assert editor.alt_text_room(item).words == ""
