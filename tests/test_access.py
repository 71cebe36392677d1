"""The login wall over every URL (walked from the resolver), and the two roles."""

import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from leadit.roles import SECRETARIAT, TRACKER_APPS, VIEWER
from leadit.sections.columns import declaration_for
from leadit.sections.registry import viewname
from leadit.sections.views import list_view
from members.models import FocalPoint, Organisation
from partnerships.models import Assistance, Financing, Project

from . import sections
from .factories import AssistanceFactory, FinancingFactory, MemberFactory, ProjectFactory

pytestmark = pytest.mark.django_db
# The login page, the load balancer's probe, and the icon browsers ask for on their own; and
# the password pages of someone who cannot log in: asking for a reset link, following it (or
# an invitation's), which a login in front of them would defeat.
PUBLIC = {
    "/accounts/login/",
    "/healthz",
    "/favicon.ico",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/MQ/set-password/",
    "/accounts/password/reset/complete/",
    "/accounts/welcome/MQ/set-password/",
}


SAMPLE_ARGS = {
    "<int:pk>": "1",
    "<slug:name>": "organisation",
    "<uidb64>": "MQ",  # user 1, and a token that is not one
    "<token>": "set-password",
}
# Controls on a page: no page of their own.
POST_ONLY_SUFFIXES = (
    "_move_stage",
    "_verify",
    "_bulk",
    "_confirm_import",
    "_resend_invitation",
    "_set_active",
)
WRITE_SUFFIXES = ("_create", "_update", "_delete", *POST_ONLY_SUFFIXES)
# A user's own settings (a list's Columns control, "Save as my default"): POST-only and open
# to every role, since they change no record; tests/test_columns.py checks login, CSRF and bad
# input, and test_every_lists_columns_control_offers_what_the_role_reads below every list.
OWN_SETTINGS = {"save_columns"}


def site_urls(resolver=None, prefix="", namespace="", args=None):
    """(path, url name) of every URL pattern of the site (not the admin), with sample arguments
    (`args`: {pattern: value}, SAMPLE_ARGS by default)."""
    resolver = resolver or get_resolver()
    args = SAMPLE_ARGS if args is None else args
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            space = f"{entry.namespace}:" if entry.namespace else namespace
            yield from site_urls(entry, prefix + route, space, args)
        elif isinstance(entry, URLPattern):
            path = "/" + prefix + route
            for pattern, value in args.items():
                path = path.replace(pattern, value)
            yield path, f"{namespace}{entry.name}"


def site_paths():
    return {path for path, _ in site_urls()}


# A focal point's proposals on their own records (leadit.proposals), and the Secretariat's
# review queue: neither is a viewer's page, each has its own tests below.
PROPOSE_SUFFIXES = ("_propose", "_propose_new")
REVIEW_POST_ONLY = (
    "proposals:proposal_accept",
    "proposals:proposal_reject",
    "proposals:proposal_withdraw",
)


def is_proposal_url(name: str) -> bool:
    return name.endswith(PROPOSE_SUFFIXES) or name.startswith("proposals:")


ALL_URLS = sorted(set(site_urls()))
# Pages of the Secretariat's alone (accounts: who the focal points are, their addresses).
SECRETARIAT_ONLY = {"accounts:focalpoint_list"}
WRITE_URLS = [(p, n) for p, n in ALL_URLS if n.endswith(WRITE_SUFFIXES) and not is_proposal_url(n)]
READ_URLS = [
    (p, n)
    for p, n in ALL_URLS
    if not n.endswith(WRITE_SUFFIXES)
    and p not in PUBLIC
    and n != "logout"
    and n not in OWN_SETTINGS
    and n not in SECRETARIAT_ONLY
    and not is_proposal_url(n)
]
PROPOSE_URLS = [(p, n) for p, n in ALL_URLS if n.endswith(PROPOSE_SUFFIXES)]
REVIEW_URLS = [(p, n) for p, n in ALL_URLS if n.startswith("proposals:")]


def export_job(owner):
    """A finished background export (leadit.jobs), number 1, for the URLs that show one."""
    from django.core.files.base import ContentFile

    from leadit.jobs.models import Job

    job = Job(pk=1, owner=owner, title="Export", path="/pipeline/export.csv", state="done")
    job.filename = "export.csv"
    job.file.save("export.csv", ContentFile(b"ID\n"))
    return job


