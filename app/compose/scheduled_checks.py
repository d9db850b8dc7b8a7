"""The warnings a scheduled post must be confirmed with: those of the moment it will go out.

The composer checks the draft against now; for a post scheduled later, whether it falls in lesson
hours depends on the scheduled moment instead (Communiceren 6). So the lesson-hours warning of
now is replaced by the one of the scheduled moment, and, as when publishing, it needs a reason.
"""

from __future__ import annotations

from datetime import datetime

from app.compose.post import Draft, Variant
from app.rules.lesson_hours import RULE as LESSON_HOURS
from app.rules.model import WARN, CheckContext, Finding
from app.site.config import Site


def warnings_for_moment(
    site: Site, draft: Draft, variants: list[Variant], warnings_now: list[Finding], at: datetime
) -> list[Finding]:
    """`warnings_now` with the lesson-hours warning as it is at `at`."""
    others = [f for f in warnings_now if f.rule != LESSON_HOURS.id]
    then = CheckContext(site=site, at=at)
    return others + [f for f in LESSON_HOURS.check(draft, variants, then) if f.severity == WARN]
