"""Why a person cannot be shown, and whom to ask, in Dutch for the staff member."""

from __future__ import annotations

from datetime import datetime

from app.consent.register import GIVEN, REFUSED, WITHDRAWN, consent_state, person
from app.i18n import _
from app.school_year import current_school_year, previous_school_year
from app.site.config import Site
from app.store import Store


def whom_to_ask(site: Site, school_id: str) -> str:
    """The consent contact from the site configuration, as "name (e-mail)"."""
    try:
        school = site.school(school_id)
    except KeyError:
        return _("de administratie van de school")
    contact = school.consent_contact
    if contact is None:
        return _("de administratie van {school}").format(school=school.name)
    return f"{contact.name} ({contact.email})" if contact.email else contact.name


def why_no_consent(
    store: Store, site: Site, person_id: str, purpose: str, now: datetime | None = None
) -> str:
    """Explains to a staff member, in Dutch, why this person cannot be shown for `purpose` (or
    that they can), and whom to ask."""
    found = person(store, person_id)
    year = current_school_year(now)
    if found is None:
        return _(
            "Deze persoon staat niet in het toestemmingsregister. Kies een andere persoon of vraag"
            " de administratie van de school om de toestemming."
        )
    name, ask = found.full_name, whom_to_ask(site, found.school_id)
    values = {"name": name, "purpose": purpose, "year": year, "ask": ask}
    if found.left_at:
        return _(
            "{name} staat niet meer in de export van de administratie; er telt geen toestemming"
            " meer. Vraag {ask} als dit niet klopt."
        ).format(**values)
    if purpose not in site.purposes:
        return _(
            "'{purpose}' is geen toestemmingsdoel in de siteconfiguratie. Vraag de ICT-beheerder"
            " het doel toe te voegen."
        ).format(**values)
    state = consent_state(store, person_id, purpose, year)
    if state == GIVEN:
        return _("Voor {name} is er toestemming voor {purpose} in {year}.").format(**values)
    if state == WITHDRAWN:
        return _(
            "Voor {name} is de toestemming voor {purpose} in {year} ingetrokken. Gebruik geen"
            " beeld van {name}; vraag {ask} als dit niet klopt."
        ).format(**values)
    if state == REFUSED:
        return _(
            "Voor {name} is geen toestemming gegeven voor {purpose} in {year}. Gebruik geen beeld"
            " van {name}; vraag {ask} als dit niet klopt."
        ).format(**values)
    if consent_state(store, person_id, purpose, previous_school_year(year)) == GIVEN:
        return _(
            "Voor {name} is er geen toestemming voor {purpose} in {year} (vorig schooljaar wel)."
            " Vraag {ask} om de nieuwe toestemming."
        ).format(**values)
    return _(
        "Voor {name} is er geen toestemming voor {purpose} in {year}. Vraag {ask} om de"
        " toestemming."
    ).format(**values)
