"""Issue 15, item 2: organisations and contacts as sections, and a missing organisation
created in place from any form that picks one."""

import datetime
import json

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from members.models import Contact, Organisation

from .factories import (
    AssistanceFactory,
    ContactFactory,
    EngagementFactory,
    FinancingFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    member = MemberFactory(organisation__name="SSAB", organisation__country="SE")
    former = MemberFactory(
        organisation__name="Former Co", left_on=datetime.date(2024, 1, 1)
    ).organisation
    bank = OrganisationFactory(name="European Investment Bank", org_type=40, country="LU")
    return member.organisation, former, bank


def names(response):
    return sorted(str(row) for row in response.context["object_list"])


def test_organisation_list_filters_by_type_country_and_membership(staff_client, orgs):
    assert names(staff_client.get("/organisations/?org_type=40")) == ["European Investment Bank"]
    assert names(staff_client.get("/organisations/?country=SE")) == ["Former Co", "SSAB"]
    assert names(staff_client.get("/organisations/?member=current")) == ["SSAB"]
    assert names(staff_client.get("/organisations/?member=former")) == ["Former Co"]
    assert names(staff_client.get("/organisations/?member=no")) == ["European Investment Bank"]
    page = staff_client.get("/organisations/?member=no")
    assert [(c["label"], c["value"]) for c in page.context["chips"]] == [("Member", "Not a member")]
    assertContains(staff_client.get("/organisations/"), "Current member")


def test_organisation_page_shows_what_it_takes_part_in(staff_client, orgs):
    ssab, _, bank = orgs
    ProjectFactory(name="HYBRIT demonstration", sponsor=ssab)
    FinancingFactory(project__name="Stegra Boden", provider=bank, amount_musd=250)
    AssistanceFactory(title="Feasibility study", provider=bank)
    EngagementFactory(title="Licence to India", provider=bank)
    ContactFactory(organisation=bank, name="Ana Focal", is_focal_point=True)
    page = staff_client.get(bank.get_absolute_url())
    for text in (
        "Not a member",
        "Financing it provides",
        "Stegra Boden",
        "Feasibility study",
        "Licence to India",
        "Ana Focal",
        "Focal point",
    ):
        assertContains(page, text)
    sponsor_page = staff_client.get(ssab.get_absolute_url())
    assertContains(sponsor_page, "HYBRIT demonstration")
    assertContains(sponsor_page, "Current member")


def test_contact_list_filters_by_organisation_and_focal_point(staff_client, orgs):
    ssab, _, bank = orgs
    ContactFactory(organisation=ssab, name="Sara", title="Head of sustainability")
    ContactFactory(organisation=bank, name="Ana", is_focal_point=True, title="Director")
    assert names(staff_client.get(f"/contacts/?organisation={ssab.pk}")) == ["Sara (SSAB)"]
    assert names(staff_client.get("/contacts/?focal_point=yes")) == [
        "Ana (European Investment Bank)"
    ]
    assert names(staff_client.get("/contacts/?role=sustainab")) == ["Sara (SSAB)"]
    assert names(staff_client.get("/contacts/?member=yes")) == ["Sara (SSAB)"]


def test_organisation_in_use_cannot_be_deleted(staff_client, orgs):
    _, _, bank = orgs
    FinancingFactory(provider=bank)
    response = staff_client.post(f"/organisations/{bank.pk}/delete/")
    assert response.status_code == 409
    assert Organisation.objects.filter(pk=bank.pk).exists()


def test_viewers_cannot_create_organisations_or_contacts(viewer_client, orgs):
    assert viewer_client.post("/organisations/new/", {"name": "X"}).status_code == 403
    assert viewer_client.post("/contacts/new/", {"name": "X"}).status_code == 403
    assert not Contact.objects.exists()


def test_navigation_links_to_the_new_sections(staff_client):
    html = staff_client.get("/").content.decode()
    assert 'href="/organisations/"' in html and 'href="/contacts/"' in html


# Creating an organisation in place -----------------------------------------------------------


def test_forms_that_pick_an_organisation_offer_to_create_one(staff_client):
    for url in ("/pipeline/new/", "/members/new/", "/engagements/new/", "/contacts/new/"):
        html = staff_client.get(url).content.decode()
        assert 'hx-get="/organisations/new/?dialog=id_' in html, url
        assert 'hx-target="#dialog"' in html and '<dialog id="dialog"' in html


def test_the_dialog_form_does_not_offer_a_dialog_of_its_own(staff_client):
    response = staff_client.get(
        "/organisations/new/?dialog=id_sponsor",
        headers={"HX-Request": "true", "HX-Target": "dialog"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="dialog-form"' in html and 'hx-target="#dialog-form"' in html
    assert 'hx-post="/organisations/new/?dialog=id_sponsor"' in html
    assert "New organisation" in html  # the dialog's title
    assert html.count("?dialog=") == 1  # no nested dialog for the parent field
    assert 'id="dialog_name"' in html and 'id="id_name"' not in html  # ids of its own


def test_organisation_created_in_the_dialog_is_sent_back_to_the_field(staff_client):
    response = staff_client.post(
        "/organisations/new/?dialog=id_sponsor",
        {"name": "Namibia Green Hydrogen Co", "org_type": "70", "country": "NA"},
        headers={"HX-Request": "true", "HX-Target": "dialog-form"},
    )
    assert response.status_code == 204
    organisation = Organisation.objects.get(name="Namibia Green Hydrogen Co")
    trigger = json.loads(response["HX-Trigger"])
    assert trigger == {
        "record-created": {
            "field": "id_sponsor",
            "value": organisation.pk,
            "label": "Namibia Green Hydrogen Co",
        }
    }


def test_invalid_organisation_in_the_dialog_stays_in_the_dialog(staff_client, orgs):
    response = staff_client.post(
        "/organisations/new/?dialog=id_sponsor",
        {"name": "SSAB", "org_type": "70"},
        headers={"HX-Request": "true", "HX-Target": "dialog-form"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="dialog-form"')
    assert "already exists" in html


def test_a_hostile_dialog_field_is_ignored(staff_client):
    response = staff_client.post(
        '/organisations/new/?dialog="><script>',
        {"name": "Plain Co", "org_type": "70"},
        headers={"HX-Request": "true", "HX-Target": "form"},
    )
    assert response.status_code == 200 and "HX-Redirect" in response
    assertNotContains(response, "<script>")


def test_viewers_get_no_create_link(staff_client, viewer_client):
    # Viewers never see the forms; the widget offers nothing to those who may not add.
    from django.contrib.auth import get_user_model

    from members.forms import ContactForm

    viewer = get_user_model().objects.get(username="vera")
    assert ContactForm(user=viewer)["organisation"].as_widget().count("New organisation") == 0
