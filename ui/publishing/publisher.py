"""Runs the outbox off the GUI thread: publishing now, scheduling, sending what is due,
retrying one target, retracting. Each job opens its own database connection."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.i18n import _
from app.site.config import Site
from app.store import Store, StoreError
from ui.background import reporter, run_in_background, while_alive

log = logging.getLogger("postwijs.publishing")


def failure_words(error: BaseException) -> str:
    """The Dutch sentence the author reads when publishing, retrying or retracting stopped.
    Errors of the app's own closed sets already are such sentences; anything else is unexpected:
    one general sentence on screen, the details in the log."""
    from app.media.types import MediaError
    from app.networks.connector import ConnectorError

    if isinstance(error, StoreError | ConnectorError | MediaError):
        return str(error)
    if isinstance(error, OSError):
        log.error("publishing: file error", exc_info=error)
        return _(
            "Postwijs kon een bestand niet lezen of opslaan (is de schijf vol, of is een foto"
            " verplaatst?). Je bericht staat er nog; probeer het opnieuw."
        )
    log.error("publishing: unexpected error", exc_info=error)
    return _(
        "Er ging onverwacht iets mis. Je bericht staat er nog; probeer het opnieuw. Blijft het"
        " misgaan, vraag dan de ICT-beheerder om hulp (de details staan in het logbestand)."
    )


class _Refusing:
    """Stands in for a connector that could not be made: every call refuses with the reason, so
    the outbox records the target as failed (inside its own error handling) instead of stopping."""

    def __init__(self, reason: Exception):
        self.reason = reason

    def _refuse(self, *_args: object, **_kwargs: object):
        raise self.reason

    find_post = publish = delete = _refuse

    def close(self) -> None:
        pass


class Publisher(QObject):
    """`progress` is emitted on the GUI thread with each target as its state changes;
    `uploading` with a target, the bytes the network has and the bytes in all, as its upload
    goes on (where the network reports it: YouTube, X's video), also when one resumes."""

    progress = Signal(object)
    uploading = Signal(object, object, object)  # sizes past 2 GB do not fit a C int

    def __init__(
        self, data_dir: Path, site: Site, connector_factory, people: Callable[[], list] = list
    ):
        super().__init__()
        self.data_dir = Path(data_dir)
        self.site = site
        self.connector_factory = connector_factory
        self.people = people
        self.running_due = False
        report = reporter(lambda args: self.uploading.emit(*args), owner=self)
        self.upload_progress = lambda target, sent, total: report((target, sent, total))

    def connector_for(self, account_id: str):
        """A connector for the account; a network Postwijs cannot reach becomes a Dutch refusal
        for that account alone, so the outbox records it and the other accounts go on."""
        from app.networks.connector import ConnectorError, NotSupported

        account = self.site.account(account_id)
        try:
            return self.connector_factory(account, self.data_dir)
        except ConnectorError:
            raise
        except Exception as error:
            from app.networks.profiles import label

            log.error("no connector for %s", account_id, exc_info=error)
            return _Refusing(
                NotSupported(
                    _(
                        "Postwijs kan op {network} nog niet plaatsen, dus hier is niets geplaatst."
                    ).format(network=label(account.network))
                )
            )

    def names(self) -> dict[str, str]:
        return {a.id: a.name for s in self.site.schools for a in s.accounts}

    def _with_store(self, work: Callable[[Store], object]) -> Callable[[], object]:
        data_dir = self.data_dir

        def run():
            store = Store.open(data_dir)
            try:
                return work(store)
            finally:
                store.close()

        return run

    def submit(
        self, draft, variants, acknowledgements, scheduled_at, on_done, send_now: bool
    ) -> None:
        draft = replace(
            draft, account_ids=list(draft.account_ids), custom_texts=dict(draft.custom_texts)
        )

        people = self.people() if draft.media else []

        def work(store: Store):
            from app.publishing import outbox, spending

            media, evidence = {}, {}
            if draft.media:
                from app.media.jobs import consent_evidence, prepare_for_targets

                out = self.data_dir / "klaargemaakt" / draft.id
                media = prepare_for_targets(draft, variants, out)
                evidence = consent_evidence(draft, variants, people)
            job_id = outbox.submit(
                store,
                draft,
                variants,
                acknowledgements,
                media=media,
                evidence=evidence,
                scheduled_at=scheduled_at,
            )
            if not send_now:
                return job_id, outbox.targets(store, job_id)
            return job_id, outbox.send(
                store,
                job_id,
                self.connector_for,
                self.names(),
                progress=self.progress.emit,
                budgets=spending.budgets(self.site),
                upload_progress=self.upload_progress,
                wait_for_other_sender=True,
            )

        run_in_background(self._with_store(work), on_done, owner=self)

    def run_due(self, on_done, skip: Collection[str] = frozenset()) -> None:
        if self.running_due:
            return
        self.running_due = True

        def work(store: Store):
            from app.publishing import scheduler

            return scheduler.run_due(
                store,
                self.site,
                self.connector_for,
                datetime.now(UTC),
                self.people(),
                self.names(),
                skip,
                upload_progress=self.upload_progress,
            )

        on_done = while_alive(on_done)

        def done(result, error):
            self.running_due = False
            on_done(result, error)

        run_in_background(self._with_store(work), done, owner=self)

    def retry(self, target_id: str, on_done) -> None:
        def work(store: Store):
            from app.publishing import outbox, spending

            t = outbox.target(store, target_id)
            outbox.retry_target(store, target_id)
            return outbox.send(
                store,
                t.job_id,
                self.connector_for,
                self.names(),
                include_reconnect=True,
                budgets=spending.budgets(self.site),
                upload_progress=self.upload_progress,
                wait_for_other_sender=True,
            )

        run_in_background(self._with_store(work), on_done, owner=self)

    def retract(self, job_id: str, reason: str, by: str, on_done) -> None:
        def work(store: Store):
            from app.publishing import outbox

            return outbox.retract(store, job_id, reason, self.connector_for, by)

        run_in_background(self._with_store(work), on_done, owner=self)
