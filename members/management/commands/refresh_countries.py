"""Rebuild members/data/countries.csv from the World Bank's official classification.

    manage.py refresh_countries CLASS.xlsx     # the "List of economies" workbook, or
    manage.py refresh_countries country.json   # api.worldbank.org/v2/country?format=json

See docs/countries.md for where to download them and what to check before committing.
"""

import csv
import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

from members.countries import DATA_FILE, FIELDS

REGIONS = {
    "East Asia & Pacific": "east_asia_pacific",
    "Europe & Central Asia": "europe_central_asia",
    "Latin America & Caribbean": "latin_america_caribbean",
    "Middle East & North Africa": "middle_east_north_africa",
    # The World Bank's name for the region since July 2025 (FY2026).
    "Middle East, North Africa, Afghanistan & Pakistan": "middle_east_north_africa",
    "North America": "north_america",
    "South Asia": "south_asia",
    "Sub-Saharan Africa": "sub_saharan_africa",
}
INCOME = {
    "Low income": "low",
    "Lower middle income": "lower_middle",
    "Upper middle income": "upper_middle",
    "High income": "high",
}
# World Bank codes that are not ISO 3166 codes.
WB_CODES = {"CHI": ("GG", "JE"), "JG": ("GG", "JE")}  # Channel Islands

# IMF, World Economic Outlook (April 2025), Statistical Appendix, Table A: the 41 advanced
# economies. EMDE = every other economy, except those in ASSOCIATED.
ADVANCED = {
    "AD",
    "AU",
    "AT",
    "BE",
    "CA",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HK",
    "IS",
    "IE",
    "IL",
    "IT",
    "JP",
    "KR",
    "LV",
    "LT",
    "LU",
    "MO",
    "MT",
    "NL",
    "NZ",
    "NO",
    "PT",
    "PR",
    "SM",
    "SG",
    "SK",
    "SI",
    "ES",
    "SE",
    "CH",
    "TW",
    "GB",
    "US",
}
# Economies the World Economic Outlook does not cover that are parts of, or in monetary union
# with, an advanced economy: they take its status (not EMDE).
ASSOCIATED = {
    **dict.fromkeys(["GL", "FO"], "DK"),
    **dict.fromkeys(
        ["AI", "BM", "FK", "GG", "GI", "GS", "IM", "IO", "JE", "KY", "PN", "TC", "VG"], "GB"
    ),
    **dict.fromkeys(["AS", "GU", "MP", "UM", "VI"], "US"),
    **dict.fromkeys(["BL", "GF", "GP", "MC", "MF", "MQ", "NC", "PF", "PM", "RE", "TF", "YT"], "FR"),
    **dict.fromkeys(["BQ", "CW", "SX"], "NL"),
    **dict.fromkeys(["AX"], "FI"),
    **dict.fromkeys(["BV", "SJ"], "NO"),
    **dict.fromkeys(["CC", "CX", "HM", "NF"], "AU"),
    **dict.fromkeys(["CK"], "NZ"),
    **dict.fromkeys(["LI"], "CH"),
    **dict.fromkeys(["VA"], "IT"),
}
# ISO 3166 codes the World Bank does not classify. Inhabited places: region by geography (as the
# World Bank places their neighbours), income group of the administering state, except the
# territories on the OECD DAC list of ODA recipients (upper-middle income). Uninhabited places:
# region and income group of the administering state. Antarctica: not classified.
SUPPLEMENT = {
    "AI": ("latin_america_caribbean", "high", "British territory; income group of GB"),
    "AX": ("europe_central_asia", "high", "part of Finland"),
    "BL": ("latin_america_caribbean", "high", "French collectivity; income group of FR"),
    "BQ": ("latin_america_caribbean", "high", "part of the Netherlands"),
    "BV": ("europe_central_asia", "high", "uninhabited; as Norway"),
    "CC": ("east_asia_pacific", "high", "Australian territory"),
    "CK": ("east_asia_pacific", "high", "free association with NZ; income group of NZ"),
    "CX": ("east_asia_pacific", "high", "Australian territory"),
    "EH": ("middle_east_north_africa", "lower_middle", "as Morocco, which administers most of it"),
    "FK": ("latin_america_caribbean", "high", "British territory; income group of GB"),
    "GF": ("latin_america_caribbean", "high", "French overseas department"),
    "GP": ("latin_america_caribbean", "high", "French overseas department"),
    "GS": ("europe_central_asia", "high", "uninhabited; as the United Kingdom"),
    "HM": ("east_asia_pacific", "high", "uninhabited; as Australia"),
    "IO": ("europe_central_asia", "high", "no permanent population; as the United Kingdom"),
    "MQ": ("latin_america_caribbean", "high", "French overseas department"),
    "MS": ("latin_america_caribbean", "upper_middle", "British territory; OECD DAC ODA recipient"),
    "NF": ("east_asia_pacific", "high", "Australian territory"),
    "NU": ("east_asia_pacific", "upper_middle", "free association with NZ; OECD DAC ODA recipient"),
    "PM": ("north_america", "high", "French collectivity; income group of FR"),
    "PN": ("east_asia_pacific", "high", "British territory; income group of GB"),
    "RE": ("sub_saharan_africa", "high", "French overseas department"),
    "SH": ("sub_saharan_africa", "upper_middle", "British territory; OECD DAC ODA recipient"),
    "SJ": ("europe_central_asia", "high", "part of Norway"),
    "TF": ("europe_central_asia", "high", "uninhabited; as France"),
    "TK": ("east_asia_pacific", "upper_middle", "New Zealand territory; OECD DAC ODA recipient"),
    "TW": ("east_asia_pacific", "high", "'Taiwan, China' in CLASS.xlsx; not in the API"),
    "UM": ("north_america", "high", "uninhabited; as the United States"),
    "VA": ("europe_central_asia", "high", "enclave in Rome; income group of IT"),
    "WF": ("east_asia_pacific", "upper_middle", "French collectivity; OECD DAC ODA recipient"),
    "YT": ("sub_saharan_africa", "high", "French overseas department"),
}
NOT_CLASSIFIED = {"AQ"}  # Antarctica: no economy, no permanent population


