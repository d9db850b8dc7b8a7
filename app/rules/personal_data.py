"""Personal and confidential information that must stay out of a post.

Citizen service numbers (BSN, only when the 11-test passes), IBANs (checksum), Dutch phone numbers,
e-mail addresses outside the schools' own domains, street addresses and postcodes, dates of birth,
and the names of people in the consent register. Numbers are validated, not just shaped: a date,
a time, a price, a postcode or an order number is not a phone number, and a nine-digit number
that fails the 11-test is not a BSN.

Names come from `app.rules.names` (one index per CheckContext). A pupil's full name blocks; the
name of anyone else without consent for social media warns; a pupil's first name alone warns only
when it is the only pupil with that name in the register and the sentence narrows it down (a
group, an age). Every detector reads the text as app.rules.visible shows it.

Speed: the text is scanned once for runs of digits; every number detector starts from those runs
instead of scanning the whole text itself, so a post without digits costs next to nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date

import regex
from stdnum.iso7064 import mod_97_10
from stdnum.nl import bsn

from app.i18n import N_, _
from app.rules.model import BLOCK, WARN, CheckContext, Hit
from app.rules.names import PUPIL, SOCIAL_MEDIA, NameMatch, register_index
from app.rules.person_reference import refers_to_person, sentence_around
from app.rules.visible import visible

_SPACE = "[ \u00a0]"
# The `regex` module finds digits in a long text several times faster than `re`.
_NUMBER = regex.compile(r"[0-9]+")

_IBAN_MESSAGE = N_("Haal het rekeningnummer weg: deel geen bankgegevens in een bericht.")
_BSN_MESSAGE = N_("Haal het burgerservicenummer (BSN) weg: dit is vertrouwelijk.")
_PHONE_MESSAGE = N_("Haal het telefoonnummer weg: deel geen telefoonnummers in een bericht.")
_BIRTH_DATE_MESSAGE = N_("Haal de geboortedatum weg: deel geen geboortedata van mensen.")
_ADDRESS_MESSAGE = N_("Haal het adres weg: deel geen (woon)adressen in een bericht.")
_EMAIL_MESSAGE = N_(
    "Haal het e-mailadres weg: deel geen persoonlijke e-mailadressen. Adressen van de school zelf mogen wel."
)
# Where two findings claim the same digits, the more specific one stays: an IBAN holds digits that
# look like a phone number, a date of birth is a date that is not an address.
_PRIORITY = {
    _IBAN_MESSAGE: 5,
    _BSN_MESSAGE: 4,
    _PHONE_MESSAGE: 3,
    _BIRTH_DATE_MESSAGE: 2,
    _ADDRESS_MESSAGE: 1,
}


class PersonalDataRule:
    id = "personal_data"
    articles = ("Communiceren 2", "Communiceren 7", "Communiceren 17", "Uitgangspunten 8")

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        # Read as a reader sees it: a zero-width space inside a BSN or a Cyrillic letter in a
        # name hides nothing. Spans go back to the text as written.
        shown = visible(text)
        text = shown.text
        names = register_index(ctx).find_names(text)
        hits = [hit for name in names if (hit := _name_hit(name, text)) is not None]
        for start, end, message in _number_findings(text, names, ctx.at.date()):
            hits.append(Hit(start, end, BLOCK, _(message)))
        if "@" in text:
            for start, end in _email_spans(text, _school_domains(ctx)):
                hits.append(Hit(start, end, BLOCK, _(_EMAIL_MESSAGE)))
        hits = [
            Hit(*shown.to_original(hit.start, hit.end), hit.severity, hit.message, hit.fix)
            for hit in hits
        ]
        hits.sort(key=lambda hit: (hit.start, hit.end))
        return hits


RULE = PersonalDataRule()


# --- numbers ---------------------------------------------------------------------------------------


def _number_findings(text: str, names: list[NameMatch], today: date) -> list[tuple[int, int, str]]:
    """(start, end, message) of every IBAN, BSN, phone number, date of birth and address.

    Each run of digits is offered to the detectors whose shape it can start; the cheap checks on
    length and neighbours here keep ordinary numbers ("groep 5", "10:15", "€ 12,50") cheap.
    """
    found: list[tuple[int, int, str]] = []
    dates: list[tuple[int, int, date | None]] = []
    iban_end = bsn_end = phone_end = date_end = address_end = 0
    for run in _NUMBER.finditer(text):
        start, run_end = run.span()
        length = run_end - start
        before = text[start - 1] if start else " "
        if before.isalnum() or before == "_":
            # Digits glued to letters: only the check digits of an IBAN ("NL91…").
            if start >= iban_end and (shape := _iban_at(text, start - 2)):
                iban_end, valid = shape
                if valid:
                    found.append((start - 2, iban_end, _IBAN_MESSAGE))
            continue
        if start < iban_end:
            continue  # inside an IBAN
        if before in ".,/-" and start >= 2 and text[start - 2].isdigit():
            continue  # the middle of a number, an amount or a date read before
        if length in (3, 4, 9) and start >= bsn_end and (span := _bsn_at(text, start, before)):
            found.append((*span, _BSN_MESSAGE))
            bsn_end = span[1]
        if (
            (text[start] == "0" or before == "+")
            and start >= phone_end
            and (span := _phone_at(text, start, before))
        ):
            found.append((*span, _PHONE_MESSAGE))
            phone_end = span[1]
        if (
            (length <= 2 or length == 4)
            and start >= date_end
            and _may_start_date(text, run_end)
            and (date := _date_at(text, start, before))
        ):
            dates.append(date)
            date_end = date[1]
        # A postcode alone is the school's or a neighbourhood's as often as a home's: only a
        # street with its number is an address (a postcode after it belongs to it).
        if start >= address_end and start >= 2 and before in " \u00a0":
            span = _street_address_at(text, start) if _street_may_end(text, start - 1) else None
            if span is not None:
                found.append((*span, _ADDRESS_MESSAGE))
                address_end = span[1]
    found.extend(
        (start, end, _BIRTH_DATE_MESSAGE) for start, end in _birth_dates(text, dates, names, today)
    )
    return _without_overlaps(found)


def _without_overlaps(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for finding in sorted(found):
        if kept and finding[0] < kept[-1][1]:
            if _PRIORITY[finding[2]] > _PRIORITY[kept[-1][2]]:
                kept[-1] = finding
            continue
        kept.append(finding)
    return kept


# --- citizen service number (BSN) -----------------------------------------------------------------

_NOT_DIGITS = str.maketrans("", "", " .-")
_BSN = re.compile(
    r"(?:[0-9]{9}|[0-9]{3}([ .-])[0-9]{3}\1[0-9]{3}|[0-9]{4}([ .-])[0-9]{2}\2[0-9]{3})"
    r"(?![\w€]|[.,/-]\d)"
)


def _bsn_at(text: str, start: int, before: str) -> tuple[int, int] | None:
    if before in ".,/-" or "€" in text[max(0, start - 2) : start]:
        return None  # part of a longer number, or an amount: "€ 123.456.789"
    match = _BSN.match(text, start)
    if match and bsn.is_valid(match.group().translate(_NOT_DIGITS)):
        return match.span()
    return None


# --- IBAN ---------------------------------------------------------------------------------------

_IBAN = re.compile(
    rf"[A-Za-z]{{2}}[0-9]{{2}}(?:{_SPACE}?[A-Za-z0-9]{{4}}){{2,7}}(?:{_SPACE}?[A-Za-z0-9]{{1,3}})?(?!\w)"
)


def _iban_at(text: str, start: int) -> tuple[int, bool] | None:
    """(end, valid) of what looks like an IBAN with its country code at `start`, or None.

    One that fails the checksum is no finding, but its digits are not read as anything else:
    "NL92 ABNA 0417 1643 00" (a typo) holds no phone number.
    """
    if start < 0 or (start and (text[start - 1].isalnum() or text[start - 1] == "_")):
        return None
    match = _IBAN.match(text, start)
    if match is None:
        return None
    candidate = match.group()
    # The pattern may take a word after the IBAN along ("… 00 VOOR"): try shorter ends too.
    ends = [len(candidate)] + [
        i for i in range(len(candidate) - 1, 14, -1) if candidate[i] in " \u00a0"
    ]
    for end in ends:
        if _iban_checksum_holds(candidate[:end]):
            return start + end, True
    return match.end(), False


def _iban_checksum_holds(candidate: str) -> bool:
    """ISO 7064 mod 97-10 over the IBAN, whatever the country or bank: a real account of a
    bank abroad that a registry does not list is still an account number."""
    compact = "".join(candidate.split()).upper()
    if not 15 <= len(compact) <= 34 or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return mod_97_10.is_valid("".join(str(int(c, 36)) for c in rearranged))


# --- phone numbers -------------------------------------------------------------------------------

_PHONE_SEPARATOR = re.compile(r"[ \u00a0]?[-–/.][ \u00a0]?|[ \u00a0]")
# A date judged on the whole run of digits: "06-12-34-56-78" goes on, so it is no date.
_DATE_SHAPE = re.compile(r"[0-9]{1,2}([-./])[0-9]{1,2}\1[0-9]{2,4}(?![0-9]|\1[0-9])")
# "Bestelnummer 0612345678", "Ordernr. 0612345678": the word before says what the number is.
_ORDER_WORDS = (
    "order", "bestel", "factuur", "klant", "artikel", "dossier", "lid", "zaak", "referentie",
    "kenmerk", "transactie", "ticket", "pakket", "zending", "track",
)  # fmt: skip
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")  # 8 or 11 digits
_INTERNATIONAL = ("+31", "0031", "(+31)")


def _phone_at(text: str, start: int, before: str) -> tuple[int, int] | None:
    """A Dutch phone number whose digits start at `start` (the prefix may stand before it)."""
    if text.startswith("31", start) and before == "+":
        prefix = "(+31)" if text.startswith("(+31)", start - 2) else "+31"
        begin = start - 1 if prefix == "+31" else start - 2
    elif text[start] != "0" or before == "+":
        return None
    elif before == "(":
        prefix, begin = "(0", start - 1
    else:
        if _DATE_SHAPE.match(text, start):
            return None  # "06-03-2024 14:00" is a date
        prefix = "0031" if text.startswith("0031", start) else "0"
        begin = start
    if begin and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        return None
    end = _phone_end(text, begin, prefix)
    if end is None:
        return None
    words_before = text[max(0, begin - 30) : begin].split()
    if words_before and words_before[-1].lower().startswith(_ORDER_WORDS):
        return None
    return begin, end


def _phone_end(text: str, start: int, prefix: str) -> int | None:
    """Where the phone number starting at `start` ends, or None when it is not one.

    Reads digit groups and single separators, then takes the longest prefix of whole groups with a
    valid digit count, so "bel 06 1234 5678 12 keer" ends before "12".
    """
    i = start + len(prefix)
    if prefix in _INTERNATIONAL:
        digits = "0"
        i = _skip_separator(text, i)
        if text.startswith("(0)", i):
            i = _skip_separator(text, i + 3)
        elif text.startswith("0", i):
            i += 1  # "+31 06 …" written with the trunk zero
    elif prefix == "(0":
        close = text.find(")", i, i + 4)
        if close < 0 or not text[i:close].isdigit() or not text[i:close].isascii():
            return None
        digits = "0" + text[i:close]
        i = _skip_separator(text, close + 1)
    else:
        digits, i = "", start
    ends: list[tuple[int, int]] = []
    while len(digits) <= 12:
        j = i
        while j < len(text) and "0" <= text[j] <= "9":
            j += 1
        if j == i:
            break
        digits += text[i:j]
        ends.append((j, len(digits)))
        after = _skip_separator(text, j)
        if after == j or not (after < len(text) and "0" <= text[after] <= "9"):
            break
        i = after
    for end, count in reversed(ends):
        if _valid_national_number(digits[:count]) and not text[end : end + 1].isalnum():
            return end
    return None


def _skip_separator(text: str, i: int) -> int:
    match = _PHONE_SEPARATOR.match(text, i)
    return match.end() if match else i


def _valid_national_number(digits: str) -> bool:
    if len(digits) < 8 or digits[0] != "0" or digits[1] == "0":
        return False
    if digits.startswith(_SERVICE_PREFIXES):
        return len(digits) in (8, 11)
    return len(digits) == 10


# --- street addresses ----------------------------------------------------------------------------

_HOUSE_NUMBER = re.compile(
    r"[1-9][0-9]{0,3}([a-zA-Z]|-(?:[0-9]{1,4}|[a-zA-Z]))?(?!\w)(?![.,:][0-9])"
)
_STREET_SUFFIXES = (
    "straat", "weg", "laan", "plein", "gracht", "kade", "singel", "dreef", "hof", "pad", "steeg",
    "dijk", "park", "ring", "baan", "markt", "plantsoen", "wal", "erf", "dam", "kwartier", "boulevard",
    "allee", "pier", "haven", "burgwal", "veld", "hoek", "oord", "zijde", "straatje",
)  # fmt: skip
# "Laan van Meerdervoort 1024": the street word comes first.
_STREET_FIRST_WORDS = (
    "Laan ", "Plein ", "Weg ", "Kade ", "Singel ", "Dreef ", "Hof ", "Park ", "Markt ", "Ring ",
    "Dijk ", "Straat ", "Gracht ", "Plantsoen ", "Pad ", "Steeg ", "Wal ", "Erf ", "Baan ",
    "Burgwal ", "Boulevard ",
)  # fmt: skip
# Starts with the street word itself (no look-behind) so the search can skip ahead by letter.
_STREET_WORD_BEFORE = re.compile(
    r"(?:"
    + "|".join(w.strip() for w in _STREET_FIRST_WORDS)
    + r")[ \u00a0]+(?:(?:van|de|der|den|het|'t|’t|op|aan|in|"
    r"ten|ter|te|bij|achter|voor|over|tot|onder)[ \u00a0]+){0,3}(?:[^\W\d_]+[ \u00a0]+)?\Z"
)
_POSTCODE = re.compile(rf"[1-9][0-9]{{3}}{_SPACE}?([A-Z]{{2}})(?!\w)")
_POSTCODE_AFTER_STREET = re.compile(rf",?{_SPACE}{{0,2}}[1-9][0-9]{{3}}{_SPACE}?([A-Z]{{2}})(?!\w)")
# Two capitals after a four-digit number that are units or countries, not postcode letters.
_NOT_POSTCODE_LETTERS = frozenset({
    "SA", "SD", "SS", "KM", "CM", "MM", "KG", "MB", "GB", "TB", "KB", "NL", "BE", "EU", "UK", "US",
    "PM", "AM", "TV", "PC", "XL",
})  # fmt: skip


def _postcode_at(text: str, start: int, before: str) -> tuple[int, int] | None:
    if before in "€$.,/-":
        return None
    postcode = _POSTCODE.match(text, start)
    if postcode and postcode.group(1) not in _NOT_POSTCODE_LETTERS:
        return postcode.span()
    return None


def _street_may_end(text: str, space: int) -> bool:
    """A cheap first look: a word ends before the space in front of the number."""
    if space and text[space - 1] in " \u00a0":
        space -= 1
    return space > 0 and text[space - 1].isalpha()


def _street_address_at(text: str, start: int) -> tuple[int, int] | None:
    """A street with its house number at `start`: "Kerkstraat 12", "Laan van Meerdervoort 1024"."""
    street = _street_start(text, start)
    if street is None:
        return None
    number = _HOUSE_NUMBER.match(text, start)
    if number is None:
        return None
    if (
        number.group(1) is None
        and number.end() - start == 4
        and text.startswith(("19", "20"), start)
    ):
        return None  # "Kerstmarkt 2024" is a year
    return street, _with_postcode(text, number.end())


def _street_start(text: str, number_start: int) -> int | None:
    """Where the street name before a house number starts, or None when no street stands there."""
    word_end = number_start - 1
    if word_end and text[word_end - 1] in " \u00a0":
        word_end -= 1
    # Most words before a number are plain lower-case words ("groep 5", "om 10"): reject those
    # before walking back letter by letter.
    look_from = max(0, word_end - 40)
    word = text[max(look_from, text.rfind(" ", look_from, word_end) + 1) : word_end]
    if word[:1].islower() and word.isalpha():
        return None
    word_start = word_end
    while word_start and (text[word_start - 1].isalpha() or text[word_start - 1] == "-"):
        word_start -= 1
    if word_start == word_end or not text[word_start].isupper():
        return None
    if word_start and (text[word_start - 1].isalnum() or text[word_start - 1] in "_@#"):
        return None
    word = text[word_start:word_end].lower()
    if word.endswith(_STREET_SUFFIXES) and not (word.endswith("ering") and word[-5:] != "rring"):
        return word_start  # not "Kerstviering 3", but "Zuiderring 3"
    position = max(0, word_start - 48)
    while prefix := _STREET_WORD_BEFORE.search(text, position, word_start):
        if not prefix.start() or not (
            text[prefix.start() - 1].isalnum() or text[prefix.start() - 1] == "_"
        ):
            return prefix.start()
        position = prefix.start() + 1
    return None


def _with_postcode(text: str, end: int) -> int:
    """'Kerkstraat 12, 2511 AB' is one address."""
    postcode = _POSTCODE_AFTER_STREET.match(text, end)
    if postcode and postcode.group(1) not in _NOT_POSTCODE_LETTERS:
        return postcode.end()
    return end


# --- dates of birth ------------------------------------------------------------------------------

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|febr|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
)
_DATE = re.compile(
    rf"(?:(?P<day>[0-9]{{1,2}})(?P<mark>[-./])(?P<month>[0-9]{{1,2}})(?P=mark)(?P<year>[0-9]{{4}}|[0-9]{{2}})"
    rf"|(?P<iso_year>[0-9]{{4}})-(?P<iso_month>[0-9]{{2}})-(?P<iso_day>[0-9]{{2}})"
    rf"|(?P<text_day>[0-9]{{1,2}}){_SPACE}+(?P<text_month>{_MONTHS})\b\.?(?:{_SPACE}+(?P<text_year>[0-9]{{4}}))?)"
    r"(?!\w|[-./][0-9])",
    re.IGNORECASE,
)
_MONTH_INITIALS = frozenset("jfmasondJFMASOND")
# "geboren", "geboortedatum", "geb.", "jarig", "verjaardag", "verjaart", "birthday"; the first
# letter is matched on its own so the scan can skip ahead by letter.
_BIRTH_WORDS = re.compile(
    r"[gGjJvVbB](?:(?<=[gG])eb(?:oren|oorte|\.)|(?<=[jJ])arig|(?<=[vV])erjaar|(?<=[bB])irthday)"
)
_NAME_TO_DATE = re.compile(r"[ \u00a0,:(–-]{0,4}\Z")
_DATE_TO_NAME = re.compile(r"[ \u00a0,)–-]{0,4}\Z")


def _may_start_date(text: str, run_end: int) -> bool:
    """A cheap first look: "12-03…", "12.03…", "12/03…" or "12 m…" (a month)."""
    after = text[run_end : run_end + 2]
    return after[:1] in ("-", ".", "/") or (
        after[:1] in (" ", "\u00a0") and after[1:] in _MONTH_INITIALS
    )


_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"), ("februari", "febr", "feb"), ("maart", "mrt"), ("april", "apr"),
            ("mei",), ("juni", "jun"), ("juli", "jul"), ("augustus", "aug"),
            ("september", "sept", "sep"), ("oktober", "okt"), ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}  # fmt: skip


def _date_at(text: str, start: int, before: str) -> tuple[int, int, date | None] | None:
    """(start, end, the date) of a date at `start`; the date is None for a date without a year
    ("14 februari"). None when there is no real date there ("35-14-2020")."""
    if before in ".,/-:":
        return None
    found = _DATE.match(text, start)
    if found is None:
        return None
    if found.group("day"):
        day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
        if year < 100:
            year += 2000 if year < 50 else 1900
    elif found.group("iso_year"):
        day, month, year = int(found["iso_day"]), int(found["iso_month"]), int(found["iso_year"])
    else:  # "3 maart", "3 mrt. 2019"
        day, month = int(found["text_day"]), _MONTH_NUMBERS[found["text_month"].lower()]
        year = int(found["text_year"] or 0)
    try:
        when = date(year or 2000, month, day)  # 2000 has a 29 February
    except ValueError:
        return None
    return found.start(), found.end(), when if year else None


def _birth_dates(
    text: str, dates: list[tuple[int, int, date | None]], names: list[NameMatch], today: date
) -> Iterable[tuple[int, int]]:
    """The dates that are dates of birth: a date not in the future, in a sentence about being
    born, or about a birthday of a person ("Hij is jarig op 14 februari", not "Het boek
    Geboren … loopt tot 15-12-2026"), or right next to a register name with a year before this
    one ("Noor van Dijk (12-03-2017)")."""
    if not dates:
        return
    sentences: list[tuple[int, int]] = []
    for word in _BIRTH_WORDS.finditer(text):
        if not sentences or word.start() >= sentences[-1][1]:
            sentence = sentence_around(text, word.start(), word.end())
            # Only a person is born; a birthday may be the school's ("De school is jarig").
            born = word.group()[0] in "gG"
            if born or refers_to_person(text, sentence, names, name_first=True):
                sentences.append(sentence)
    for start, end, when in dates:
        if when is not None and when > today:
            continue  # a birthday to come is an event, not a date of birth
        inside = bisect_right(sentences, start, key=lambda sentence: sentence[0]) - 1
        if (inside >= 0 and end <= sentences[inside][1]) or (
            when is not None and when.year < today.year and _next_to_a_name(text, start, end, names)
        ):
            yield start, end


def _next_to_a_name(text: str, start: int, end: int, names: list[NameMatch]) -> bool:
    """Whether a name stands right before or after the date ("Noor van Dijk (12-03-2017)").

    `names` is in text order and does not overlap, so only the nearest name on each side counts.
    """
    after = bisect_left(names, end, key=lambda name: name.start)
    if after < len(names) and _DATE_TO_NAME.match(text, end, names[after].start):
        return True
    before = bisect_right(names, start, key=lambda name: name.end) - 1
    return before >= 0 and _NAME_TO_DATE.match(text, names[before].end, start) is not None


# --- e-mail addresses ----------------------------------------------------------------------------

_EMAIL_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.){1,8}[^\W\d_]{2,24}(?![\w-])")


def _email_spans(text: str, school_domains: tuple[str, ...]) -> Iterable[tuple[int, int]]:
    at = text.find("@")
    while at >= 0:
        local_start = at
        while local_start > max(0, at - 64) and (
            text[local_start - 1].isalnum() or text[local_start - 1] in "._+-"
        ):
            local_start -= 1
        while local_start < at and text[local_start] in ".-":
            local_start += 1
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        # "@noor@mastodon.nl" is a handle (pupil_accounts looks at those), not an address.
        is_handle = local_start > 0 and text[local_start - 1] in "@/"
        if local_start < at and domain and not is_handle:
            host = domain.group().lower()
            if not any(host == d or host.endswith("." + d) for d in school_domains):
                yield local_start, domain.end()
        at = text.find("@", domain.end() if domain else at + 1)


def _school_domains(ctx: CheckContext) -> tuple[str, ...]:
    return ctx.cached(
        "personal_data.school_domains",
        lambda: tuple(sorted({d.lower() for s in ctx.site.schools for d in s.email_domains})),
    )


# --- register names ------------------------------------------------------------------------------


# A detail that, with a first name, points at one child: "uit groep 5", "(groep 8)", "klas 2b",
# "van 5 jaar", "7 jaar oud".
_IDENTIFYING_DETAIL = re.compile(
    r"\b(?:groep|klas|stamgroep|unit|leerjaar)[ \u00a0]*[0-9]|\b[0-9]{1,2}[ \u00a0]*jaar\b",
    re.IGNORECASE,
)


_DETAIL_REACH = 80  # how far from the name, within its sentence, the detail is looked for


def _name_hit(name: NameMatch, text: str) -> Hit | None:
    if not name.full:
        # A first name alone is everyday text ("Emma en Sem hielpen mee"): it only points at one
        # pupil when no other pupil in the register has it and the sentence adds a detail that
        # narrows it down. Warning on every first name would make warnings meaningless.
        if len(name.people) != 1:
            return None
        start, end = sentence_around(text, name.start, name.end)
        start, end = max(start, name.start - _DETAIL_REACH), min(end, name.end + _DETAIL_REACH)
        if not _IDENTIFYING_DETAIL.search(text, start, end):
            return None
        return Hit(
            name.start,
            name.end,
            WARN,
            _(
                "Laat de voornaam of het detail weg: met de groep of leeftijd erbij is deze leerling te herkennen."
            ),
        )
    if any(p.role == PUPIL for p in name.people):
        return Hit(
            name.start,
            name.end,
            BLOCK,
            _("Haal de naam van deze leerling weg: noem leerlingen niet met hun volledige naam."),
        )
    if any(SOCIAL_MEDIA not in p.consented_purposes for p in name.people):
        return Hit(
            name.start,
            name.end,
            WARN,
            _(
                "Haal de naam weg of vraag eerst toestemming: deze persoon heeft geen toestemming gegeven voor sociale media."
            ),
        )
    return None
