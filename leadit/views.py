import datetime

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from leadit.generic import require_perm, wants_fragment
from leadit.widgets import LOOKUPS, SHOWN
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
    ids = [v for v in request.GET.getlist(field) if v.isdigit()]
    selected = list(spec.model._default_manager.filter(pk__in=ids)) if ids else []
    matches = spec.search(text).exclude(pk__in=[o.pk for o in selected])[:SHOWN]
    context = {"selected": selected, "matches": matches, "allow_empty": "empty" in request.GET}
    return render(request, "widgets/lookup_options.html", context)