def read_worldbank(path: Path) -> dict[str, tuple[str, str]]:
    """ISO3 (or World Bank) code -> (region name, income group name) of each economy."""
    if path.suffix == ".json":
        data = json.loads(path.read_text())
        rows = data[1] if isinstance(data, list) else data
        return {
            (row.get("id") or row["iso2Code"]): (
                row["region"]["value"],
                row["incomeLevel"]["value"],
            )
            for row in rows
            if row["region"]["value"] != "Aggregates"
        }
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["List of economies"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c else "" for c in next(rows)]
    at = {name: header.index(name) for name in ("Code", "Region", "Income group")}
    return {
        row[at["Code"]]: (row[at["Region"]] or "", row[at["Income group"]] or "")
        for row in rows
        if row and row[at["Code"]] and row[at["Region"]]  # groups have no region
    }


def build(path: Path) -> tuple[list[dict], list[str]]:
    economies = read_worldbank(path)
    classified: dict[str, tuple[str, str, str]] = {}
    problems = []
    for code, (region, income) in economies.items():
        iso2s = WB_CODES.get(code) or (countries.alpha2(code),)
        if not iso2s[0]:
            continue  # Kosovo (XKX) and aggregates have no ISO 3166 code
        if region not in REGIONS:
            problems.append(f"{code}: unknown region {region!r}")
            continue
        for iso2 in iso2s:
            classified[iso2] = (REGIONS[region], INCOME.get(income, ""), "World Bank")
    rows = []
    for iso2, name in sorted(countries, key=lambda c: c[0]):
        if iso2 in classified:
            region, income, basis = classified[iso2]
            if not income and iso2 in SUPPLEMENT:
                income = SUPPLEMENT[iso2][1]
            elif not income:
                problems.append(f"{iso2}: the World Bank gives no income group")
        elif iso2 in SUPPLEMENT:
            region, income, note = SUPPLEMENT[iso2]
            basis = f"supplement: {note}"
        elif iso2 in NOT_CLASSIFIED:
            region, income, basis = "", "", "not classified"
        else:
            problems.append(f"{iso2} ({name}): not in the World Bank's list nor in SUPPLEMENT")
            continue
        if not region:
            emde = ""
        else:
            emde = "no" if iso2 in ADVANCED or iso2 in ASSOCIATED else "yes"
        rows.append(
            {
                "code": iso2,
                "name": str(name),
                "region": region,
                "income_group": income,
                "emde": emde,
                "basis": basis,
            }
        )
    return rows, problems


class Command(BaseCommand):
    help = "Rebuild members/data/countries.csv from the World Bank's CLASS.xlsx or API JSON."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="CLASS.xlsx or the World Bank API JSON")
        parser.add_argument("--output", type=Path, default=DATA_FILE)

    def handle(self, source: Path, output: Path, **options):
        if not source.exists():
            raise CommandError(f"{source} does not exist")
        rows, problems = build(source)
        if problems:
            raise CommandError("Fix SUPPLEMENT or the mappings first:\n" + "\n".join(problems))
        with output.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        self.stdout.write(
            f"{len(rows)} countries written to {output} on {datetime.date.today()}; "
            "update the source and date in docs/countries.md."
        )
