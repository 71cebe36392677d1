import datetime

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from leadit.sections.fields import plausible_id
from leadit.sections.history import latest_changes
from leadit.sections.internal import sees_internal
from leadit.sections.registry import viewname
from leadit.sections.views import can, require_perm, requires, wants_fragment
from leadit.sections.widgets import LOOKUPS, SHOWN, DateInput
from members.models import Member
from partnerships import dashboard as figures
from partnerships.models import Assistance, Engagement, ForumActivity, Partnership, Project

STUCK_CHOICES = (3, 6, 12, 18, 24, 36)


class DashboardForm(forms.Form):
    stuck_months = forms.IntegerField(min_value=1, max_value=600, required=False)


# The dashboard's figures come from these; reading it needs the view permission of each.
DASHBOARD_MODELS = [Project, Member, Engagement, Assistance, ForumActivity, Partnership]


@requires("view", DASHBOARD_MODELS)
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request):
    """Where the pipeline stands and how fast it moves; see partnerships.dashboard."""
    form = DashboardForm(request.GET)
    valid = form.is_valid()
    months = (form.cleaned_data.get("stuck_months") if valid else None) or 12
    status = 200 if valid else 422
    can_verify = request.user.has_perm("partnerships.change_project")
    # "Needs attention" (overdue next steps and their owners, the review queue of records not
    # verified lately) is the Secretariat's own list (leadit.sections.internal).
    internal = sees_internal(request.user)
    if wants_fragment(request, "stuck"):
        context = {"stuck": figures.stuck(Project.objects.order_by(), months)}
        template = "dashboard.html#stuck"
    elif wants_fragment(request, "review"):
        if not internal:
            raise PermissionDenied("The review queue is the Secretariat's own.")
        context = {"review": figures.review_queue(datetime.date.today())}
        template = "dashboard.html#review"
    else:
        # Figures kept current by the background worker: a visit never recomputes them.
        context = figures.current_dashboard()
        if not internal:
            context = {k: v for k, v in context.items() if k not in ("overdue", "review")}
        if months != figures.DEFAULT_STUCK_MONTHS:
            context["stuck"] = figures.stuck(Project.objects.order_by(), months)
        template = "dashboard.html"
    context.update(
        stuck_choices=sorted({*STUCK_CHOICES, months}),
        can_verify=can_verify,
        sees_internal=internal,
        form=form,
    )
    return render(request, template, context, status=status)


def lookup(request, name):
    """Options of a searchable select: the selected ones, then up to SHOWN matches."""
    spec = LOOKUPS.get(name)
    if spec is None:
        raise Http404("No such lookup.")
    require_perm(request.user, "view", spec.model)  # before the method: a user without it
    if request.method != "GET":  # learns nothing
        return HttpResponseNotAllowed(["GET"])
    field = request.GET.get("field", "")
    text = request.GET.get(f"{field}__search", "")[:100].replace("\x00", "")
    ids = [v for v in request.GET.getlist(field) if plausible_id(v)]
    selected = list(spec.model._default_manager.filter(pk__in=ids)) if ids else []
    matches = spec.search(text).exclude(pk__in=[o.pk for o in selected])[:SHOWN]
    # The select's own label for "nothing chosen" ("Any", "Not set"), if it has that choice.
    empty = request.GET.get("empty")
    empty = None if empty is None else empty[:100].replace("\x00", "")
    context = {"selected": selected, "matches": matches, "empty_label": empty}
    return render(request, "widgets/lookup_options.html", context)


def trails():
    from leadit.sections.history import Trail
    from members.models import Contact, CountryProfile, Member, Organisation, Sector
    from partnerships.models import (
        Assistance,
        Engagement,
        Financing,
        ForumActivity,
        Participant,
        Partnership,
        Project,
        StageChange,
        Technology,
        WorkingGroup,
    )

    def page(model) -> str:
        return viewname(model, "history")

    return [
        Trail(Project, "name", url_name=page(Project)),
        Trail(StageChange, "project.name", page(Project), "project_id"),
        Trail(Financing, "project.name", page(Project), "project_id"),
        Trail(Member, "organisation.name", page(Member)),
        Trail(Organisation, "name", url_name=page(Organisation)),
        Trail(Contact, "name", url_name=page(Contact)),
        Trail(Engagement, "title", url_name=page(Engagement)),
        Trail(Partnership, "name", url_name=page(Partnership)),
        Trail(Participant, "organisation.name", page(Partnership), "partnership_id"),
        Trail(WorkingGroup, "name", page(Partnership), "partnership_id"),
        Trail(Assistance, "title", url_name=page(Assistance)),
        Trail(ForumActivity, "title", url_name=page(ForumActivity)),
        Trail(CountryProfile, "country.name"),
        Trail(Sector, "name"),
        Trail(Technology, "name"),
    ]


class HistoryFilterForm(forms.Form):
    user = forms.CharField(
        required=False,
        max_length=150,
        label="By user",
        widget=forms.TextInput(attrs={"placeholder": "username"}),
    )
    model = forms.ChoiceField(required=False, label="Kind of record")
    since = forms.DateField(
        required=False,
        label="From",
        widget=DateInput,
    )
    until = forms.DateField(
        required=False,
        label="To",
        widget=DateInput,
    )

    def __init__(self, *args, trails, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "All records")] + [
            (t.key, capfirst(t.model._meta.verbose_name_plural)) for t in trails
        ]

    def clean_user(self):
        # Not looked up: whether a username exists is not for a reader to find out here.
        return self.cleaned_data["user"].strip() or None

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end cannot be before the start.")
        return cleaned


def trail_models():
    return [trail.model for trail in trails()]


@requires("view", trail_models, any_of=True)
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def history(request):
    """The latest changes across the tracker: who changed what, and when. Only the kinds of
    record the user may view are listed (and offered in the filter)."""
    available = [t for t in trails() if can(request.user, "view", t.model)]
    if not available:
        raise PermissionDenied("You may not view any kind of record.")
    form = HistoryFilterForm(request.GET or None, trails=available)
    entries, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        data = form.cleaned_data if form.is_bound else {}
        chosen = [t for t in available if not data.get("model") or t.key == data["model"]]
        entries = latest_changes(
            chosen, user=data.get("user"), since=data.get("since"), until=data.get("until")
        )
    template = "history.html#results" if wants_fragment(request, "results") else "history.html"
    return render(request, template, {"form": form, "entries": entries}, status=status)


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: our icon, without a login."""
    path = finders.find("img/favicon.svg")
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/svg+xml")


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
