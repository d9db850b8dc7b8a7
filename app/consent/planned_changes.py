"""What an import would change in the register, said before it is applied (the import wizard's
check step): who is new, who changes, which consents change and which are withdrawn."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.consent import register as consent
from app.consent.csv_import import Validation
from app.store import Store


@dataclass
class PlannedChanges:
    new: list[str] = field(default_factory=list)  # names
    updated: list[str] = field(default_factory=list)
    consent_changes: int = 0
    withdrawn: list[str] = field(default_factory=list)  # "name: purpose year"

    @property
    def nothing(self) -> bool:
        return not (self.new or self.updated or self.consent_changes)


def planned_changes(store: Store, school_id: str, validation: Validation) -> PlannedChanges:
    """The good lines of `validation` compared with the register as it is; changes nothing."""
    existing = {consent.identifier_key(p.identifier): p for p in consent.people(store, school_id)}
    plan = PlannedChanges()
    for line in validation.lines:
        record = line.record
        person = existing.get(consent.identifier_key(record.identifier))
        if person is None:
            plan.new.append(record.full_name or record.identifier)
            continue
        old = consent.consents_of(store, person.id)
        changed = 0
        for (purpose, year), state in record.consents.items():
            before = old.get((purpose, year))
            after = consent.resulting_state(before, state, from_export=True)
            if after == before or (before is None and after == consent.UNKNOWN):
                continue
            changed += 1
            if after == consent.WITHDRAWN and before == consent.GIVEN:
                plan.withdrawn.append(f"{person.full_name}: {purpose} {year}")
        details = (record.first_name, record.tussenvoegsel, record.last_name)
        renamed = details != (person.first_name, person.tussenvoegsel, person.last_name)
        regrouped = record.group is not None and record.group != person.group
        plan.consent_changes += changed
        if changed or renamed or regrouped or person.left_at:
            plan.updated.append(person.full_name)
    return plan
