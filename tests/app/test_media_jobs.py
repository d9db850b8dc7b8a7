from pathlib import Path

from PIL import Image

from app.compose.model import ComposerModel
from app.compose.post import FACE_BLURRED, FACE_TAGGED, FaceMark, MediaItem
from app.media.jobs import consent_evidence, prepare_for_targets
from app.rules.model import RegisterPerson


def test_each_network_gets_a_prepared_copy_with_faces_blurred_and_the_alt_text(tmp_path, demo_site):
    original = tmp_path / "klas.jpg"
    image = Image.new("RGB", (1200, 800), "white")
    image.paste((200, 30, 30), (100, 100, 300, 300))  # where the blurred "face" is
    image.save(original)
    model = ComposerModel(demo_site)
    model.set_text("Onze klas")
    model.draft.media = [
        MediaItem(
            str(original), faces=[FaceMark((100, 100, 200, 200), FACE_BLURRED)], alt_text="De klas"
        )
    ]
    copies = prepare_for_targets(model.draft, model.variants(), tmp_path / "uit")
    (copy,) = copies["regenboog-oefen"]
    assert copy.alt_text == "De klas" and copy.mime_type == "image/jpeg"
    assert original.read_bytes() != Path(copy.path).read_bytes()
    with Image.open(copy.path) as prepared:
        # The red block was blurred into its surroundings: no pure red pixel is left.
        assert (200, 30, 30) not in set(prepared.convert("RGB").get_flattened_data())


def test_the_consent_evidence_records_each_tagged_person_at_this_moment(demo_site):
    model = ComposerModel(demo_site)
    model.set_text("Feest")
    model.draft.media = [
        MediaItem(
            "x.jpg",
            faces=[
                FaceMark((0, 0, 5, 5), FACE_TAGGED, "p1"),
                FaceMark((9, 9, 5, 5), FACE_BLURRED, "p2"),
            ],
        )
    ]
    noor = RegisterPerson(
        "p1",
        "Noor",
        "Bakker",
        "pupil",
        "regenboog",
        consented_purposes=frozenset({"sociale media"}),
    )
    evidence = consent_evidence(model.draft, model.variants(), [noor])
    assert evidence == {
        "people": ["p1"],
        "consent": [{"person": "p1", "name": "Noor Bakker", "valid": {"sociale media": True}}],
    }
