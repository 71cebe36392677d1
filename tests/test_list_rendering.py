"""What issue 18's rendering work restructured (goal 1: a list's results no slower than their
SQL) still behaves as before: each request's filters and filter form are its own, the table's
header links keep the other parameters, and record links are the records' pages."""

import datetime
import re

import pytest
from django.test import RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from leadit.sections.registry import sections
from partnerships.filtersets import ProjectFilterSet
from partnerships.models import Project

from . import factories

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def per_page_options(html: str) -> list[str]:
    select = re.search(r'<select name="per_page".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_a_filter_form_s_choices_and_errors_stay_with_its_request(staff_client):
    """One request's page size offered from its link, and its errors, are not in the next
    request's form (the forms share their class's option lists, never their fields)."""
    factories.ProjectFactory(name="Green steel")
    odd = staff_client.get("/pipeline/", {"per_page": "7", "capex_min": "lots"})
    assert odd.status_code == 422
    assert "7" in per_page_options(odd.content.decode())
    assertContains(odd, "Enter a number.", status_code=422)

    plain = staff_client.get("/pipeline/")
    assert plain.status_code == 200
    assert per_page_options(plain.content.decode()) == ["", "50", "100", "200"]
    assertNotContains(plain, "Enter a number.")
    assertNotContains(plain, "Some filters are not valid")
    assertContains(plain, "Green steel")


def test_the_empty_options_read_any_in_every_request(staff_client):
    for _ in range(2):
        html = staff_client.get("/pipeline/").content.decode()
        assert '<option value="" selected>Any region</option>' in html
        assert '<option value="" selected>Any</option>' in html
        assert "---------" not in html


def test_each_filterset_s_filters_answer_to_it():
    """Two FilterSets of one class built one after the other: each filter's method reads its
    own FilterSet (here the pair 'reached' + 'reached in' reads its own form)."""
    early = factories.ProjectFactory(name="Early")
    late = factories.ProjectFactory(name="Late")
    factories.StageChangeFactory(project=early, changed_on=datetime.date(2021, 3, 1))
    factories.StageChangeFactory(
        project=late, to_stage=Project.Stage.CONSTRUCTION, changed_on=datetime.date(2023, 3, 1)
    )
    request = RequestFactory().get("/")
    request.user = None
    by_year = ProjectFilterSet({"reached_year": "2021"}, Project.objects.all(), request=request)
    by_stage = ProjectFilterSet(
        {"reached": "construction", "reached_year": "2023"}, Project.objects.all(), request=request
    )
    assert list(by_year.qs.values_list("name", flat=True)) == ["Early"]
    assert list(by_stage.qs.values_list("name", flat=True)) == ["Late"]
    # The class's own filters are never given a request's FilterSet.
    assert not any(hasattr(f, "parent") for f in ProjectFilterSet.base_filters.values())


def test_sort_links_keep_the_other_parameters_and_start_on_page_one(staff_client):
    factories.ProjectFactory.create_batch(3)
    html = staff_client.get(
        "/pipeline/",
        {"stage": ["identified", "feasibility"], "from": "a b&c", "page": "1", "sort": "name"},
        headers=HTMX,
    ).content.decode()
    # Sorted by name: its header sorts the other way, the others ascending; parameters in
    # name order, the page left out.
    headers = re.findall(r'aria-sort="(\w+)">\s*<a href="([^"]*)" data-sort="([^"]*)"', html)
    assert headers[0] == (
        "ascending",
        "?from=a+b%26c&amp;sort=-name&amp;stage=identified&amp;stage=feasibility",
        "-name",
    )
    assert (
        "none",
        "?from=a+b%26c&amp;sort=capex_musd&amp;stage=identified&amp;stage=feasibility",
        "capex_musd",
    ) in headers


def test_a_descending_sort_is_announced_and_flips_back(staff_client):
    factories.ProjectFactory.create_batch(2)
    html = staff_client.get("/pipeline/", {"sort": "-capex_musd"}, headers=HTMX).content.decode()
    headers = re.findall(r'aria-sort="(\w+)">\s*<a href="([^"]*)" data-sort="([^"]*)"', html)
    assert ("descending", "?sort=capex_musd", "capex_musd") in headers
    assert ("none", "?sort=name", "name") in headers


def test_a_list_s_record_links_are_the_records_pages(staff_client):
    """Each row links to its own record's page, the URL reversed once per list: the same as
    each record's get_absolute_url."""
    projects = factories.ProjectFactory.create_batch(3)
    html = staff_client.get("/pipeline/", headers=HTMX).content.decode()
    links = re.findall(r'<th scope="row"[^>]*>.*?<a href="([^"]*)">([^<]*)</a></th>', html, re.S)
    assert sorted(links) == sorted((p.get_absolute_url(), p.name) for p in projects)


@pytest.mark.parametrize("section", sections(), ids=lambda section: section.name)
def test_every_section_s_records_link_to_their_detail_page(section):
    """The tables link a record by its section's detail page with the id put in
    (leadit.sections.tables.TableRows.link); that is what every model's get_absolute_url
    gives."""
    from leadit.sections.registry import url_of

    from .sections import FACTORIES

    record = FACTORIES[section.name]()
    assert url_of(section.model, "detail", record.pk) == record.get_absolute_url()


@pytest.mark.parametrize("url", [f"/{section.prefix}/" for section in sections()])
def test_the_review_queue_filter_never_fails_a_list(staff_client, url):
    """?unverified_months=6 on a list whose records have no verified date (contacts) was a
    500; it is offered only where it applies, and ignored elsewhere."""
    response = staff_client.get(url, {"unverified_months": "6"})
    assert response.status_code == 200
    has_date = "unverified_months" in response.context["filter"].filters
    model = response.context["filter"]._meta.model
    assert has_date == any(f.name == "last_verified_on" for f in model._meta.get_fields())
