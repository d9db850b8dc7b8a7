"""The judge of the Meta contract servers refuses what Meta's node descriptions do not allow."""

from tests.servers import meta_oracle as oracle


def test_a_feed_post_with_known_parameters_passes():
    assert oracle.check("Page", "feed", "POST", {"message": "Hallo", "published": "true"}) == []


def test_unknown_parameter_and_wrong_types_are_named():
    problems = oracle.check(
        "Page", "feed", "POST", {"mesage": "Hallo", "published": "ja", "attached_media": "{}"}
    )
    assert any("'mesage'" in p for p in problems)
    assert any("published" in p and "true or false" in p for p in problems)
    assert any("attached_media" in p and "list" in p for p in problems)


def test_required_parameter_missing():
    assert any("creation_id" in p for p in oracle.check("IGUser", "media_publish", "POST", {}))
    assert oracle.check("IGUser", "media_publish", "POST", {"creation_id": "17890"}) == []


def test_fields_must_belong_to_the_returned_node():
    assert oracle.check("PagePost", None, "GET", {"fields": "id,permalink_url"}) == []
    problems = oracle.check("PagePost", None, "GET", {"fields": "id,permalink"})
    assert problems == ["GET PagePost: field 'permalink' is not a field of PagePost"]
    assert oracle.field_names("id,attachments{media{image}},message.limit(1)") == [
        "id",
        "attachments",
        "message",
    ]


def test_a_file_only_where_a_photo_or_video_goes():
    files = frozenset({"source"})
    assert oracle.check("Page", "photos", "POST", {"published": "false"}, files) == []
    assert oracle.check("Page", "feed", "POST", {"message": "x"}, files) != []


def test_an_edge_that_does_not_exist():
    assert oracle.check("IGMedia", "media_publish", "POST", {}) == [
        "POST IGMedia/media_publish: not an edge of IGMedia in Meta's description"
    ]


def test_answers_hold_only_the_nodes_fields():
    assert oracle.check_answer("IGMedia", {"data": [{"id": "1", "permalink": "p"}]}) == []
    assert oracle.check_answer("IGMedia", {"id": "1", "permalink_url": "p"}) != []
