"""The publish flow of the main window: confirm, schedule, send, and what is due; retracting,
retrying and the scheduled posts' actions. `window` is the main window (its model, store,
publisher, pages and status line)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.i18n import _
from ui.publishing.publisher import failure_words


class PublishFlow:
    def __init__(self, window):
        self.window = window
        self.publishing = False
        self.confirm_dialog = None
        self.progress_dialog = None
        self.schedule_dialog = None
        self.missed_box = None
        self.missed_not_agreed: set[str] = set()
        # By job: the dialogs of uploads that go on by themselves (one under way when Postwijs
        # closed, a wait that is over, a retry), opened when the upload reports how far it is.
        self.resumed_dialogs: dict = {}

    @property
    def model(self):
        return self.window.model

    @property
    def publisher(self):
        return self.window.publisher

    def confirm_publish(self, scheduled_at=None) -> None:
        window = self.window
        if self.publishing or window.composer is None or self.model.why_not_publishable():
            return
        from ui.publishing.confirm_dialog import ConfirmDialog

        variants = self.model.variants()
        warnings = self.model.report().of("warn")
        if scheduled_at is not None:
            from app.compose.scheduled_checks import warnings_for_moment

            warnings = warnings_for_moment(
                self.model.site, self.model.draft, variants, warnings, scheduled_at
            )
        dialog = ConfirmDialog(
            variants,
            warnings,
            self.model.site.policy.override_reasons,
            window,
            scheduled_at=scheduled_at,
            photos={v.network: window.composer.photos_for(v.network) for v in variants},
            left_out=self.model.accounts_left_out(),
            costs=self.costs(variants),
            declarations=self.model.declarations(),
        )
        self.confirm_dialog = dialog
        dialog.accepted.connect(
            lambda: self.publish(variants, dialog.acknowledgements(), scheduled_at)
        )
        dialog.open()

    def costs(self, variants) -> dict[str, str]:
        """Per target on a network that charges per post: its cost and the month's budget left."""
        from app.publishing import spending

        return spending.confirm_lines(
            self.window.store, self.model.site, self.model.draft, variants, datetime.now(UTC)
        )

    def lesson_period(self, school):
        """For the schedule dialog: the lesson block a moment falls in, for an author who teaches
        (Communiceren 6); None when the moment is free or the author's role is exempt."""
        from app.lesson_time import in_lesson_time
        from app.rules.lesson_hours import is_exempt
        from app.rules.model import CheckContext

        site = self.model.site
        if is_exempt(self.model.draft.author_id, CheckContext(site=site, at=datetime.now(UTC))):
            return lambda _moment: None
        return lambda moment: in_lesson_time(school, moment)

    def ask_schedule(self) -> None:
        """Inplannen: suggested moments outside the school's lesson hours (Communiceren 6)."""
        if self.window.composer is None or self.model.why_not_publishable():
            return
        from app.lesson_time import suggested_moments
        from ui.publishing.schedule_dialog import ScheduleDialog

        school = self.model.school
        soon = datetime.now(UTC) + timedelta(minutes=15)
        dialog = ScheduleDialog(
            suggested_moments(school, soon, count=3),
            self.window,
            lesson_period=self.lesson_period(school),
        )
        self.schedule_dialog = dialog
        dialog.accepted.connect(lambda: self.confirm_publish(scheduled_at=dialog.moment()))
        dialog.open()

    def publish(self, variants, acknowledgements=(), scheduled_at=None) -> None:
        window = self.window
        self.publishing = True
        window.composer.publish_button.setEnabled(False)
        self.progress_dialog = None  # an earlier post's dialog follows that post, not this one
        if scheduled_at is None:
            from ui.publishing.send_progress import SendProgressDialog

            self.progress_dialog = SendProgressDialog(variants, window)
            self.publisher.progress.connect(self.progress_dialog.update_target)
            self.progress_dialog.open()
        window.say(_("Bezig met plaatsen…") if scheduled_at is None else _("Bezig met inplannen…"))
        self.publisher.submit(
            self.model.draft,
            variants,
            list(acknowledgements),
            scheduled_at,
            lambda result, error: self._published(result, error, scheduled_at),
            send_now=scheduled_at is None,
        )

    def _published(self, result, error, scheduled_at=None) -> None:
        from app.compose import drafts
        from app.publishing import outbox

        window = self.window
        self.publishing = False
        window.composer.refresh()
        if self.progress_dialog is not None:
            self.publisher.progress.disconnect(self.progress_dialog.update_target)
        if error is not None:
            message = _("Plaatsen is niet gelukt. {reason}").format(reason=failure_words(error))
            if self.progress_dialog is not None:
                self.progress_dialog.failed(message)
            window.say(message)
            return
        _job_id, targets = result
        # The post is safely in the outbox: the draft's work is done, whatever the networks said.
        drafts.discard(window.store, self.model.draft.id)
        self.model.start_new()
        window.composer.sync_from_model()
        if scheduled_at is not None:
            from ui.publishing.schedule_dialog import describe

            window.say(_("Ingepland voor {moment}.").format(moment=describe(scheduled_at)))
            window.show_page("scheduled")
            return
        self.progress_dialog.finished_all(targets)
        from app.networks.profiles import account_with_network

        posted = [t for t in targets if t.state == outbox.POSTED]
        failed = [t for t in targets if t.state != outbox.POSTED]
        if failed:
            window.say(
                " ".join(
                    outbox.describe_failure(t, window.account_name(t.account_id)) for t in failed
                )
            )
            return
        names = ", ".join(
            account_with_network(window.account_name(t.account_id), t.network) for t in posted
        )
        window.say(_("Geplaatst op {accounts}.").format(accounts=names))
        if any(t.network == outbox.PRACTICE_NETWORK for t in posted):
            self.progress_dialog.accept()
            window.show_page("practice")
            window.timeline.reload()

    def upload_reported(self, target, sent: int, total: int) -> None:
        """How far an upload is, on the GUI thread: in the dialog of the post being placed, or,
        for an upload that goes on by itself, in a dialog of its own that opens the moment it
        resumes (at what had arrived before, not at 0)."""
        dialog = self.progress_dialog
        if (
            self.publishing
            and dialog is not None
            and target.account_id in dialog.names
            and dialog.job_id in ("", target.job_id)
        ):
            dialog.job_id = target.job_id
            dialog.show_upload(target, sent, total)
            return
        dialog = self.resumed_dialogs.get(target.job_id)
        if dialog is None:
            from app.publishing import outbox
            from ui.publishing.send_progress import Row, SendProgressDialog

            targets = outbox.targets(self.window.store, target.job_id)
            dialog = SendProgressDialog(
                [
                    Row(t.account_id, self.window.account_name(t.account_id), t.network)
                    for t in targets
                ],
                self.window,
                title=_("Postwijs gaat verder met het uploaden van je video…")
                if sent
                else _("Postwijs uploadt de video van een wachtend of ingepland bericht…"),
                job_id=target.job_id,
            )
            for t in targets:
                if t.state not in (outbox.PENDING, outbox.SENDING, outbox.WAITING):
                    dialog.update_target(t)
            self.resumed_dialogs[target.job_id] = dialog
            # The author did not ask for this one: it must not hold up the window, and may be
            # closed while the upload goes on.
            dialog.setModal(False)
            dialog.close_button.setEnabled(True)
            dialog.show()
        dialog.show_upload(target, sent, total)

    def _resumed_done(self, job_id: str, targets) -> None:
        dialog = self.resumed_dialogs.pop(job_id, None)
        if dialog is not None:
            dialog.finished_all(list(targets))

    # Sending what is due: retries, scheduled posts, and jobs a crash left unfinished.
    def run_due(self) -> None:
        if self.publisher is None:
            return
        self.publisher.run_due(self._due_done, skip=self.missed_not_agreed)

    def _due_done(self, outcomes, error) -> None:
        window = self.window
        if error is not None:
            window.say(
                _("Versturen van wachtende berichten mislukte: {reason}").format(
                    reason=failure_words(error)
                )
            )
            return
        for outcome in outcomes:
            self._resumed_done(outcome.job_id, outcome.targets)
        held = [o for o in outcomes if o.held_reason]
        posted = [o for o in outcomes if o.targets and all(t.state == "posted" for t in o.targets)]
        asking = [t for o in outcomes for t in o.targets if t.state == "ask_user"]
        if asking:
            question = _("Kijk onder Gepland of je bericht al op het account staat, en kies.")
            window.say(asking[0].error or question)
            window.notify(_("Postwijs heeft je antwoord nodig"), question)
        elif held:
            window.say(held[0].held_reason)
            window.notify(_("Een gepland bericht wacht"), held[0].held_reason)
        elif posted:
            window.say(_("Een ingepland of wachtend bericht is geplaatst."))
        if outcomes:
            window.refresh_lists()

    def ask_about_missed(self) -> None:
        """Scheduled moments that passed while Postwijs was closed go out only if the user agrees."""
        from app.publishing import scheduler
        from ui.history.page import when

        missed = scheduler.missed(self.window.store, datetime.now(UTC))
        if not missed:
            return
        from PySide6.QtWidgets import QMessageBox  # here: its type costs the start ~7 ms

        self.missed_not_agreed = {job.id for job in missed}
        lines = "\n".join(f"• {when(job.scheduled_at)}" for job in missed)
        box = QMessageBox(self.window)
        box.setWindowTitle(_("Gemiste momenten"))
        box.setText(
            _(
                "Deze ingeplande berichten zijn niet op hun moment geplaatst, omdat Postwijs toen dicht"
                " was:\n{lines}\n\nNu alsnog plaatsen? Ze worden eerst opnieuw gecontroleerd."
            ).format(lines=lines)
        )
        send = box.addButton(_("Nu plaatsen"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Niet nu (zie Gepland)"), QMessageBox.ButtonRole.RejectRole)

        def answered() -> None:
            if box.clickedButton() is send:
                self.missed_not_agreed = set()
                self.run_due()

        box.finished.connect(answered)
        self.missed_box = box
        box.open()

    def retract(self, job_id: str, reason: str) -> None:
        window = self.window
        window.say(_("Bezig met intrekken…"))

        def done(targets, error) -> None:
            from app.publishing import outbox

            if error is not None:
                window.say(_("Intrekken mislukte: {reason}").format(reason=failure_words(error)))
            else:
                failed = [t for t in targets if t.retract_state == outbox.RETRACT_FAILED]
                window.say(
                    _("Ingetrokken op alle netwerken.")
                    if not failed
                    else _(
                        "Niet overal ingetrokken: {names}. Probeer het opnieuw vanuit Geschiedenis."
                    ).format(names=", ".join(window.account_name(t.account_id) for t in failed))
                )
            window.refresh_lists()

        self.publisher.retract(job_id, reason, self.model.author.name, done)

    def retry_target(self, target_id: str) -> None:
        from app.publishing import outbox

        job_id = outbox.target(self.window.store, target_id).job_id

        def done(targets, error) -> None:
            if error is None:
                self._resumed_done(job_id, targets)
            else:
                dialog = self.resumed_dialogs.pop(job_id, None)
                if dialog is not None:
                    dialog.failed(failure_words(error))
            self.window.refresh_lists()

        self.publisher.retry(target_id, done)

    def decide_held_target(self, target_id: str, already_there: bool) -> None:
        """The user looked at the account: recorded as placed, or sent now."""
        from app.publishing import outbox

        if already_there:
            outbox.mark_as_posted(self.window.store, target_id, by=self.model.author.name)
        else:
            outbox.send_after_all(self.window.store, target_id, by=self.model.author.name)
            self.run_due()
        self.window.refresh_lists()

    def cancel_scheduled(self, job_id: str) -> None:
        from app.publishing import outbox

        outbox.cancel(self.window.store, job_id, by=self.model.author.name)
        self.window.refresh_lists()

    def edit_scheduled(self, job_id: str) -> None:
        """Takes a scheduled post back into the composer: it is no longer scheduled, and comes
        back into the outbox (checked again) when the author places or schedules it anew."""
        from app.compose import drafts
        from app.publishing import outbox

        window = self.window
        job = outbox.job(window.store, job_id)
        if job.draft is None:
            return
        outbox.cancel(window.store, job_id, by=self.model.author.name)
        drafts.save(window.store, job.draft)
        self.model.load(job.draft)
        window.composer.sync_from_model()
        window.show_page("composer")
        window.say(
            _(
                "Het geplande bericht staat weer in Nieuw bericht. Plan het opnieuw in of plaats het."
            )
        )
        window.refresh_lists()

    def reschedule(self, job_id: str) -> None:
        from app.lesson_time import suggested_moments
        from app.publishing import outbox
        from ui.publishing.schedule_dialog import ScheduleDialog

        window = self.window
        job = outbox.job(window.store, job_id)
        school = window.site.school(job.school_id)
        dialog = ScheduleDialog(
            suggested_moments(school, datetime.now(UTC), count=3),
            window,
            lesson_period=self.lesson_period(school),
        )
        self.schedule_dialog = dialog

        def moved() -> None:
            outbox.reschedule(window.store, job_id, dialog.moment(), by=self.model.author.name)
            window.refresh_lists()

        dialog.accepted.connect(moved)
        dialog.open()
