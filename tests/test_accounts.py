"""Password reset by email for every user, and inviting members' focal points (leadit.accounts):
the flows end to end with the outbox, who may invite, and hostile input."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from leadit.roles import FOCAL_POINT, SECRETARIAT
from leadit.sections.ownership import organisations_of
from members.models import FocalPoint

from .background import committed, run_queued_tasks
from .factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-password-2026"


def link_in(message) -> str:
    [link] = re.findall(r"http://testserver(/accounts/\S+)", message.body)
    return link


def set_password(client, link, password=PASSWORD):
    """Follow a mailed link (it moves the token into the session) and post the new password."""
    response = client.get(link)
    assert response.status_code == 302  # to the same page without the token in the address
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def the_link_works(link) -> bool:
    response = Client().get(link, follow=True)
    return 'name="new_password1"' in response.content.decode()


def later(days: float):
    """Token checks `days` from now."""
    moment = datetime.datetime.now() + datetime.timedelta(days=days)
    return mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=moment)


# --- Password reset -----------------------------------------------------------------------------


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user(
        "ana", email="ana@example.org", password="the-old-password-2025"
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


def ask_for_reset(client, email):
    with committed():
        response = client.post("/accounts/password/reset/", {"email": email})
    run_queued_tasks()
    return response


def test_the_login_page_offers_a_password_reset(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in html
    assert client.get("/accounts/password/reset/").status_code == 200


def test_password_reset_end_to_end(client, officer):
    response = ask_for_reset(client, "ANA@example.org")  # any case
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Your username: ana" in message.body
    link = link_in(message)
    assert link.startswith("/accounts/password/reset/")
    response = set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/complete/"
    assert "Log in" in client.get("/accounts/password/reset/complete/").content.decode()
    # Not logged in by the reset: the login (and its throttling) is the only way in.
    assert client.get("/pipeline/").status_code == 302
    response = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not the_link_works(link)  # once only


def test_the_answer_is_the_same_whether_the_address_has_an_account_or_not(client, officer):
    known = ask_for_reset(Client(), "ana@example.org")
    unknown = ask_for_reset(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    sent = Client().get(known["Location"]).content.decode()
    assert "If an account has this address" in sent
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_the_reset_link_expires_after_a_few_days(client, officer, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600
    ask_for_reset(client, "ana@example.org")
    link = link_in(mail.outbox[0])
    with later(days=2.9):
        assert the_link_works(link)
    with later(days=3.1):
        response = Client().get(link, follow=True)
        assert "This link no longer works" in response.content.decode()


def test_the_new_password_must_pass_the_validators(client, officer):
    ask_for_reset(client, "ana@example.org")
    response = set_password(client, link_in(mail.outbox[0]), password="password")
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password("the-old-password-2025")


def test_asking_again_and_again_sends_one_mail(client, officer):
    for _ in range(5):
        ask_for_reset(client, "ana@example.org")
    assert len(mail.outbox) == 1


def test_no_reset_mail_for_a_deactivated_account(client, officer):
    officer.is_active = False
    officer.save()
    assert ask_for_reset(client, "ana@example.org").status_code == 302
    assert mail.outbox == []


def test_a_reset_does_not_lift_a_login_lockout(client, officer):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    ask_for_reset(attacker, "ana@example.org")
    set_password(attacker, link_in(mail.outbox[0]))
    response = attacker.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 429


def test_the_reset_form_checks_csrf(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    assert response.status_code == 403


# --- Inviting focal points ----------------------------------------------------------------------


@pytest.fixture
def company():
    return MemberFactory(organisation__name="Acme Steel").organisation


def invite(client, **data):
    with committed():
        response = client.post("/focal-points/invite/", data)
    run_queued_tasks()
    return response


def test_invitation_end_to_end(staff_client, secretariat_user, company):
    page = staff_client.get("/focal-points/invite/")
    assert page.status_code == 200
    assert "Send the invitation" in page.content.decode()
    response = invite(
        staff_client, name="Fiona Ferreira", email="Fiona@Acme.example", organisations=[company.pk]
    )
    assert response.status_code == 302 and response["Location"] == "/focal-points/"
    focal_point = FocalPoint.objects.get()
    user = focal_point.user
    assert (user.username, user.email, user.first_name) == (
        "fiona@acme.example",
        "fiona@acme.example",
        "Fiona Ferreira",
    )
    assert not user.has_usable_password()  # no way in before the link
    assert list(user.groups.values_list("name", flat=True)) == [FOCAL_POINT]
    assert focal_point.invited_by == secretariat_user and focal_point.invited_at

    [message] = mail.outbox
    assert message.to == ["fiona@acme.example"]
    assert "focal point of Acme Steel" in message.body
    assert "log in with your username: fiona@acme.example" in message.body
    link = link_in(message)
    assert link.startswith("/accounts/welcome/")

    visitor = Client()
    response = visitor.get(link, follow=True)
    assert "Welcome to LeadIT Tracker" in response.content.decode()
    response = set_password(visitor, link)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    login_page = visitor.get("/accounts/login/").content.decode()
    assert "Your password is set" in login_page

    response = visitor.post(
        "/accounts/login/", {"username": "fiona@acme.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200  # the dashboard, as a focal point
    assert response.context["user"] == user
    assert organisations_of(user) == {company.pk}
    assert not the_link_works(link)

    listing = staff_client.get("/focal-points/").content.decode()
    assert "Fiona Ferreira" in listing and "Password set" in listing and "Acme Steel" in listing


def test_the_invitation_expires_after_a_few_days(staff_client, company):
    invite(staff_client, name="Fiona", email="fiona@acme.example", organisations=[company.pk])
    link = link_in(mail.outbox[0])
    with later(days=3.1):
        assert not the_link_works(link)
    assert "Invited, no password yet" in staff_client.get("/focal-points/").content.decode()
    four_days_ago = timezone.now() - datetime.timedelta(days=4)
    FocalPoint.objects.update(invited_at=four_days_ago)
    assert "Invitation expired" in staff_client.get("/focal-points/").content.decode()


def test_an_invitation_the_mail_server_refused_shows_on_the_list(staff_client, company, settings):
    settings.EMAIL_BACKEND = "tests.test_mail.FailingBackend"
    settings.MAIL_ATTEMPTS = 1
    invite(staff_client, name="Fiona", email="fiona@acme.example", organisations=[company.pk])
    listing = staff_client.get("/focal-points/").content.decode()
    assert "Invitation not delivered" in listing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    focal_point = FocalPoint.objects.get()
    with committed():
        staff_client.post(f"/focal-points/{focal_point.pk}/invite-again/")
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert "Invited, no password yet" in staff_client.get("/focal-points/").content.decode()


def test_sending_the_invitation_again_ends_the_earlier_link(staff_client, company):
    invite(staff_client, name="Fiona", email="fiona@acme.example", organisations=[company.pk])
    first = link_in(mail.outbox[0])
    focal_point = FocalPoint.objects.get()
    with committed():
        response = staff_client.post(f"/focal-points/{focal_point.pk}/invite-again/")
    run_queued_tasks()
    assert response.status_code == 302
    second = link_in(mail.outbox[1])
    assert not the_link_works(first)
    assert the_link_works(second)


def test_an_invitee_who_asks_for_a_password_reset_gets_the_invitation_again(staff_client, company):
    """Django mails nothing to an account without a password: the invitation comes again,
    and the page answers as for any address."""
    invite(staff_client, name="Fiona", email="fiona@acme.example", organisations=[company.pk])
    first = link_in(mail.outbox[0])
    invitee = ask_for_reset(Client(), "Fiona@Acme.example")
    unknown = ask_for_reset(Client(), "nobody@example.org")
    assert invitee.status_code == unknown.status_code == 302
    assert invitee["Location"] == unknown["Location"] == "/accounts/password/reset/sent/"
    [_, again] = mail.outbox
    assert again.to == ["fiona@acme.example"] and again.subject == "Your account on LeadIT Tracker"
    assert "focal point of Acme Steel" in again.body
    link = link_in(again)
    assert link.startswith("/accounts/welcome/")
    assert not the_link_works(first) and the_link_works(link)
    # As a reset: one mail however often it is asked for; none once deactivated.
    ask_for_reset(Client(), "fiona@acme.example")
    assert len(mail.outbox) == 2
    user = FocalPoint.objects.get().user
    user.is_active = False
    user.save()
    cache.clear()  # the one-mail interval over
    ask_for_reset(Client(), "fiona@acme.example")
    assert len(mail.outbox) == 2


def test_a_deactivated_focal_point_cannot_log_in_nor_be_invited_again(
    staff_client, make_focal_point, company
):
    user = make_focal_point(company)
    user.email = "fiona@acme.example"
    user.save()
    session = Client()
    session.force_login(user)
    assert session.get("/").status_code == 200
    focal_point = user.focal_point
    response = staff_client.post(f"/focal-points/{focal_point.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert session.get("/").status_code == 302  # their session ends
    assert "Deactivated" in staff_client.get("/focal-points/").content.decode()
    with committed():
        staff_client.post(f"/focal-points/{focal_point.pk}/invite-again/")
    run_queued_tasks()
    assert mail.outbox == []
    staff_client.post(f"/focal-points/{focal_point.pk}/active/", {"active": "1"})
    user.refresh_from_db()
    assert user.is_active


def test_editing_a_focal_point_s_organisations(staff_client, make_focal_point, company):
    other = OrganisationFactory(name="Nordic Bank")
    focal_point = make_focal_point(company).focal_point
    url = f"/focal-points/{focal_point.pk}/edit/"
    assert "Acme Steel" in staff_client.get(url).content.decode()
    data = {"organisations": [company.pk, other.pk], "loaded_version": focal_point.version}
    assert staff_client.post(url, data).status_code == 302
    assert set(focal_point.organisations.values_list("name", flat=True)) == {
        "Acme Steel",
        "Nordic Bank",
    }
    stale = staff_client.post(url, {**data, "organisations": [other.pk]})
    assert stale.status_code == 409
    assert "Someone changed" in stale.content.decode()
    assert focal_point.organisations.count() == 2


@pytest.mark.parametrize("role", ["viewer", "focal point"])
def test_only_the_secretariat_invites(role, viewer_client, make_focal_point, company):
    if role == "viewer":
        client = viewer_client
    else:
        client = Client()
        client.force_login(make_focal_point(company))
    assert client.get("/focal-points/").status_code == 403
    assert client.get("/focal-points/invite/").status_code == 403
    response = invite(client, name="Eve", email="eve@example.org", organisations=[company.pk])
    assert response.status_code == 403
    assert not FocalPoint.objects.filter(user__email="eve@example.org").exists()
    assert mail.outbox == []
    menu = client.get("/").context["navigation"]
    assert "Focal points" not in {link["label"] for p in menu for link in p["links"]}


def test_the_menu_offers_focal_points_to_the_secretariat(staff_client):
    menu = staff_client.get("/").context["navigation"]
    assert "Focal points" in {link["label"] for p in menu for link in p["links"]}


def test_inviting_checks_csrf(secretariat_user, company):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    data = {"name": "Eve", "email": "eve@example.org", "organisations": [company.pk]}
    assert client.post("/focal-points/invite/", data).status_code == 403
    focal_point_htmx = client.post(
        "/focal-points/invite/", data, headers={"HX-Request": "true", "HX-Target": "form"}
    )
    assert focal_point_htmx.status_code == 403
    assert not FocalPoint.objects.exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": "a@b.c\r\nBcc: x@evil.example"}, "email", "Enter a valid email address."),
        ({"email": "a" * 140 + "@example.org"}, "email", "at most 150 characters"),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "Fi\x00ona"}, "name", "Null characters are not allowed."),
        ({"name": "Fi\x0bona"}, "name", "invisible control character"),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
        ({"organisations": []}, "organisations", "This field is required."),
        ({"organisations": ["99999999999999999999999"]}, "organisations", "valid choice"),
        ({"organisations": ["1 OR 1=1"]}, "organisations", "valid choice"),
    ],
)
def test_bad_invitations_are_refused_with_a_message(staff_client, company, data, field, message):
    good = {"name": "Fiona", "email": "fiona@acme.example", "organisations": [company.pk]}
    response = invite(staff_client, **{**good, **data})
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not FocalPoint.objects.exists() and mail.outbox == []


def test_an_address_is_invited_once(staff_client, company):
    data = {"name": "Fiona", "email": "fiona@acme.example", "organisations": [company.pk]}
    assert invite(staff_client, **data).status_code == 302
    again = invite(staff_client, **{**data, "email": "FIONA@acme.example"})
    assert again.status_code == 422
    assert "already a focal point" in again.content.decode()
    assert FocalPoint.objects.count() == 1 and len(mail.outbox) == 1


def test_an_account_with_another_role_is_not_taken_over(staff_client, viewer_user, company):
    viewer_user.email = "vera@example.org"
    viewer_user.save()
    response = invite(
        staff_client, name="Vera", email="vera@example.org", organisations=[company.pk]
    )
    assert response.status_code == 422
    assert "another role" in response.content.decode()
    assert not FocalPoint.objects.exists()
    assert list(viewer_user.groups.values_list("name", flat=True)) == ["Viewer"]


def test_a_deactivated_account_is_not_revived_by_an_invitation(
    staff_client, django_user_model, company
):
    django_user_model.objects.create_user("old", email="old@acme.example", is_active=False)
    data = {"name": "Old", "email": "old@acme.example", "organisations": [company.pk]}
    response = invite(staff_client, **data)
    assert response.status_code == 422
    assert "deactivated account" in response.content.decode()
    assert not FocalPoint.objects.exists()


def test_the_list_of_focal_points_costs_the_same_queries_for_more_rows(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import FocalPointFactory, UserFactory

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get("/focal-points/").status_code == 200
        return len(queries)

    FocalPointFactory(invited_by=UserFactory())
    few = count()
    for _ in range(5):
        FocalPointFactory(
            invited_by=UserFactory(), organisations=[OrganisationFactory(), OrganisationFactory()]
        )
    assert count() == few <= 10


def test_an_account_without_a_role_becomes_the_focal_point(
    staff_client, django_user_model, company
):
    norah = django_user_model.objects.create_user(
        "norah", email="norah@acme.example", password="her-own-password-2024"
    )
    data = {"name": "N", "email": "norah@acme.example", "organisations": [company.pk]}
    response = invite(staff_client, **data)
    assert response.status_code == 302
    norah.refresh_from_db()
    assert norah.focal_point.organisations.get() == company
    assert norah.check_password("her-own-password-2024")  # untouched until she uses the link
    assert "your username: norah" in mail.outbox[0].body


def test_html_in_a_name_is_escaped_in_the_mail_and_the_pages(staff_client, company):
    name = "<script>alert(1)</script> <b>Fiona</b>"
    assert (
        invite(
            staff_client, name=name, email="fiona@acme.example", organisations=[company.pk]
        ).status_code
        == 302
    )
    body = mail.outbox[0].body
    assert "<script>" not in body and "&lt;script&gt;" in body
    edit = f"/focal-points/{FocalPoint.objects.get().pk}/edit/"
    for page in ("/focal-points/", edit):
        html = staff_client.get(page).content.decode()
        assert "<script>alert(1)" not in html, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Fiona&lt;/b&gt;" in html, page


def test_an_organisation_s_page_leads_the_secretariat_to_its_focal_points(
    staff_client, viewer_client, make_focal_point, company
):
    make_focal_point(company, username="fiona")
    make_focal_point(OrganisationFactory(), username="other-org-s")
    for url in (company.get_absolute_url(), company.membership.get_absolute_url()):
        html = staff_client.get(url).content.decode()
        listing = f'href="/focal-points/?organisation={company.pk}"'
        assert listing in html, url
        assert f'href="/focal-points/invite/?organisations={company.pk}"' in html, url
        assert "/focal-points/" not in viewer_client.get(url).content.decode()
    html = staff_client.get("/focal-points/", {"organisation": company.pk}).content.decode()
    assert "fiona" in html and "other-org-s" not in html
    assert "Focal points of Acme Steel" in html
    form = staff_client.get("/focal-points/invite/", {"organisations": [company.pk, "x"]})
    assert form.context["form"]["organisations"].value() == [str(company.pk)]
    assert "Acme Steel" in form.content.decode()  # the selected option


@pytest.mark.parametrize("value", ["x", "-1", "99999999999999999999999", "999999"])
def test_a_bad_organisation_in_the_list_s_address_is_a_clear_422(staff_client, value):
    response = staff_client.get("/focal-points/", {"organisation": value})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_the_admin_invites_and_sends_again(
    staff_client, secretariat_user, make_focal_point, company
):
    secretariat_user.is_staff = True
    secretariat_user.save()
    assert 'name="email"' in staff_client.get("/admin/members/focalpoint/add/").content.decode()
    with committed():
        response = staff_client.post(
            "/admin/members/focalpoint/add/",
            {"name": "<i>Gil</i>", "email": "Gil@Bank.example", "organisations": [company.pk]},
        )
    run_queued_tasks()
    assert response.status_code == 302
    invited = FocalPoint.objects.get(user__email="gil@bank.example")
    assert invited.invited_by == secretariat_user
    assert list(invited.organisations.all()) == [company]
    assert list(invited.user.groups.values_list("name", flat=True)) == [FOCAL_POINT]
    assert link_in(mail.outbox.pop()).startswith("/accounts/welcome/")
    refused = staff_client.post(
        "/admin/members/focalpoint/add/",
        {"name": "Gil", "email": "gil@bank.example", "organisations": [company.pk]},
    )
    assert refused.status_code == 200 and "already a focal point" in refused.content.decode()
    user = make_focal_point(company)
    user.email = "fiona@acme.example"
    user.save()
    listing = staff_client.get("/admin/members/focalpoint/")
    assert listing.status_code == 200 and "fiona@acme.example" in listing.content.decode()
    with committed():
        response = staff_client.post(
            "/admin/members/focalpoint/",
            {"action": "send_invitation", "_selected_action": [user.focal_point.pk]},
        )
    run_queued_tasks()
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["fiona@acme.example"]]
    assert link_in(mail.outbox[0]).startswith("/accounts/welcome/")


def test_the_link_is_not_kept_in_the_queue(staff_client, company):
    """The worker makes the link when it sends: the queue's table holds no token."""
    from django_tasks_db.models import DBTaskResult

    with committed():
        staff_client.post(
            "/focal-points/invite/",
            {"name": "Fiona", "email": "fiona@acme.example", "organisations": [company.pk]},
        )
    [queued] = DBTaskResult.objects.all()
    kwargs = queued.args_kwargs["kwargs"]
    assert "token" not in kwargs["context"] and "uid" not in kwargs["context"]
    run_queued_tasks()
    assert "/accounts/welcome/" in mail.outbox[0].body
