"""A list's one Columns control (includes/column_control.html, leadit.sections.views): every
column the user may see offered, the shown ones ticked; the view's columns in its link
(`columns=`, to share); "Save as my default" and "Reset to default" for the user's own columns on
any computer (leadit.sections.models.ColumnChoice). What only a browser shows is in
tests/e2e/test_columns_browser.py."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leadit.sections.models import ColumnChoice

from .factories import EngagementFactory, MemberFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LIST = "partnerships:project_list"


def choose(client, columns, next_url="/pipeline/", list_name=LIST, **more):
    return client.post(
        "/columns/", {"list": list_name, "columns": columns, "next": next_url, **more}
    )


def head(response) -> list[str]:
    """The table's column headers, as a reader sees them."""
    html = response.content.decode()
    thead = html.split("<thead>")[1].split("</thead>")[0]
    thead = re.sub(r'<span class="unit">.*?</span>', "", thead, flags=re.S)  # "Capex", no unit
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", thead, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def control(response) -> str:
    html = response.content.decode()
    return html.split("data-column-control>")[1].split("</details>")[0]


def offered(response) -> list[str]:
    return re.findall(r'name="columns" value="([^"]+)" data-column-choice', control(response))


def ticked(response) -> list[str]:
    return re.findall(
        r'name="columns" value="([^"]+)" data-column-choice checked', control(response)
    )


STANDARD = ["Project", "Sponsor", "Country", "Sector", "Stage", "Capex", "Gap", "Abatement"]


def test_one_control_offers_every_column_the_shown_ones_ticked(staff_client):
    ProjectFactory(name="Alpha plant")
    response = staff_client.get("/pipeline/")
    names = offered(response)
    # The list's own columns first, in their order, then every other declared one.
    assert names[:9] == [
        "name",
        "sponsor",
        "country",
        "sector",
        "stage",
        "capex_musd",
        "financing_gap_musd",
        "abatement_tco2e",
        "commissioning_year",
    ]
    assert {"specific_equipment", "country_region", "working_group"} <= set(names[9:])
    assert "id" not in names
    assert ticked(response) == names[:9]
    html = control(response)
    assert "More columns" in html and "Save as my default" in html
    assert "The list's standard columns." in html and "Reset to default" not in html
    # The project's name is always shown: its box cannot be unticked.
    assert 'value="name" data-column-choice checked disabled> Project' in html
    # One control: nothing about columns in the filters form but the view's own state.
    page = response.content.decode()
    assert "Add columns" not in page and "hidden)" not in page
    assert page.count("data-column-control") == 1


