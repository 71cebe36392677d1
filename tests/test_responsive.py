"""Pages that read well at any scale (issue 19): compact figures with their exact value at hand,
one scale per chart, abbreviations explained, and list markup for phone cards and "Sort by".
What only a browser shows (overflow, cards, the filters panel) is in
tests/e2e/test_responsive_browser.py.
"""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertInHTML

from leadit.sections.templatetags.sections import compact, figure
from partnerships import dashboard as figures
from partnerships.models import Project

from .factories import ProjectFactory, StageChangeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "kind", "shown", "exact"),
    [
        (35261804811, "quantity", "35.3 bn", "35,261,804,811 t CO2e/yr"),
        (9312, "money", "9.3 bn", "9,312 USD m"),  # money is recorded in USD m
        (850, "money", "850 m", "850 USD m"),
        (45, "money", "45 m", "45 USD m"),
        (2_000_000, "money", "2 tn", "2,000,000 USD m"),
        (999_960_000, "quantity", "1 bn", "999,960,000 t CO2e/yr"),  # not "1,000 m"
        (999_999, "quantity", "999,999", "999,999 t CO2e/yr"),
        # Under a million, money still reads in millions, as the other rows of its chart do.
        (0.8, "money", "0.8 m", "0.8 USD m"),
        (0.05, "money", "0.05 m", "0.05 USD m"),
        (0.96, "money", "1 m", "0.96 USD m"),
        (0.004, "money", "< 0.01 m", "&lt; 0.01 USD m"),
        (0, "money", "0", "0 USD m"),
    ],
)
def test_compact_figures_keep_the_exact_value_in_the_title(value, kind, shown, exact):
    html = str(compact(value, kind))
    assert f'title="{exact}"' in html
    unit = "USD" if kind == "money" else "t CO2e/yr"
    # A no-break space holds "35.3 bn" together; the unit may wrap below it.
    assert unescape(re.sub(r"<[^>]+>", "", html)).replace("\xa0", " ") == f"{shown} {unit}"


def test_counts_and_undisclosed_figures():
    assert compact(20000, "count") == "20,000"
    assert "not disclosed" in str(compact(None, "money"))
    assert figure({"count": 20000}, "count") == "20,000"
    assert str(figure({"capex": 9312}, "capex", "money")) == (
        '<span class="compact" title="9,312 USD m">9.3\xa0bn</span>'
    )


def test_fid_and_operational_bars_share_one_scale():
    """919 projects operational must not draw as long as 2,065 reaching FID: here 1 and 2."""
    year = datetime.date(2024, 5, 1)
    for _ in range(2):
        StageChangeFactory(to_stage=Project.Stage.FID, changed_on=year)
    StageChangeFactory(to_stage=Project.Stage.OPERATIONAL, changed_on=year)
    (row,) = figures.milestones_per_year()
    assert (row["fid"], row["operational"]) == (2, 1)
    assert (row["fid_share"], row["operational_share"]) == (100, 50)


def test_dashboard_shows_big_figures_compact_with_separators(staff_client, monkeypatch):
    call_command("loaddata", "leadit", verbosity=0)
    monkeypatch.setattr(
        figures,
        "milestones_per_year",
        lambda: figures.with_bars(
            [
                {
                    "year": 2026,
                    "fid": 2065,
                    "operational": 919,
                    "fid_url": "/",
                    "operational_url": "/",
                }
            ],
            "fid",
            "operational",
            shared=True,
        ),
    )
    cache.clear()
    response = staff_client.get("/")
    html = response.content.decode()
    # Thousands separators on the FID-per-year counts, and one scale for the two bars.
    assert '<span class="bars__value">2,065</span>' in html
    assert '<span class="bars__value">919</span>' in html
    assert 'width="44.5"' in html  # 919 / 2,065
    # The demo pipeline's capex (9,347 USD m) reads 9.3 bn USD, exact in the title; the
    # key figure links to the pipeline, whose summary shows the exact sum.
    assertInHTML(
        '<span class="compact" title="9,347 USD m">9.3\xa0bn <span class="unit">'
        '<abbr title="US dollars">USD</abbr></span></span>',
        html,
    )
    assertContains(response, '<a href="/pipeline/">Total capex</a>', html=True)
    pipeline = staff_client.get("/pipeline/")
    assertContains(pipeline, "9,347")


def test_every_row_of_a_money_chart_reads_in_one_compact_format(staff_client):
    """A stage holding USD 0.8 m reads "0.8 m" beside "803 m", not "800,000"."""
    ProjectFactory(stage=Project.Stage.IDENTIFIED, capex_musd=803)
    ProjectFactory(stage=Project.Stage.PAUSED, capex_musd=Decimal("0.8"))
    cache.clear()
    html = staff_client.get("/").content.decode()
    chart = html.split("Capex by stage", 1)[1].split("</figure>", 1)[0]
    shown = re.findall(r'<span class="bars__value"><span class="compact"[^>]*>([^<]*)<', chart)
    assert shown == ["803\xa0m", "0.8\xa0m"]


def test_every_abbreviation_on_the_dashboard_is_explained(staff_client):
    call_command("loaddata", "leadit", verbosity=0)
    response = staff_client.get("/")
    html = response.content.decode()
    legend = html[html.index('id="legend-heading"') :]
    for short, long in [
        ("n.d.", "not disclosed"),
        ("EMDE", "emerging market and developing economies"),
        ("FID", "final investment decision"),
        ("USD m", "million US dollars"),
        ("t CO2e/yr", "tonnes of CO2 equivalent per year"),
    ]:
        assert f'<abbr title="{long}">{short}</abbr>' in html, short
        assert f">{short}</abbr>" in legend, short
    # Wherever the short forms appear as text, they are inside an <abbr> that explains them.
    text_outside_abbr = re.sub(r"<abbr [^>]*>.*?</abbr>", "", html)
    for short in ("n.d.", "USD m", "t CO2e"):
        assert f">{short}" not in text_outside_abbr and f" {short}<" not in text_outside_abbr


def test_pipeline_rows_carry_their_phone_card_places_and_a_sort_by_control(staff_client):
    ProjectFactory(name="Alpha plant")
    response = staff_client.get("/pipeline/?sort=-capex_musd")
    html = response.content.decode()
    # Cards on phones: name, stage, sponsor, country, capex, gap, commissioning; sector and
    # abatement stay on the wide table.
    assertInHTML(
        '<td class="card-2" data-label="Stage">'
        '<span class="badge badge-identified">Identified</span></td>',
        html,
    )
    assert 'class="num card-6" data-label="Gap (USD m)"' in html
    assert 'class="num card-7" data-label="Commissioning year"' in html
    assert 'class="card-off" data-label="Sector"' in html
    # "Sort by" stands in for the column headers, on the current sort.
    assertInHTML(
        '<option value="-capex_musd" selected>Capex, largest first</option>', html, count=1
    )
    assertInHTML('<option value="name">Project, A to Z</option>', html, count=1)
    assert 'id="sort-by" data-sort-select' in html  # sets the form's sort (leadit.js)
    assert html.count('name="sort"') == 1  # one sort value sent with the filters
