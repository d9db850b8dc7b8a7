"""Importing an export of 2,000 people (four purposes) into an empty register, against Python's csv
module just reading the same file. Budget: the import under 2 s."""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Result, median

PEOPLE = 2000
BUDGET_S = 2.0
FIRST_NAMES = ("Noor", "Daan", "Zoë", "Sem", "Anaïs", "Liam", "Fleur", "Mees", "Chloë", "Bram")
TUSSENVOEGSELS = ("", "", "", "de", "van", "van der", "ter")
LAST_NAMES = ("Bakker", "Jansen", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Dijkstra")
ANSWERS = ("ja", "nee", "", "x", "Geen toestemming", "wel toestemming")


def write_export(path: Path, people: int = PEOPLE) -> None:
    """A Windows-1252, semicolon-separated export as Excel on a Dutch laptop writes it."""
    rng = random.Random(2026)
    lines = [
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;"
        "Toestemming social media;Foto website;Nieuwsbrief;Schoolgids"
    ]
    for number in range(people):
        answers = ";".join(rng.choice(ANSWERS) for _ in range(4))
        lines.append(
            f"{100000 + number};{rng.choice(FIRST_NAMES)};{rng.choice(TUSSENVOEGSELS)};"
            f"{rng.choice(LAST_NAMES)};{rng.randint(1, 8)}{rng.choice('ab')};{answers}"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def run(repeat: int = 7) -> Result:
    from app.consent.csv_import import import_csv
    from app.site.config import load_site
    from app.store import Store

    site = load_site(None)
    folder = Path(tempfile.mkdtemp(prefix="postwijs-bench-consent-"))
    export = folder / "export.csv"
    write_export(export)
    now = datetime(2026, 9, 1, tzinfo=UTC)

    def read_only() -> None:
        with export.open(encoding="cp1252", newline="") as source:
            list(csv.reader(source, delimiter=";"))

    import_samples, read_samples = [], []
    try:
        for attempt in range(repeat):
            store = Store.open(folder / f"data-{attempt}")  # a fresh, empty register each time
            start = time.perf_counter()
            report = import_csv(store, site, export, "regenboog", by="bench", now=now)
            import_samples.append(time.perf_counter() - start)
            assert report.applied and len(report.merge.added) == PEOPLE, report.problems
            store.close()
            start = time.perf_counter()
            read_only()
            read_samples.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    took = median(import_samples)
    verdict = "within budget" if took <= BUDGET_S else "OVER BUDGET"
    return Result(
        f"consent import of {PEOPLE} people",
        took,
        "csv module reading the same file",
        median(read_samples),
        note=f"median {took * 1000:.0f} ms (budget {BUDGET_S * 1000:.0f} ms) {verdict}",
    )


if __name__ == "__main__":
    print(run().line())