def test_the_link_names_the_columns_and_the_control_follows_it(staff_client):
    ProjectFactory(name="Alpha plant", stage="identified")
    query = {"columns": ["name", "stage", "country_region"], "stage": "identified", "sort": "name"}
    response = staff_client.get("/pipeline/", query)
    assert head(response) == ["Project", "Stage", "Region"]
    assert ticked(response) == ["name", "stage", "country_region"]
    assert "Not saved: the page's link keeps these columns." in control(response)
    # The filters form carries them, so a filter or a sort keeps the view's columns.
    page = response.content.decode()
    state = page.split("data-columns-state hidden>")[1].split("</span>")[0]
    assert re.findall(r'name="columns" value="([^"]+)"', state) == [
        "name",
        "stage",
        "country_region",
    ]
    # The htmx answer (the list's own request) has the table and the control, updated.
    fragment = staff_client.get(
        "/pipeline/", query, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert fragment.content.decode().lstrip().startswith('<section id="results"')
    assert head(fragment) == ["Project", "Stage", "Region"]
    assert ticked(fragment) == ["name", "stage", "country_region"]
    # An old link naming a column that is no more still opens, without it.
    assert head(staff_client.get("/pipeline/", {"columns": ["name", "nonsense"]})) == ["Project"]
    # One naming nothing the list has (emptied by hand, all of it stale): the standard table.
    standard = head(staff_client.get("/pipeline/"))
    for columns in ([""], ["nonsense"]):
        assert head(staff_client.get("/pipeline/", {"columns": columns})) == standard


def test_a_column_is_offered_once_whatever_its_names(staff_client):
    """The contacts' Organisation is the declared `organisation` column; the organisations'
    Type is `org_type`: each once in the control, so it cannot be shown twice."""
    from .factories import ContactFactory

    ContactFactory()
    for path, label in (("/contacts/", "Organisation"), ("/organisations/", "Type")):
        html = control(staff_client.get(path))
        labels = re.findall(r"data-column-choice[^>]*>\s*([^<(]+?)\s*[<(]", html)
        assert labels.count(label) == 1, (path, labels)
        assert "Organisation type" not in labels, labels


def test_save_as_my_default_opens_the_list_that_way_on_any_computer(
    staff_client, viewer_client, secretariat_user
):
    ProjectFactory(name="Alpha plant", specific_equipment="Shaft furnace")
    columns = ["name", "stage", "capex_musd", "specific_equipment"]
    response = choose(staff_client, columns, "/pipeline/?stage=identified&columns=name&sort=name")
    assert response.status_code == 303
    # Back to the list, filters and sort kept; no columns in the link: the list opens so.
    assert response["Location"] == "/pipeline/?stage=identified&sort=name"
    page = staff_client.get("/pipeline/")
    assert head(page) == ["Project", "Stage", "Capex", "Specific equipment"]
    assert "Shaft furnace" in page.content.decode()
    assert ticked(page) == columns
    assert "Your saved columns." in control(page) and "Reset to default" in control(page)
    assert ColumnChoice.objects.get(user=secretariat_user, list_name=LIST).shown == columns[1:]
    # Another user's list is untouched, and the CSV still has every column.
    assert head(viewer_client.get("/pipeline/"))[:8] == STANDARD
    export = b"".join(staff_client.get("/pipeline/export.csv").streaming_content)
    assert b"Abatement" in export.splitlines()[0] and b"Sector" in export.splitlines()[0]
    # The choice is the user's, not the browser's: it is there on a fresh log-in elsewhere.
    elsewhere = Client()
    elsewhere.force_login(secretariat_user)
    assert head(elsewhere.get("/pipeline/")) == ["Project", "Stage", "Capex", "Specific equipment"]
    # A link with its own columns still shows those (a view shared by someone else).
    shared = elsewhere.get("/pipeline/", {"columns": ["name", "sector"]})
    assert head(shared) == ["Project", "Sector"]
    assert "Not saved" in control(shared)


def test_reset_to_default_forgets_the_saved_columns(staff_client, secretariat_user):
    ProjectFactory(name="Alpha plant")
    choose(staff_client, ["name", "stage"])
    assert head(staff_client.get("/pipeline/")) == ["Project", "Stage"]
    response = choose(staff_client, [], "/pipeline/?sector=steel&columns=name", reset="1")
    assert response.status_code == 303
    assert response["Location"] == "/pipeline/?sector=steel"
    page = staff_client.get("/pipeline/")
    assert head(page)[:8] == STANDARD
    assert "The list's standard columns." in control(page)
    assert not ColumnChoice.objects.filter(user=secretariat_user).exists()
    elsewhere = Client()
    elsewhere.force_login(secretariat_user)
    assert head(elsewhere.get("/pipeline/"))[:8] == STANDARD


def test_a_choice_saved_before_one_control_still_opens_the_list(secretariat_user):
    """Rows from the wide-screen chooser hid some of the list's own columns by their keys."""
    ProjectFactory(name="Alpha plant")
    ColumnChoice.objects.create(
        user=secretariat_user, list_name=LIST, hidden=["sector", "abatement_tco2e"]
    )
    client = Client()
    client.force_login(secretariat_user)
    page = client.get("/pipeline/")
    assert head(page) == ["Project", "Sponsor", "Country", "Stage", "Capex", "Gap", "Comm."]
    assert "Your saved columns." in control(page)
    # And one on a list whose column key is not its name (members: organisation.country).
    MemberFactory()
    ColumnChoice.objects.create(
        user=secretariat_user, list_name="members:member_list", hidden=["organisation.country"]
    )
    client.force_login(secretariat_user)
    assert "Country" not in head(client.get("/members/"))


def test_unknown_columns_and_lists_are_refused_with_a_message(staff_client):
    ProjectFactory(name="Alpha plant")
    response = choose(staff_client, ["name", "password", "id"])
    assert response.status_code == 422
    assert response.content.decode() == "No such column: id, password."
    lists = ("", "dashboard", "partnerships:project_detail", "partnerships:project_export_csv")
    for name in (*lists, "nowhere:at_all"):
        response = choose(staff_client, ["name"], list_name=name)
        assert response.status_code == 422, name
        assert response.content.decode() == "No such list."
    assert not ColumnChoice.objects.exists()
    # Only ever back to the same list.
    assert choose(staff_client, ["name"], "https://evil.example/")["Location"] == "/pipeline/"
    assert choose(staff_client, ["name"], "/members/")["Location"] == "/pipeline/"
    choose(staff_client, [])  # even with nothing ticked, the project name stays
    assert head(staff_client.get("/pipeline/")) == ["Project"]
    assert staff_client.get("/columns/").status_code == 405


def test_saving_columns_needs_a_login_a_reader_and_csrf(client, viewer_client, db):
    assert choose(client, ["name"]).status_code == 302  # to the log-in page
    viewer_client.handler.enforce_csrf_checks = True
    assert choose(viewer_client, ["name"]).status_code == 403
    assert choose(viewer_client, [], reset="1").status_code == 403
    assert not ColumnChoice.objects.exists()


def test_a_viewer_is_neither_offered_nor_given_internal_columns(
    staff_client, viewer_client, secretariat_user
):
    EngagementFactory(title="Kiln retrofit", owner=secretariat_user, notes="Ask Karin")
    viewer_page = viewer_client.get("/engagements/")
    assert not {"owner", "notes"} & set(offered(viewer_page))
    assert {"owner", "notes"} <= set(offered(staff_client.get("/engagements/")))
    # Saving one anyway is refused like any unknown column, and nothing is kept.
    response = choose(
        viewer_client, ["title", "notes"], "/engagements/", "partnerships:engagement_list"
    )
    assert response.status_code == 422
    assert response.content.decode() == "No such column: notes."
    assert not ColumnChoice.objects.exists()


def test_saved_columns_cost_the_list_no_query(staff_client, viewer_client):
    ProjectFactory.create_batch(3)

    def queries(client, **query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/pipeline/", query).status_code == 200
        return len(captured)

    queries(staff_client)  # the filters' options, cached from the first page on
    before = queries(staff_client)
    choose(staff_client, ["name", "sponsor", "country", "stage", "capex_musd"])
    assert queries(staff_client) == before  # the session's copy, not the table
    choose(staff_client, ["name", "stage", "specific_equipment", "reached_fid"])
    assert queries(staff_client) == before  # added plain fields: still the page's one query
    queries(viewer_client)
    assert queries(viewer_client) == queries(viewer_client, columns=["name", "stage"])


def test_a_column_a_reader_adds_shows_on_the_phone_card_after_the_lists_own(staff_client):
    """Phones show each row as a card of the list's card_columns; a column the reader added
    comes after them (a column of the list's own that its card leaves out stays off it)."""
    ProjectFactory(name="Alpha plant", specific_equipment="Shaft furnace")
    query = {"columns": ["name", "sector", "specific_equipment", "stage"]}
    html = staff_client.get("/pipeline/", query).content.decode()
    assert 'class="card-8" data-label="Specific equipment">Shaft furnace</td>' in html
    assert 'class="card-off" data-label="Sector"' in html
    assert 'class="card-2" data-label="Stage"' in html
