"""Money (USD million) reads one way wherever a person reads it: on pages and their totals, in
the History, in proposals and their e-mails, in filter chips and on the dashboard; shares of an
amount read as whole percents. Files keep plain numbers (tests/test_data_exchange.py)."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from leadit.proposals.models import Proposal
from leadit.sections.formatting import format_value, money, money_text, share_text
from partnerships.forms import ProjectForm, StageChangeForm

from .factories import FinancingFactory, OrganisationFactory, ProjectFactory
from .test_editing import edit_data
from .test_proposals import post_data, run_worker

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """What a reader sees of some markup: tags gone, entities read, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# The formatter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1200.00"), "1,200"),
        (Decimal("1200.5"), "1,200.5"),
        (Decimal("1200.50"), "1,200.5"),
        (Decimal("0.05"), "0.05"),
        (Decimal("0.80"), "0.8"),
        (Decimal("1234.567"), "1,234.57"),
        (Decimal("1234.565"), "1,234.57"),  # half up, as people round
        (Decimal("1234567.89"), "1,234,567.89"),
        (Decimal("0.004"), "< 0.01"),  # positive, but 0 at two decimals
        (Decimal("0.005"), "0.01"),
        (Decimal("0"), "0"),
        (Decimal("0.00"), "0"),
        (0, "0"),
        (1200, "1,200"),
        (0.05, "0.05"),  # a float by its shortest text, not 0.05000000000000000277
        ("1200", "1,200"),  # a proposal keeps decimals as text
        ("1200.5", "1,200.5"),
        (None, "not disclosed"),
        ("", "not disclosed"),
    ],
)
def test_money_text_reads_with_separators_at_most_two_decimals_and_no_trailing_zeros(value, shown):
    assert money_text(value) == shown


def test_money_on_pages_is_the_same_text_with_not_disclosed_marked_up():
    assert money(Decimal("1200.00")) == "1,200"
    assert money(Decimal("0.001")) == "< 0.01"
    assert money(None) == '<span class="nd">not disclosed</span>'
    assert format_value(Decimal("1200.00"), "money", "html") == "1,200"
    assert format_value(Decimal("0.001"), "money", "html") == "< 0.01"


def test_files_keep_plain_machine_readable_amounts():
    assert format_value(Decimal("1200.00"), "money", "text") == "1200.00"
    assert format_value(Decimal("0.001"), "money", "text") == "0.001"
    assert format_value(Decimal("1200.00"), "money", "excel") == 1200.0


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (Decimal("45"), Decimal("100"), "45 %"),
        (Decimal("1"), Decimal("3"), "33 %"),
        (Decimal("2"), Decimal("3"), "67 %"),
        (Decimal("0.4"), Decimal("100"), "< 1 %"),  # not "0 %": some is secured
        (Decimal("0.5"), Decimal("100"), "1 %"),
        (Decimal("0"), Decimal("100"), "0 %"),
        (Decimal("100"), Decimal("100"), "100 %"),
        (Decimal("5"), Decimal("0"), ""),  # no share of nothing
        (Decimal("5"), None, ""),
    ],
)
def test_shares_read_in_whole_percents_and_under_one_percent_says_so(part, whole, shown):
    assert share_text(part, whole) == shown


# Where people read amounts ------------------------------------------------------------------


def test_history_shows_a_stored_amount_as_pages_do(staff_client):
    project = ProjectFactory(name="Kiln 7", capex_musd=Decimal("0.80"))
    url = f"/pipeline/{project.pk}/edit/"
    assert (
        staff_client.post(url, edit_data(staff_client.get(url), capex_musd="1200.00")).status_code
        == 302
    )
    project.refresh_from_db()
    assert project.capex_musd == Decimal("1200.00")

    html = staff_client.get(f"/pipeline/{project.pk}/history/").content.decode()
    row = html[html.index("Capex (USD million)</th>") :].split("</tr>", 1)[0]
    assert text_of(row) == "Capex (USD million) 0.8 1,200"
    assert "1200.00" not in html and "0.80" not in html
    # The record page says the same.
    page = staff_client.get(project.get_absolute_url()).content.decode()
    assert '<span class="figure">1,200</span>' in page


def test_a_proposal_shows_a_proposed_amount_as_pages_do(make_focal_point, staff_client):
    company = OrganisationFactory(name="Acme Steel")
    project = ProjectFactory(name="Green Mill", sponsor=company, capex_musd=Decimal("950.50"))
    focal = Client()
    user = make_focal_point(company)
    focal.force_login(user)
    data = post_data(ProjectForm, project, user, capex_musd="1200.00")
    assert focal.post(f"/pipeline/{project.pk}/propose/", data).status_code == 302
    proposal = Proposal.objects.get()

    for page in (
        staff_client.get(proposal.get_absolute_url()),  # the proposal, to decide
        staff_client.get("/proposals/"),  # the review queue
        focal.get("/proposals/"),  # the proposer's own list
    ):
        html = page.content.decode()
        diff = html[html.index('class="data-table proposal-diff"') :].split("</table>", 1)[0]
        assert "<td" in diff
        cells = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", diff, re.S)]
        # When proposed, proposed, now.
        assert cells[-3:] == ["950.5", "1,200", "950.5"], cells
        assert "1200" not in diff and "950.50" not in diff


