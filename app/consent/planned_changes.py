"""What an import would change in the register, said before it is applied (the import wizard's
check step): who is new, who changes, which consents change and which are withdrawn.

The figures come from the same merge that the import then runs (`planned_import`), so step 3
says exactly what step 4 reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.consent import register as consent
from app.consent.csv_import import Validation, planned_import
from app.store import Store


@dataclass
class PlannedChanges:
    added: int = 0  # people new to the register
    updated: int = 0  # people whose name, group or role changes
    consent_changes: int = 0  # new people's consents included
    withdrawn: list[str] = field(default_factory=list)  # "name: purpose year"
    missing: list[consent.Person] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.added or self.updated or self.consent_changes)


def planned_changes(store: Store, school_id: str, validation: Validation) -> PlannedChanges:
    """The good lines of `validation` merged, on paper, into the register as it is."""
    merge = planned_import(store, school_id, validation)
    return PlannedChanges(
        added=len(merge.added),
        updated=len(merge.updated),
        consent_changes=len(merge.changes),
        withdrawn=[f"{c.name}: {c.purpose} {c.school_year}" for c in merge.withdrawn],
        missing=list(merge.missing),
    )
