"""Benchmark: render decision letters with ``beoordeling.letters.render_letter``.

Renders N complete letters (default 1000) in memory, cycling through every
letter type, each with its own kenmerk, and prints letters per second per type
and overall. No database, no files written. Prints figures; never asserts.

    .venv/bin/python bench/bench_letters.py --n 1000
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from beoordeling.letters import (  # noqa: E402
    LetterContent,
    LetterType,
    register_fonts,
    render_letter,
)

BASE = LetterContent(
    letter_type=LetterType.VERLENING,
    sender="Wijkbureau Overvecht",
    contact_name="Joëlle van den Berg",
    contact_phone="14 030",
    contact_email="wijkbureau.overvecht@utrecht.nl",
    addressee_name="Stichting Buurtcafé De Ontmoeting",
    addressee_address=("Zamenhofdreef 12", "3562 JW Utrecht"),
    date_sent=date(2026, 11, 23),
    kenmerk="D2026-000000",
    application_reference="IF-2026-0000",
    application_title="Ideeën-café Overvecht",
    received_on=date(2026, 10, 2),
    complete_on=date(2026, 10, 9),
    requested_cents=306250,
    awarded_cents=245000,
    activity_description="Elke maand een ideeën-café voor buurtbewoners.",
    activity_start=date(2027, 1, 15),
    activity_end=date(2027, 12, 31),
    scheme_name="Initiatievenfonds",
    legal_basis="Nadere regel Initiatievenfonds Utrecht, artikel 5",
    motivation=(
        "Uw activiteit is in het belang van de buurt.",
        "Impactscore 68 van 100, plaats 4 van 23.",
    ),
    obligations=(
        "U voert de activiteiten uit in 2027.",
        "U meldt wijzigingen meteen aan het wijkbureau.",
        "U bewaart de bonnen en facturen 7 jaar.",
    ),
    accountability="Wij stellen de subsidie ambtshalve vast in het voorjaar van 2028.",
    payment="Wij betalen € 2.450,00 als voorschot op NL** **** **** **34 56.",
    signatory_function="de manager Wijkbureau Overvecht",
)
NO_GRANT = {"awarded_cents": 0, "obligations": (), "accountability": "", "payment": ""}


def content_for(letter_type: LetterType, index: int) -> LetterContent:
    """A complete letter of the given type with a unique kenmerk."""
    changes: dict = {
        "letter_type": letter_type,
        "kenmerk": f"D2026-{index:06d}",
        "application_reference": f"IF-2026-{index:04d}",
    }
    if letter_type is not LetterType.VERLENING:
        changes |= NO_GRANT
    if letter_type is LetterType.BUITEN_BEHANDELING:
        changes["complete_on"] = None
    return dataclasses.replace(BASE, **changes)


def run(n: int = 1000) -> list[dict]:
    """Render n letters round-robin over the types; one result row per type + all."""
    started = time.perf_counter()
    register_fonts()
    font_seconds = time.perf_counter() - started

    # The letters on an application; those after the award: bench_vaststelling.py.
    types = [t for t in LetterType if not t.after_award]
    contents = [content_for(types[i % len(types)], i) for i in range(n)]
    seconds = dict.fromkeys(types, 0.0)
    sizes = dict.fromkeys(types, 0)
    counts = dict.fromkeys(types, 0)
    pages: dict[LetterType, int] = {}
    for content in contents:
        t0 = time.perf_counter()
        pdf = render_letter(content)
        elapsed = time.perf_counter() - t0
        kind = content.letter_type
        seconds[kind] += elapsed
        sizes[kind] += len(pdf)
        counts[kind] += 1
        if kind not in pages:
            pages[kind] = len(PdfReader(io.BytesIO(pdf)).pages)

    rows = []
    for kind in types:
        if counts[kind]:
            rows.append(_row(kind.value, counts[kind], seconds[kind], sizes[kind]))
            rows[-1]["pages"] = pages[kind]
    total = _row("alle", n, sum(seconds.values()), sum(sizes.values()))
    total["font_registration_s"] = round(font_seconds, 3)
    rows.append(total)
    return rows


def _row(name: str, count: int, seconds: float, size: int) -> dict:
    return {
        "type": name,
        "letters": count,
        "seconds": round(seconds, 3),
        "letters_per_second": round(count / seconds, 1) if seconds else None,
        "ms_per_letter": round(1000 * seconds / count, 2) if count else None,
        "avg_kib": round(size / count / 1024, 1) if count else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="letters to render")
    args = parser.parse_args()
    rows = run(args.n)
    print(
        f"{'type':<28}{'letters':>8}{'pages':>6}{'s':>9}{'letters/s':>11}"
        f"{'ms/letter':>11}{'KiB':>7}"
    )
    for row in rows:
        print(
            f"{row['type']:<28}{row['letters']:>8}{row.get('pages', ''):>6}"
            f"{row['seconds']:>9.2f}{row['letters_per_second']:>11.1f}"
            f"{row['ms_per_letter']:>11.2f}{row['avg_kib']:>7.1f}"
        )
    total = rows[-1]
    print(
        f"font registration (once per process): {total['font_registration_s']} s; "
        f"{total['letters_per_second']} letters per second overall"
    )


if __name__ == "__main__":
    main()
