"""Region, income group and EMDE status of every ISO 3166 country.

The published classification ships as data (data/countries.csv: the World Bank's regions and
income groups, EMDE as the IMF defines it; source, date and refresh in docs/countries.md). A
CountryProfile, where the Secretariat keeps one, overrides it. Filters use it in SQL: the
published values as short lists of codes, the profiles as sub-queries, so a filter costs no
query of its own and the lists stay right when a profile is added or edited.
"""

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Q
from django_countries import countries

DATA_FILE = Path(__file__).parent / "data" / "countries.csv"
FIELDS = ["code", "name", "region", "income_group", "emde", "basis"]
# A country neither the published data nor a profile classifies (Antarctica, or a code newer
# than the data file): a region of its own, so that every figure has a filter.
UNCLASSIFIED = "unclassified"
UNCLASSIFIED_LABEL = "Not classified"


@dataclass(frozen=True)
class Classification:
    region: str  # a CountryProfile.Region value, or UNCLASSIFIED
    income_group: str  # a CountryProfile.IncomeGroup value, or ""
    is_emde: bool
    source: str  # "World Bank", "supplement: ...", or "Country profile"


NONE = Classification(UNCLASSIFIED, "", False, "not classified")


@cache
def published() -> dict[str, Classification]:
    """The data file, read once per process."""
    with DATA_FILE.open(encoding="utf-8") as data:
        return {
            row["code"]: Classification(
                row["region"] or UNCLASSIFIED,
                row["income_group"],
                row["emde"] == "yes",
                row["basis"],
            )
            for row in csv.DictReader(data)
        }


@cache
def data_version() -> str:
    """Changes when the data file does (part of the dashboard's cache key)."""
    return hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:12]


def classify_all() -> dict[str, Classification]:
    """Every country's classification, profiles included (one query)."""
    from .models import CountryProfile

    result = dict(published())
    for code, region, income, emde in CountryProfile.objects.values_list(
        "country", "region", "income_group", "is_emde"
    ):
        result[code] = Classification(region, income, emde, "Country profile")
    return result


def classify(code: str) -> Classification:
    """One country's classification (one query)."""
    from .models import CountryProfile

    profile = CountryProfile.objects.filter(country=code).first()
    if profile is not None:
        return Classification(
            profile.region, profile.income_group, profile.is_emde, "Country profile"
        )
    return published().get(code, NONE)


def published_region(code: str) -> str:
    return published().get(code, NONE).region


def profile_region(field: str = "country"):
    """The region of the profile of the country in `field` (NULL without one), as a
    sub-query to annotate rows with."""
    from django.db.models import OuterRef, Subquery

    from .models import CountryProfile

    return Subquery(CountryProfile.objects.filter(country=OuterRef(field)).values("region")[:1])


def annotations(field: str = "country") -> dict:
    """Region, income group and EMDE status of the country in `field`, as query annotations
    (country_region, country_income_group, country_is_emde): the profile's where there is one,
    else the published classification, written into the query as lists of codes."""
    from django.db.models import BooleanField, Case, CharField, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce

    from .models import CountryProfile

    profile = CountryProfile.objects.filter(country=OuterRef(field))

    def published_as(attribute, output):
        groups: dict = {}
        for code, classification in published().items():
            groups.setdefault(getattr(classification, attribute), []).append(code)
        return Case(
            *[
                When(**{f"{field}__in": sorted(codes)}, then=Value(value))
                for value, codes in sorted(groups.items())
            ],
            default=Value(getattr(NONE, attribute)),
            output_field=output,
        )

    return {
        "country_region": Coalesce(
            Subquery(profile.values("region")[:1]), published_as("region", CharField())
        ),
        "country_income_group": Coalesce(
            Subquery(profile.values("income_group")[:1]),
            published_as("income_group", CharField()),
        ),
        "country_is_emde": Coalesce(
            Subquery(profile.values("is_emde")[:1]), published_as("is_emde", BooleanField())
        ),
    }


def _codes(test) -> list[str]:
    return sorted(code for code, c in published().items() if test(c))


def _unclassified_codes() -> list[str]:
    known = published()
    return sorted(code for code, _ in countries if known.get(code, NONE).region == UNCLASSIFIED)


def _match(field: str, profiles, codes: list[str]) -> Q:
    """`field` is a country whose profile matches, or which has no profile and whose
    published classification matches."""
    from .models import CountryProfile

    profiled = CountryProfile.objects.values("country")
    return Q(**{f"{field}__in": profiles.values("country")}) | (
        Q(**{f"{field}__in": codes}) & ~Q(**{f"{field}__in": profiled})
    )


def in_region(field: str, region: str) -> Q:
    """Rows whose country (`field`) lies in `region` (or is UNCLASSIFIED)."""
    from .models import CountryProfile

    if region == UNCLASSIFIED:
        return _match(field, CountryProfile.objects.none(), _unclassified_codes())
    return _match(
        field,
        CountryProfile.objects.filter(region=region),
        _codes(lambda c: c.region == region),
    )


def in_income_group(field: str, income_group: str) -> Q:
    from .models import CountryProfile

    return _match(
        field,
        CountryProfile.objects.filter(income_group=income_group),
        _codes(lambda c: c.income_group == income_group),
    )


def is_emde(field: str) -> Q:
    """Rows whose country is an emerging market or developing economy (exclude() it for the
    others: a country of unknown status counts as not EMDE)."""
    from .models import CountryProfile

    return _match(field, CountryProfile.objects.filter(is_emde=True), _codes(lambda c: c.is_emde))


def region_choices() -> list[tuple[str, str]]:
    from .models import CountryProfile

    return [*CountryProfile.Region.choices, (UNCLASSIFIED, UNCLASSIFIED_LABEL)]


def region_label(region: str) -> str:
    return dict(region_choices()).get(region, region)
