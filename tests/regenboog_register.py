"""The consent register of the demo school De Regenboog as the composer's tests (and the
screenshot script) fill it: Noor of 5b with nothing decided (so no consent), Daan of 5b with
consent for social media this school year, any further pupils a test names with that same
consent, and Sanne de Vries, the demo author, among the staff."""

from __future__ import annotations

from app.consent import register as consent
from app.consent.register import GIVEN, IMPORT, PersonRecord, Source
from app.school_year import current_school_year
from app.store import Store

EXPORT = Source(IMPORT, "leerlingen.csv", "demo")

# (number, first name, surname, group) of pupils with consent, for `fill_regenboog`.
MILA = ("3", "Mila", "Smit", "6")
BRAM = ("4", "Bram", "Jansen", "7")


def fill_regenboog(store: Store, *consenting: tuple[str, str, str, str]) -> None:
    given = {("sociale media", current_school_year()): GIVEN}
    people = [
        PersonRecord("1", "pupil", "Noor", "", "Bakker", "5b"),
        PersonRecord("2", "pupil", "Daan", "", "Visser", "5b", consents=given),
        *(
            PersonRecord(number, "pupil", first, "", last, group, consents=given)
            for number, first, last, group in consenting
        ),
        PersonRecord("9", "staff", "Sanne", "de", "Vries", "5b"),
    ]
    consent.merge_people(store, "regenboog", people, EXPORT)
