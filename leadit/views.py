import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from leadit.sections.fields import plausible_id
from leadit.sections.history import latest_changes
from leadit.sections.registry import viewname
from leadit.sections.views import require_perm, wants_fragment
from leadit.sections.widgets import LOOKUPS, SHOWN, DateInput
from partnerships import dashboard as figures
from partnerships.models import Project

STUCK_CHOICES = (3, 6, 12, 18, 24, 36)


class DashboardForm(forms.Form):
    stuck_months = forms.IntegerField(min_value=1, max_value=600, required=False)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request):
    """Where the pipeline stands and how fast it moves; see partnerships.dashboard."""
    form = DashboardForm(request.GET)
    valid = form.is_valid()
    months = (form.cleaned_data.get("stuck_months") if valid else None) or 12
    status = 200 if valid else 422
    can_verify = request.user.has_perm("partnerships.change_project")
    if wants_fragment(request, "stuck"):
        context = {"stuck": figures.stuck(Project.objects.order_by(), months)}
        template = "dashboard.html#stuck"
    elif wants_fragment(request, "review"):
        context = {"review": figures.review_queue(datetime.date.today())}
        template = "dashboard.html#review"
    else:
        context = figures.dashboard(stuck_months=months)
        template = "dashboard.html"
    context.update(stuck_choices=sorted({*STUCK_CHOICES, months}), can_verify=can_verify, form=form)
    return render(request, template, context, status=status)


@require_GET
def lookup(request, name):
    """Options of a searchable select: the selected ones, then up to SHOWN matches."""
    spec = LOOKUPS.get(name)
    if spec is None:
        raise Http404("No such lookup.")
    require_perm(request.user, "view", spec.model)
    field = request.GET.get("field", "")
    text = request.GET.get(f"{field}__search", "")[:100].replace("\x00", "")
    ids = [v for v in request.GET.getlist(field) if plausible_id(v)]
    selected = list(spec.model._default_manager.filter(pk__in=ids)) if ids else []
    matches = spec.search(text).exclude(pk__in=[o.pk for o in selected])[:SHOWN]
    context = {"selected": selected, "matches": matches, "allow_empty": "empty" in request.GET}
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
        Trail(StageChange, "project.name", ("project",), page(Project), "project_id"),
        Trail(Financing, "project.name", ("project",), page(Project), "project_id"),
        Trail(Member, "organisation.name", ("organisation",), page(Member)),
        Trail(Organisation, "name", url_name=page(Organisation)),
        Trail(Contact, "name", url_name=page(Contact)),
        Trail(Engagement, "title", url_name=page(Engagement)),
        Trail(Partnership, "name", url_name=page(Partnership)),
        Trail(
            Participant,
            "organisation.name",
            ("organisation",),
            page(Partnership),
            "partnership_id",
        ),
        Trail(WorkingGroup, "name", (), page(Partnership), "partnership_id"),
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
        username = self.cleaned_data["user"]
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"No user is called “{username}”.")
        return user

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end cannot be before the start.")
        return cleaned


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def history(request):
    """The latest changes across the tracker: who changed what, and when."""
    available = trails()
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
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
