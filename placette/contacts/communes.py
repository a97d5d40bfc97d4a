"""French communes from INSEE's official geographic code (COG), shipped as a compact data file.

Loaded once per process on first use (about 35,000 rows, a few MB). Nothing here is typed by a
user: an address stores the INSEE code and the names come from this table.
"""

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from placette.lib.text import normalize

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    region: str
    population: int
    siren: str
    epci: str

    @property
    def department_name(self) -> str:
        return departments().get(self.department, "")

    @property
    def region_name(self) -> str:
        return regions().get(self.region, "")

    @property
    def epci_name(self) -> str:
        return epcis().get(self.epci, ("", ""))[0]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.department})"


def _rows(name: str) -> list[dict[str, str]]:
    raw = gzip.decompress((DATA / f"{name}.tsv.gz").read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw), delimiter="\t"))


@cache
def communes() -> dict[str, Commune]:
    return {
        row["code"]: Commune(
            code=row["code"],
            name=row["name"],
            postcodes=tuple(row["postcodes"].split()),
            department=row["department"],
            region=row["region"],
            population=int(row["population"] or 0),
            siren=row["siren"],
            epci=row["epci"],
        )
        for row in _rows("communes")
    }


@cache
def departments() -> dict[str, str]:
    return {row["code"]: row["name"] for row in _rows("departements")}


@cache
def regions() -> dict[str, str]:
    return {row["code"]: row["name"] for row in _rows("regions")}


@cache
def epcis() -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["name"], row["kind"]) for row in _rows("epci")}


@cache
def _by_postcode() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes().values():
        for postcode in commune.postcodes:
            index.setdefault(postcode, []).append(commune)
    return index


@cache
def _by_name() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes().values():
        index.setdefault(normalize(commune.name), []).append(commune)
    return index


def commune_get(code: str) -> Commune | None:
    return communes().get((code or "").strip())


def communes_for_postcode(postcode: str) -> list[Commune]:
    return sorted(_by_postcode().get((postcode or "").strip(), []), key=lambda c: c.name)


def communes_search(text: str, limit: int = 20) -> list[Commune]:
    """Communes whose postcode or INSEE code starts with `text`, or whose name contains it."""
    text = (text or "").strip()
    if not text:
        return []
    if text.isdigit() or (len(text) >= 2 and text[:2].upper() in {"2A", "2B"}):
        found = [c for c in communes().values() if c.code.startswith(text.upper())]
        found += [
            c
            for c in communes().values()
            if any(p.startswith(text) for p in c.postcodes) and c not in found
        ]
        return sorted(found, key=lambda c: c.code)[:limit]
    key = normalize(text)
    exact = _by_name().get(key, [])
    starts = [c for n, cs in _by_name().items() if n.startswith(key) and n != key for c in cs]
    contains = [c for n, cs in _by_name().items() if key in n and not n.startswith(key) for c in cs]
    ranked = sorted(exact, key=lambda c: -c.population)
    ranked += sorted(starts, key=lambda c: -c.population)
    ranked += sorted(contains, key=lambda c: -c.population)
    return ranked[:limit]


def commune_resolve(postcode: str, name: str) -> Commune | None:
    """The one commune matching a postcode and a name (accents and case ignored), or None."""
    key = normalize(name).replace("-", " ")
    candidates = communes_for_postcode(postcode) if postcode else _by_name().get(key, [])
    matches = [c for c in candidates if normalize(c.name).replace("-", " ") == key]
    if not matches and postcode and len(candidates) == 1 and not key:
        return candidates[0]
    return matches[0] if len(matches) == 1 else None