def propose_capex(make_focal_point, *, now: str, proposed: str) -> Proposal:
    """A focal point of the sponsor proposes a new capex for a project whose capex is `now`."""
    company = OrganisationFactory(name="Acme Steel")
    project = ProjectFactory(sponsor=company, capex_musd=Decimal(now))
    user = make_focal_point(company)
    focal = Client()
    focal.force_login(user)
    data = post_data(ProjectForm, project, user, capex_musd=proposed)
    assert focal.post(f"/pipeline/{project.pk}/propose/", data).status_code == 302
    return Proposal.objects.get()


def test_a_proposal_stored_before_reads_its_amounts_as_pages_do(make_focal_point, staff_client):
    """A proposal made before amounts were written this way keeps its stored text ("1200");
    its page writes the amounts from the stored values."""
    proposal = propose_capex(make_focal_point, now="100", proposed="1200")
    proposal.changes["capex_musd"].update(old_display="100.00", new_display="1200")
    proposal.save()

    html = staff_client.get(proposal.get_absolute_url()).content.decode()
    diff = html[html.index('class="data-table proposal-diff"') :].split("</table>", 1)[0]
    assert '<td class="history__new" data-label="Proposed">1,200</td>' in diff
    assert '<td class="history__old" data-label="When proposed">100</td>' in diff


def test_the_mail_about_a_proposal_writes_amounts_as_pages_do(make_focal_point, settings):
    settings.SECRETARIAT_EMAIL = "secretariat@leadit.example"
    propose_capex(make_focal_point, now="0.05", proposed="1200.00")
    run_worker()
    [sent] = mail.outbox
    assert "Capex (USD million): 0.05 -> 1,200" in sent.body


def test_pipeline_totals_and_money_filter_chips_write_amounts_as_cells_do(staff_client):
    ProjectFactory(name="Kiln A", capex_musd=Decimal("1200.25"))
    ProjectFactory(name="Kiln B", capex_musd=Decimal("0.25"))
    html = staff_client.get("/pipeline/", {"capex_min": "0.2", "capex_max": "1500.50"}).content
    html = html.decode()
    totals = text_of(html[html.index('<dl class="totals">') :].split("</dl>", 1)[0])
    assert "Capex 1,200.5 USD m" in totals  # the exact sum, not rounded to 1,200
    chips = text_of(html[html.index('<ul class="chips"') :].split("</ul>", 1)[0])
    assert "Capex from (USD m): 0.2" in chips
    assert "Capex to (USD m): 1,500.5" in chips and "1500.50" not in chips
    assert ">1,200.25<" in html and ">0.25<" in html
    # A filter is shown as it applies: 'at least 0.005' is not '0.01' (nor '< 0.01').
    html = staff_client.get("/pipeline/", {"gap_min": "0.005", "capex_min": "1234.5678"})
    chips = text_of(html.content.decode().split('<ul class="chips"')[1].split("</ul>", 1)[0])
    assert "(USD m): 0.005" in chips and "(USD m): 1,234.5678" in chips


def test_the_secured_share_under_one_percent_is_not_zero(staff_client):
    project = ProjectFactory(capex_musd=Decimal("1000"))
    FinancingFactory(project=project, amount_musd=Decimal("3"))
    html = staff_client.get(project.get_absolute_url()).content.decode()
    share = text_of(html[html.index('<p class="secured-share">') :].split("</p>", 1)[0])
    assert share == "Secured share of capex < 1 % < 1 %"  # the meter's text and the label


def test_the_dashboard_s_exact_figures_write_amounts_as_pages_do(staff_client):
    ProjectFactory(capex_musd=Decimal("1200.50"))
    cache.clear()
    html = staff_client.get("/").content.decode()
    assert 'title="1,200.5 USD m"' in html


def test_the_fid_question_names_a_sought_tranche_s_amount_as_pages_do():
    project = ProjectFactory(stage="financing")
    tranche = FinancingFactory(
        project=project,
        provider=OrganisationFactory(name="Bank"),
        status="sought",
        amount_musd=Decimal("1200.00"),
    )
    form = StageChangeForm(project=project, initial={"changed_on": datetime.date.today()})
    assert form.fields[f"tranche_{tranche.pk}"].label.endswith("(1,200 USD m)")