def read(client, path):
    response = client.get(path)
    if response.streaming:  # read to the end, so that the test client closes it (a file)
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def records(viewer_user, django_user_model):
    """Record 1 of every section, so every <int:pk> URL has something to show, and an
    export job of the viewer's own (the Secretariat sees it too)."""
    export_job(viewer_user)
    made = {}
    for section in sections.all_sections():
        made[section.name] = section.model.objects.filter(pk=1).first() or first_record(
            sections.FACTORIES[section.name]
        )
    # Partnership 1 has assistance, so it has an IATI file to show.
    Assistance.objects.filter(pk=1).update(partnership_id=1)
    # Tranche 1 (of project 1), edited in place on the project page.
    if not Financing.objects.filter(pk=1).exists():
        made["financing"] = first_record(FinancingFactory, project=Project.objects.get(pk=1))
    # Focal point 1, whose organisations the Secretariat edits (leadit.accounts).
    made["focal point"] = first_record(
        FocalPoint.objects.create,
        user=django_user_model.objects.create_user("focal-one", email="one@example.org"),
    )
    return made


def first_record(factory, **fields):
    """Record 1 made by `factory`. PostgreSQL's sequences do not see an explicit id: set them
    past it, or the next record made without one (a related record) would take id 1 again."""
    record = factory(pk=1, **fields)
    models = [m for app in TRACKER_APPS for m in django_apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return record


def test_walk_finds_the_sections():
    paths = set(site_paths())
    assert {"/", "/pipeline/", "/members/", "/engagements/", "/partnerships/", "/forum/"} <= paths


@pytest.mark.parametrize("path", sorted(site_paths() - PUBLIC))
def test_every_page_needs_login(client, records, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", sorted(site_paths() - PUBLIC))
def test_every_post_needs_login(client, records, path):
    assert client.post(path).status_code == 302


def test_every_section_has_test_data():
    assert set(sections.names()) == set(sections.FACTORIES)


def test_the_matrix_covers_every_kind_of_url():
    names = {name for _, name in ALL_URLS}
    for section in sections.all_sections():
        for view in ("list", "detail", "create", "update", "delete", "history", "export_csv"):
            assert viewname(section.model, view) in names


@pytest.mark.parametrize("path, name", READ_URLS)
def test_viewer_and_secretariat_can_read(viewer_client, staff_client, records, path, name):
    for client in (viewer_client, staff_client):
        assert read(client, path) == 200, path


LIST_URLS = [(p, n) for p, n in READ_URLS if list_view(n) is not None]


def test_walk_finds_every_list_with_columns():
    assert {"/pipeline/", "/members/", "/engagements/", "/partnerships/", "/forum/"} <= {
        p for p, _ in LIST_URLS
    }


@pytest.mark.parametrize("path, name", LIST_URLS)
def test_every_lists_columns_control_offers_what_the_role_reads(
    viewer_client, staff_client, viewer_user, secretariat_user, records, path, name
):
    """One Columns control a list, offering every column the user may read (the Secretariat's
    internal ones to the Secretariat only), saved per user with a CSRF-protected POST."""
    view = list_view(name)
    declared = declaration_for(view.model)
    for client, user in ((viewer_client, viewer_user), (staff_client, secretariat_user)):
        html = client.get(path).content.decode()
        assert html.count("data-column-control") == 1, path
        control = html.split("data-column-control>")[1].split("</details>")[0]
        assert 'method="post" action="/columns/"' in control
        assert 'name="csrfmiddlewaretoken"' in control
        offered = re.findall(r'name="columns" value="([^"]+)" data-column-choice', control)
        readable = {c.name for c in declared.columns_for(user)} - {"id"}
        own = [c.name for c in view.columns if not c.internal or c.name in readable]
        assert offered[: len(own)] == own, path
        # A declared column an own one already shows under another name is not offered twice
        # (the contacts' "organisation.name" is "organisation"; the Type sorted by org_type).
        shown = {c.sort for c in view.columns if c.sort} | {
            c.key.removesuffix(".name") for c in view.columns
        }
        assert set(offered[len(own) :]) == readable - set(own) - shown, path
        internal = {c.name for c in declared.columns if c.internal}
        if user is viewer_user:
            assert not internal & set(offered), path
        else:
            assert internal <= set(offered), path
        response = client.post("/columns/", {"list": name, "columns": offered, "next": path})
        assert response.status_code == 303 and response["Location"] == path


@pytest.mark.parametrize("path, name", WRITE_URLS)
def test_viewer_gets_403_on_every_write_url(viewer_client, records, path, name):
    if not name.endswith(POST_ONLY_SUFFIXES):  # POST-only controls answer GET with 405
        assert viewer_client.get(path).status_code == 403
    assert viewer_client.post(path, {"name": "x", "title": "x"}).status_code == 403


@pytest.mark.parametrize("path, name", WRITE_URLS)
def test_secretariat_can_open_every_write_url(staff_client, records, path, name):
    expected = 405 if name.endswith(POST_ONLY_SUFFIXES) else (200, 409)
    status = staff_client.get(path).status_code
    assert status in expected if isinstance(expected, tuple) else status == expected


@pytest.mark.parametrize("path, name", [u for u in ALL_URLS if u[1] in SECRETARIAT_ONLY])
def test_secretariat_only_pages(viewer_client, staff_client, records, path, name):
    assert viewer_client.get(path).status_code == 403
    assert staff_client.get(path).status_code == 200
    assert staff_client.post(path).status_code == 405


def test_walk_finds_the_secretariat_only_pages():
    assert {name for _, name in ALL_URLS} >= SECRETARIAT_ONLY


@pytest.mark.parametrize("path, name", READ_URLS)
def test_read_urls_do_not_accept_posts(staff_client, records, path, name):
    assert staff_client.post(path).status_code == 405


def test_admin_needs_login(client):
    response = client.get("/admin/partnerships/project/")
    assert response.status_code == 302
    assert "login/?next=/admin/partnerships/project/" in response["Location"]


@pytest.mark.parametrize("path", sorted(p for p in PUBLIC if p.startswith("/accounts/")))
def test_the_password_pages_open_without_login(client, path):
    """Someone who cannot log in asks for a reset link and follows it (or an invitation's)."""
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [] or "/login/" not in response.redirect_chain[0][0]


def test_the_public_pages_are_the_walk_s_own():
    """Every address let through without login is one the resolver has: nothing else opened."""
    assert site_paths() >= PUBLIC


def test_login_page_is_a_real_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content and b"LeadIT Tracker" in response.content


def test_logout_is_post_only(staff_client):
    assert staff_client.get("/accounts/logout/").status_code == 405
    assert staff_client.post("/accounts/logout/").status_code == 302
    assert staff_client.get("/pipeline/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/", "/pipeline/", "/members/", "/engagements/", "/partnerships/", "/forum/"]
)
def test_viewer_and_secretariat_can_read_every_section(viewer_client, staff_client, path):
    assert viewer_client.get(path).status_code == 200
    assert staff_client.get(path).status_code == 200


def test_secretariat_group_can_do_everything_on_every_tracker_model():
    perms = set(Group.objects.get(name=SECRETARIAT).permissions.all())
    tracker = set(Permission.objects.filter(content_type__app_label__in=TRACKER_APPS))
    unlock = {p.codename for p in perms - tracker}
    assert tracker <= perms
    assert unlock == {
        "view_accessattempt",
        "delete_accessattempt",
        "view_accesslog",
        "see_all_exports",  # everyone's background exports
        "see_internal",  # the Secretariat's internal fields and lists
        "view_undeliveredmail",  # mail the worker could not send (leadit.mail)
        "delete_undeliveredmail",
        # Focal points' proposals: the Secretariat decides them (change_proposal).
        "add_proposal",
        "view_proposal",
        "change_proposal",
        "delete_proposal",
    }


def test_viewer_group_can_only_view():
    perms = Group.objects.get(name=VIEWER).permissions.all()
    assert perms.exists()
    assert all(p.codename.startswith("view_") for p in perms)
    assert set(perms) == set(
        Permission.objects.filter(
            content_type__app_label__in=TRACKER_APPS, codename__startswith="view_"
        )
    )


def test_viewer_has_no_admin_access(viewer_client):
    response = viewer_client.get("/admin/")
    assert response.status_code == 302


def test_base_layout_has_navigation_htmx_and_csrf_header(staff_client):
    html = staff_client.get("/").content.decode()
    for pillar in ("Global Forum", "Technology transfer", "Partnerships"):
        assert pillar in html
    assert "htmx" in html and 'hx-headers=\'{"x-csrftoken": "' in html
    assert "cdn" not in html.lower()
    assert "Log out" in html
    for link in (
        "/pipeline/",
        "/members/",
        "/engagements/",
        "/partnerships/",
        "/assistance/",
        "/forum/",
        "/history/",
    ):
        assert f'href="{link}"' in html, link


@pytest.mark.django_db
def test_every_read_url_works_on_the_demo_data(staff_client, secretariat_user):
    """The demo records were loaded, not edited: no first version in their audit trail."""
    from django.core.management import call_command

    call_command("loaddata", "leadit", verbosity=0)
    export_job(secretariat_user)
    for path, _ in READ_URLS:
        assert read(staff_client, path) == 200, path


@pytest.mark.django_db
def test_permissions_read_in_one_query_match_django_s_model_backend(
    secretariat_user, viewer_user, django_user_model, django_assert_num_queries
):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from leadit.auth import RoleBackend

    officer = django_user_model.objects.create_user("solo")
    officer.user_permissions.add(Permission.objects.get(codename="view_project"))
    boss = django_user_model.objects.create_superuser("boss")
    gone = django_user_model.objects.create_user("gone", is_active=False)
    gone.groups.set(secretariat_user.groups.all())
    for user in (secretariat_user, viewer_user, officer, boss, gone):
        expected = ModelBackend().get_all_permissions(django_user_model.objects.get(pk=user.pk))
        fresh = django_user_model.objects.get(pk=user.pk)
        with django_assert_num_queries(1 if user.is_active else 0):
            assert RoleBackend().get_all_permissions(fresh) == expected
            assert RoleBackend().get_all_permissions(fresh) == expected  # cached on the user
    assert "partnerships.change_project" in RoleBackend().get_all_permissions(secretariat_user)
    assert "partnerships.change_project" not in RoleBackend().get_all_permissions(viewer_user)


def a_proposal(user):
    """Proposal 1, of `user`, on project 1."""
    from leadit.proposals.models import Proposal

    project = Project.objects.get(pk=1)
    return Proposal.objects.create(
        pk=1,
        content_type=ContentType.objects.get_for_model(Project),
        object_id=1,
        changes={"site": {"label": "Site", "old": project.site, "new": "Luleå"}},
        version=project.version,
        title=str(project),
        proposed_by=user,
    )


@pytest.fixture
def focal_client(records, make_focal_point):
    """A focal point of every organisation record 1 of a section belongs to (project 1's
    sponsor, tranche 1's provider, ...), with proposal 1 of their own."""
    from django.test import Client

    from leadit.sections.ownership import owned_models

    organisations = {Organisation.objects.get(pk=1)}
    for model in owned_models():
        record = model.objects.filter(pk=1).first()
        for name in ("organisation", "sponsor", "provider", "recipient"):
            related = getattr(record, name, None) if record is not None else None
            if isinstance(related, Organisation):
                organisations.add(related)
    user = make_focal_point(*organisations, username="fran")
    a_proposal(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path, name", PROPOSE_URLS)
def test_only_a_focal_point_proposes_on_their_own_records(
    viewer_client, staff_client, focal_client, records, path, name
):
    assert viewer_client.get(path).status_code == 403
    assert viewer_client.post(path, {"name": "x", "title": "x"}).status_code == 403
    # The Secretariat edits instead: no record is theirs to propose on.
    assert staff_client.get(path).status_code in (403, 404)
    assert staff_client.post(path, {"name": "x"}).status_code in (403, 404)
    assert focal_client.get(path).status_code == 200, path


@pytest.mark.parametrize("path, name", REVIEW_URLS)
def test_the_review_queue_is_not_a_viewers_page(
    viewer_client, staff_client, focal_client, records, path, name
):
    post_only = name in REVIEW_POST_ONLY
    if not post_only:
        assert viewer_client.get(path).status_code == 403
        assert staff_client.get(path).status_code == 200
        assert focal_client.get(path).status_code == 200  # their own proposal 1
        assert staff_client.post(path).status_code == 405
    else:
        assert staff_client.get(path).status_code == 405
    assert viewer_client.post(path, {"reason": "x", "fields": "site"}).status_code == 403


@pytest.fixture
def no_role_client(db, django_user_model):
    """A logged-in user in no group: an account made before its role was given."""
    from django.test import Client

    user = django_user_model.objects.create_user("norah", password="unused-in-tests")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path, name", [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_a_user_without_a_role_gets_403_on_every_url(no_role_client, records, path, name):
    if name == "logout":
        return  # logging out is for everyone (test_logout_is_post_only)
    assert no_role_client.get(path).status_code == 403, path
    assert no_role_client.post(path, {"name": "x", "title": "x"}).status_code == 403, path


@pytest.mark.parametrize(
    "path, params",
    [
        ("/", {"HX-Request": "true", "HX-Target": "stuck"}),
        ("/", {"HX-Request": "true", "HX-Target": "review"}),
        ("/pipeline/", {"HX-Request": "true", "HX-Target": "results"}),
        ("/history/", {"HX-Request": "true", "HX-Target": "results"}),
    ],
)
def test_a_user_without_a_role_gets_no_fragment(no_role_client, records, path, params):
    assert no_role_client.get(path, headers=params).status_code == 403


def test_a_user_without_a_role_can_still_log_in_and_out(no_role_client, client):
    """Static files are served by whitenoise before any of this (no view, no login)."""
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert no_role_client.get("/healthz").status_code == 200
    assert no_role_client.post("/accounts/logout/").status_code == 302


def test_a_user_without_a_role_gets_no_admin(no_role_client):
    assert no_role_client.get("/admin/partnerships/project/").status_code == 302


def test_history_lists_only_kinds_of_record_the_user_may_view(django_user_model, records):
    from django.test import Client

    from .factories import OrganisationFactory

    OrganisationFactory(name="Hidden organisation")
    user = django_user_model.objects.create_user("pia")
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    client = Client()
    client.force_login(user)
    response = client.get("/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert records["pipeline"].name in html
    assert "Hidden organisation" not in html
    assert 'value="organisation"' not in html  # not offered as a kind of record either
    assert client.get("/history/", {"model": "organisation"}).status_code == 422
    assert client.get("/pipeline/").status_code == 200
    assert client.get("/members/").status_code == 403
    assert client.get("/").status_code == 403  # the dashboard shows more than projects


@pytest.mark.parametrize("page", ["member", "organisation"])
def test_member_and_organisation_pages_show_contacts_only_to_those_who_may_view_them(
    django_user_model, page
):
    from django.test import Client

    from .factories import ContactFactory

    member = MemberFactory()
    ContactFactory(organisation=member.organisation, email="focal@example.org")
    record = member if page == "member" else member.organisation
    user = django_user_model.objects.create_user("mo")
    user.user_permissions.add(Permission.objects.get(codename=f"view_{page}"))
    client = Client()
    client.force_login(user)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    assert "focal@example.org" not in response.content.decode()
    user.user_permissions.add(Permission.objects.get(codename="view_contact"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert "focal@example.org" in client.get(record.get_absolute_url()).content.decode()


def test_record_pages_show_related_panels_only_to_those_who_may_view_them(django_user_model):
    from django.test import Client

    from .factories import FinancingFactory

    project = ProjectFactory(name="Visible project")
    FinancingFactory(project=project, provider__name="Hidden financier")
    AssistanceFactory(title="Hidden assistance").supported_projects.add(project)
    user = django_user_model.objects.create_user("pat")
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    client = Client()
    client.force_login(user)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Visible project" in html
    assert "Hidden financier" not in html and "Hidden assistance" not in html


def test_the_menu_offers_only_pages_the_role_opens(client, django_user_model):
    """Someone who may read projects only sees the pipeline (and History, which lists what
    they may read) in the menu, not the sections that would answer 403."""
    user = django_user_model.objects.create_user("pipeline-only")
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    client.force_login(user)
    menu = client.get("/pipeline/").context["navigation"]
    offered = {link["label"] for pillar in menu for link in pillar["links"]}
    assert offered == {"Project pipeline", "History"}
    for pillar in menu:
        for link in pillar["links"]:
            assert client.get(link["url"]).status_code == 200


def test_the_menu_offers_every_section_to_the_secretariat(staff_client):
    menu = staff_client.get("/").context["navigation"]
    offered = {link["label"] for pillar in menu for link in pillar["links"]}
    assert {"Dashboard", "Members", "Organisations", "Contacts", "History"} <= offered
    assert {"Forum activity", "Engagements", "Partnerships", "Assistance"} <= offered
    assert "Project pipeline" in offered
