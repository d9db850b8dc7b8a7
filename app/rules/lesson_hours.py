"""Not during lessons unless permitted (Communiceren 6).

For an author whose role teaches, publishing during the lesson hours of the draft's school warns
and names the first moment after the lessons. The site can exempt roles that do not teach
(`policy.lesson_hours_exempt_roles`, e.g. communication staff). The warning may be acknowledged
with a reason; `override_reasons` gives the site's ready-made ones.

The moment checked is `ctx.at`: now while composing, or the scheduled moment when the caller
checks a scheduled post. The UI can offer the remedy `fix="schedule_next_allowed_moment"` by
calling `app.lesson_time.next_allowed_moment` (or `suggested_moments`) for the same school.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.compose.post import Draft, Variant
from app.i18n import _
from app.lesson_time import in_lesson_time
from app.rules.model import WARN, CheckContext, Finding

SCHEDULE_FIX = "schedule_next_allowed_moment"


class LessonHoursRule:
    id = "lesson_hours"
    articles = ("Communiceren 6",)

    def check(self, draft: Draft, variants: list[Variant], ctx: CheckContext) -> Iterable[Finding]:
        # The outcome depends only on the moment, the school and the author, not on the text:
        # compute it once per context instead of on every keystroke.
        # Only the latest answer is kept, so a context reused all day does not grow.
        key = (draft.school_id, draft.author_id, ctx.at)
        last = ctx.cached(self.id, dict)
        if last.get("key") != key:
            last["key"], last["findings"] = key, self._findings(draft, ctx)
        return last["findings"]

    def _findings(self, draft: Draft, ctx: CheckContext) -> tuple[Finding, ...]:
        if is_exempt(draft.author_id, ctx):
            return ()
        try:
            school = ctx.site.school(draft.school_id)
        except KeyError:
            return ()  # no school chosen yet: there are no lesson hours to hold the post to
        period = in_lesson_time(school, ctx.at)
        if period is None:
            return ()
        # period.end is what next_allowed_moment returns: the first moment after the lessons.
        until = period.end.strftime("%H:%M")
        message = _(
            "Plan je bericht vanaf {time} of geef een reden om nu te plaatsen: het is lestijd tot {time}."
        ).format(time=until)
        return (
            Finding(
                rule=self.id,
                articles=self.articles,
                severity=WARN,
                message=message,
                fix=SCHEDULE_FIX,
            ),
        )


def is_exempt(author_id: str, ctx: CheckContext) -> bool:
    """Whether the author's role may post during lessons; an unknown author is not exempt."""
    try:
        role = ctx.site.author(author_id).role
    except KeyError:
        return False
    exempt = {r.strip().casefold() for r in ctx.site.policy.lesson_hours_exempt_roles}
    return role.strip().casefold() in exempt


def override_reasons(ctx: CheckContext) -> tuple[str, ...]:
    """The site's ready-made reasons for posting during lessons anyway (shown as choices)."""
    return ctx.site.policy.override_reasons


RULE = LessonHoursRule()
