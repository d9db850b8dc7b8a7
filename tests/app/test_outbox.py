from app.compose.model import ComposerModel
from app.history import chain as history
from app.networks.connector import Rejected
from app.publishing import outbox
from app.store import Store
from connectors.practice import PracticeConnector, read_timeline


def prepared(demo_site, text="Sportdag was geweldig!"):
    model = ComposerModel(demo_site)
    model.set_text(text)
    return model.draft, model.variants()


def test_the_job_is_stored_before_anything_is_sent(data_dir, demo_site):
    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    (target,) = outbox.targets(store, job)
    assert target.state == outbox.PENDING and target.final_text == variants[0].final_text
    assert read_timeline(data_dir) == []


def test_sending_posts_once_records_the_remote_id_and_writes_history(data_dir, demo_site):
    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    (target,) = outbox.send(store, job, lambda aid: PracticeConnector(data_dir, aid), {})
    assert target.state == outbox.POSTED and target.remote_id
    (event,) = history.events(store, "published")
    assert event.data["practice"] is True
    assert event.data["remote_id"] == target.remote_id
    assert event.details["final_text"] == variants[0].final_text
    # Sending the same job again sends nothing more.
    outbox.send(store, job, lambda aid: PracticeConnector(data_dir, aid), {})
    assert len(read_timeline(data_dir)) == 1
    assert history.verify(store).intact


def test_a_target_left_sending_by_a_crash_is_found_not_posted_again(data_dir, demo_site):
    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    (target,) = outbox.targets(store, job)
    connector = PracticeConnector(data_dir, target.account_id)
    # The post reached the network, then the process died before the remote id was stored.
    from app.networks.connector import OutgoingPost

    connector.publish(OutgoingPost(target.id, target.account_id, "x", target.final_text))
    store.execute("UPDATE outbox_targets SET state = 'sending' WHERE id = ?", [target.id])
    (after,) = outbox.send(store, job, lambda aid: connector, {})
    assert after.state == outbox.POSTED
    assert len(read_timeline(data_dir)) == 1


class RefusingConnector(PracticeConnector):
    def publish(self, post):
        raise Rejected("Het netwerk weigert dit bericht.")


def test_a_refused_target_keeps_its_reason_and_is_recorded(data_dir, demo_site):
    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    (target,) = outbox.send(store, job, lambda aid: RefusingConnector(data_dir, aid), {})
    assert target.state == outbox.FAILED and target.error == "Het netwerk weigert dit bericht."
    (event,) = history.events(store, "publish_failed")
    assert event.data["reason"] == "Het netwerk weigert dit bericht."


class SlowConnector(PracticeConnector):
    """The network takes its time with the first post: the request is on its way meanwhile."""

    def __init__(self, data_dir, account_id, entered, release):
        super().__init__(data_dir, account_id)
        self.entered, self.release = entered, release
        self.requests = 0

    def publish(self, post):
        self.requests += 1
        if self.requests == 1:
            self.entered.set()
            assert self.release.wait(10)
        return super().publish(post)


def test_two_overlapping_sends_of_one_job_post_it_once(data_dir, demo_site):
    import threading

    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    entered, release = threading.Event(), threading.Event()
    connector = SlowConnector(data_dir, variants[0].account_id, entered, release)

    def send_from_another_window():
        other = Store.open(data_dir)
        try:
            return outbox.send(other, job, lambda aid: connector, {})
        finally:
            other.close()

    first = threading.Thread(target=send_from_another_window)
    first.start()
    assert entered.wait(10)
    # While the first request is on its way, the window's own send comes by.
    (meanwhile,) = send_from_another_window()
    assert meanwhile.state == outbox.SENDING
    release.set()
    first.join(10)
    (after,) = outbox.targets(store, job)
    assert after.state == outbox.POSTED
    assert connector.requests == 1
    assert len(history.events(store, "published")) == 1
    assert len(read_timeline(data_dir)) == 1


def test_the_authors_own_send_waits_for_the_background_pass_and_reports_the_post_placed(
    data_dir, demo_site
):
    """The author pressed Plaatsen just as the outbox's background pass (every 30 s, and 2 s
    after the start) took up the same job: the window's send, which the author watches, waits
    for that pass instead of reporting a post that is on its way as not placed."""
    import threading

    store = Store.open(data_dir)
    draft, variants = prepared(demo_site)
    job = outbox.submit(store, draft, variants)
    entered, release = threading.Event(), threading.Event()
    connector = SlowConnector(data_dir, variants[0].account_id, entered, release)

    def background_pass():
        other = Store.open(data_dir)
        try:
            outbox.send(other, job, lambda aid: connector, {})
        finally:
            other.close()

    first = threading.Thread(target=background_pass)
    first.start()
    assert entered.wait(10)
    heard = []
    threading.Timer(0.3, release.set).start()
    (answer,) = outbox.send(
        store, job, lambda aid: connector, {}, progress=heard.append, wait_for_other_sender=True
    )
    first.join(10)
    assert answer.state == outbox.POSTED and answer.remote_id
    assert [t.state for t in heard] == [outbox.POSTED]  # the progress dialog hears it too
    assert connector.requests == 1
    assert len(read_timeline(data_dir)) == 1


def test_a_posted_targets_claim_file_is_removed_and_a_later_send_posts_nothing(data_dir, demo_site):
    """A school posts thousands of times: the data folder does not keep a claim file per post.
    A send that comes by later (another window) makes a new claim, reads the target as posted
    under it, and sends nothing."""
    from app.publishing import send_claim

    store = Store.open(data_dir)
    for text in ("Sportdag was geweldig!", "Morgen is de schoolreis.", "Fijne vakantie!"):
        draft, variants = prepared(demo_site, text)
        job = outbox.submit(store, draft, variants)
        (target,) = outbox.send(store, job, lambda aid: PracticeConnector(data_dir, aid), {})
        assert target.state == outbox.POSTED
    claims = data_dir / send_claim.FOLDER
    assert list(claims.iterdir()) == []

    outbox.send(store, job, lambda aid: PracticeConnector(data_dir, aid), {})
    assert len(read_timeline(data_dir)) == 3
    assert len(history.events(store, "published")) == 3
