from app.accounts.friend_audit import pupils_followed
from app.networks.connector import Follow
from app.networks.handles import normalise_handle
from app.rules.model import RegisterPerson

NOOR = RegisterPerson(
    "p1",
    "Noor",
    "Bakker",
    "pupil",
    "s",
    handles={"mastodon": "@Noor@mastodon.nl", "bluesky": "noor.bsky.social"},
)
JUF = RegisterPerson("s1", "Anouk", "Smit", "staff", "s", handles={"mastodon": "anouk@mastodon.nl"})


def youtube_pupil(person_id: str, first: str, last: str, channel: str) -> RegisterPerson:
    """A pupil whose YouTube channel the school wrote down as `channel` (handle, id or address)."""
    return RegisterPerson(person_id, first, last, "pupil", "s", handles={"youtube": channel})


def test_a_followed_pupil_is_found_whatever_the_spelling():
    follows = ["@noor@mastodon.nl", "anouk@mastodon.nl", "someone@else.social"]
    (match,) = pupils_followed(follows, [NOOR, JUF], "mastodon")
    assert (match.followed, match.person_name) == ("@noor@mastodon.nl", "Noor Bakker")
    assert (
        pupils_followed(["https://bsky.app/profile/noor.bsky.social"], [NOOR], "bluesky")[
            0
        ].person_id
        == "p1"
    )


def test_staff_and_other_networks_do_not_match():
    assert pupils_followed(["anouk@mastodon.nl"], [JUF], "mastodon") == []
    assert pupils_followed(["noor.bsky.social"], [NOOR], "mastodon") == []


def test_handles_are_normalised():
    assert normalise_handle("https://mastodon.nl/@Noor") == "noor@mastodon.nl"
    assert normalise_handle("@Noor.bsky.social") == "noor.bsky.social"


def test_a_youtube_channel_is_known_by_its_handle_or_its_id_also_from_its_address():
    sem = youtube_pupil("p2", "Sem", "de Boer", "https://www.youtube.com/@Sem_Vlogt")
    lotte = youtube_pupil(
        "p3", "Lotte", "Visser", "https://youtube.com/channel/UCx9Lotte0000000000000a/videos"
    )
    follows = ["@sem_vlogt", "UCx9Lotte0000000000000a", "@iemand_anders"]
    matches = pupils_followed(follows, [sem, lotte], "youtube")
    assert [(m.followed, m.person_name) for m in matches] == [
        ("@sem_vlogt", "Sem de Boer"),
        ("UCx9Lotte0000000000000a", "Lotte Visser"),
    ]


def test_a_pupil_known_by_channel_id_is_found_when_the_followed_channel_also_has_a_handle():
    # YouTube lists a followed channel by its handle where it has one; the school may have
    # written down the channel's id or address instead (both are how a channel is known).
    lotte = youtube_pupil(
        "p3", "Lotte", "Visser", "https://www.youtube.com/channel/UCx9Lotte0000000000000a"
    )
    daan = youtube_pupil("p4", "Daan", "Mulder", "UCx9Daan")
    follows = [
        Follow("@lotte_vlogt", aliases=("UCx9Lotte0000000000000a",)),
        Follow("@daan_gamet", aliases=("UCx9Daan",)),
        Follow("@iemand_anders", aliases=("UCx9Iemand",)),
    ]
    matches = pupils_followed(follows, [lotte, daan], "youtube")
    # The audit shows the channel as the network lists it (its handle), which unfollow takes.
    assert [(m.followed, m.person_name) for m in matches] == [
        ("@lotte_vlogt", "Lotte Visser"),
        ("@daan_gamet", "Daan Mulder"),
    ]
