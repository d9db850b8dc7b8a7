"""The one explicit list of rules, and `check(draft, ctx) -> Report`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.compose.post import Draft, Variant
from app.compose.variants import build_variants
from app.rules import (
    alt_text,
    decency,
    disclaimer,
    hidden_characters,
    lesson_hours,
    media_consent,
    network_limits,
    personal_data,
    pupil_accounts,
    sensitive_topics,
    suspended_account,
    tone,
)
from app.rules.disclaimer import texts_of
from app.rules.ids import RULE_IDS
from app.rules.model import (
    BLOCK,
    INFO,
    SEVERITY_ORDER,
    WARN,
    CheckContext,
    DraftRule,
    Finding,
    TextRule,
    stricter,
)
from app.site.config import Site

TEXT_RULES: tuple[TextRule, ...] = (
    personal_data.RULE,
    pupil_accounts.RULE,
    hidden_characters.RULE,
    decency.RULE,
    sensitive_topics.RULE,
    tone.RULE,
)
DRAFT_RULES: tuple[DraftRule, ...] = (
    disclaimer.RULE,
    lesson_hours.RULE,
    media_consent.RULE,
    suspended_account.RULE,
    network_limits.RULE,
    alt_text.RULE,
)

assert {r.id for r in TEXT_RULES} | {r.id for r in DRAFT_RULES} <= set(RULE_IDS)


@dataclass(frozen=True)
class Report:
    variants: list[Variant]
    findings: list[Finding]

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def blocks(self) -> bool:
        return any(f.severity == BLOCK for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in (BLOCK, WARN, INFO)}


# A text that makes every text rule load what it needs: lexicons, wordfreq's Dutch list,
# simplemma's dictionary, Unicode's confusables.
_WARM_UP_TEXT = "Kаnker, wat een kankerweer! Morgen sla ik je in elkaar. Hij is ziek, @noor."


def prepare(site: Site) -> None:
    """Loads the rules' word lists and dictionaries once (about half a second), so that the
    first keystroke does not wait for them. Safe to call from a background thread at start-up;
    without it the first check loads them."""
    ctx = CheckContext(site=site, at=datetime.now(UTC))
    for rule in TEXT_RULES:
        rule.find(_WARM_UP_TEXT, ctx)


def _policy(finding: Finding, ctx: CheckContext) -> Finding:
    floor = ctx.site.policy.severity.get(finding.rule)
    if floor is None:
        return finding
    severity = stricter(finding.severity, floor)
    if severity == finding.severity:
        return finding
    return Finding(**{**finding.__dict__, "severity": severity})


def check(draft: Draft, ctx: CheckContext, variants: list[Variant] | None = None) -> Report:
    """Runs every rule over the draft; `variants` may be passed when already built."""
    if variants is None:
        variants = build_variants(draft, ctx.site)
    networks = {v.account_id: v.network for v in variants}
    findings: list[Finding] = []
    for account_id, text in texts_of(draft):
        if not text:
            continue
        for rule in TEXT_RULES:
            for hit in rule.find(text, ctx):
                findings.append(
                    Finding(
                        rule=rule.id,
                        articles=rule.articles,
                        severity=hit.severity,
                        message=hit.message,
                        span=(hit.start, hit.end),
                        account_id=account_id,
                        network=networks.get(account_id) if account_id else None,
                        fix=hit.fix,
                    )
                )
    for draft_rule in DRAFT_RULES:
        findings.extend(draft_rule.check(draft, variants, ctx))
    findings = [_policy(f, ctx) for f in findings]
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.span[0] if f.span else -1))
    return Report(variants, findings)
