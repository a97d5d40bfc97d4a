"""Regenerate placette/contacts/data/*.tsv.gz from the npm package @etalab/decoupage-administratif.

The package is the official COG (Code officiel géographique) of INSEE, published by Etalab
under the MIT licence. We ship only a compact derived data file so that Placette runs without
Node.js. Usage (needs npm):

    python scripts/build_communes.py            # fetches the pinned version with `npm pack`
    python scripts/build_communes.py DIR        # uses an already extracted package/ folder
"""

import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "6.0.0"
OUT = Path(__file__).resolve().parent.parent / "placette" / "contacts" / "data"


def fetch() -> Path:
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(
        ["npm", "pack", f"@etalab/decoupage-administratif@{VERSION}"], cwd=tmp, check=True
    )
    archive = next(tmp.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "package"


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 keeps the file byte-identical when the data did not change.
    (OUT / f"{name}.tsv.gz").write_bytes(gzip.compress(buffer.getvalue().encode(), mtime=0))


def main() -> None:
    package = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch()
    data = package / "data"
    load = lambda name: json.loads((data / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    epci_of: dict[str, str] = {}
    epcis = []
    for epci in load("epci"):
        epcis.append([epci["code"], epci["nom"], epci["type"], len(epci["membres"])])
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
    communes = []
    for c in load("communes"):
        if c["type"] not in {"commune-actuelle", "arrondissement-municipal"}:
            continue
        communes.append(
            [
                c["code"],
                c["nom"],
                " ".join(c.get("codesPostaux", [])),
                c.get("departement", ""),
                c.get("region", ""),
                c.get("population") or 0,
                c.get("siren", ""),
                epci_of.get(c["code"], epci_of.get(c.get("commune", ""), "")),
                c.get("commune", ""),
            ]
        )
    write(
        "communes",
        [
            "code",
            "name",
            "postcodes",
            "department",
            "region",
            "population",
            "siren",
            "epci",
            "parent",
        ],
        communes,
    )
    write("epci", ["code", "name", "kind", "members"], epcis)
    write(
        "departements",
        ["code", "name", "region"],
        [[d["code"], d["nom"], d["region"]] for d in load("departements")],
    )
    write("regions", ["code", "name"], [[r["code"], r["nom"]] for r in load("regions")])
    print(f"{len(communes)} communes, {len(epcis)} EPCI → {OUT}")


if __name__ == "__main__":
    main()
