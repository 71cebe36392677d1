"""The Secretariat's page of focal points (invite, edit their organisations, send the
invitation again, deactivate), and our wording of Django's password pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from leadit.jobs.models import UndeliveredMail
from leadit.people import person_name
from leadit.sections.fields import plausible_id
from leadit.sections.search import folded_name
from leadit.sections.views import requires
from members.models import FocalPoint, Organisation

from . import invitations
from .forms import FocalPointForm, InviteForm, OrganisationFilter, PasswordResetRequestForm

LIST_LABEL = "Focal points"


def to_list(request, url=None):
    url = url or reverse("accounts:focalpoint_list")
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def state_of(focal_point, now, undelivered) -> str:
    user = focal_point.user
    if not user.is_active:
        return "Deactivated"
    if user.has_usable_password():
        return "Password set"
    sent = focal_point.invited_at
    failed = undelivered.get(user.email)
    if sent and failed and failed >= sent:
        return "Invitation not delivered: the mail server refused it"
    if sent and (now - sent).total_seconds() > settings.PASSWORD_RESET_TIMEOUT:
        return "Invitation expired"
    return "Invited, no password yet"


@requires("add", [FocalPoint])
@require_GET
def focal_point_list(request):
    """Who speaks for which organisations, and where their account stands; ?organisation=
    those of one organisation (linked from its page)."""
    focal_points = FocalPoint.objects.select_related("user", "invited_by").prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.order_by(folded_name()))
    )
    chosen = OrganisationFilter(request.GET)
    if not chosen.is_valid():
        context = {"title": LIST_LABEL, "rows": [], "errors": chosen.errors}
        return render(request, "accounts/focal_point_list.html", context, status=422)
    organisation = chosen.cleaned_data["organisation"]
    if organisation is not None:
        focal_points = focal_points.filter(organisations=organisation)
    now = timezone.now()
    # Invitations the worker gave up sending (leadit.mail), newest failure per address.
    undelivered = dict(
        UndeliveredMail.objects.filter(template=invitations.TEMPLATE)
        .order_by("failed_at")
        .values_list("to", "failed_at")
    )
    rows = [{"object": fp, "state": state_of(fp, now, undelivered)} for fp in focal_points]
    context = {"title": LIST_LABEL, "rows": rows, "organisation": organisation}
    return render(request, "accounts/focal_point_list.html", context)


def form_page(request, form, *, title, submit_label, object=None, status=200):
    context = {
        "form": form,
        "object": object,
        "title": title,
        "submit_label": submit_label,
        "list_url": reverse("accounts:focalpoint_list"),
        "list_label": LIST_LABEL,
        "cancel_url": reverse("accounts:focalpoint_list"),
        "verbose_name": "focal point",
    }
    template = "generic/object_form.html"
    if request.htmx and request.method == "POST":
        template += "#form"
    return render(request, template, context, status=status)


@requires("add", [FocalPoint])
@require_http_methods(["GET", "POST"])
def focal_point_invite(request):
    """Name, address and organisations: an account without a password, and a mail with the
    link that sets one."""
    title, label = "Invite a focal point", "Send the invitation"
    if request.method != "POST":
        # From an organisation's page: that organisation already chosen.
        initial = {
            "organisations": [v for v in request.GET.getlist("organisations") if plausible_id(v)]
        }
        return form_page(request, InviteForm(initial=initial), title=title, submit_label=label)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, submit_label=label, status=422)
    try:
        focal_point = invitations.invite(
            **form.cleaned_data, by=request.user, site=invitations.site_of(request)
        )
    except IntegrityError:  # the same address invited at the same moment by a colleague
        form.add_error("email", "This address has just been invited. Check the list.")
        return form_page(request, form, title=title, submit_label=label, status=422)
    messages.success(
        request, f"Invitation sent to {person_name(focal_point.user)} ({focal_point.user.email})."
    )
    return to_list(request)


@requires("change", [FocalPoint])
@require_http_methods(["GET", "POST"])
def focal_point_update(request, pk):
    focal_point = get_object_or_404(FocalPoint.objects.select_related("user"), pk=pk)
    title, label = f"Organisations of {focal_point}", "Save changes"
    if request.method != "POST":
        form = FocalPointForm(instance=focal_point)
        return form_page(request, form, title=title, submit_label=label, object=focal_point)
    with transaction.atomic():
        current = FocalPoint.objects.select_for_update().get(pk=pk)
        form = FocalPointForm(request.POST, instance=current)
        if not form.is_valid():
            return form_page(
                request, form, title=title, submit_label=label, object=focal_point, status=422
            )
        if form.cleaned_data["loaded_version"] != current.version:
            form.add_error(
                None,
                "Someone changed this focal point's organisations after you opened the page. "
                "Reload it and make your change again.",
            )
            return form_page(
                request, form, title=title, submit_label=label, object=focal_point, status=409
            )
        form.save()
    messages.success(request, f"Saved the organisations of {focal_point}.")
    return to_list(request)


@requires("change", [FocalPoint])
@require_POST
def focal_point_resend_invitation(request, pk):
    focal_point = get_object_or_404(FocalPoint.objects.select_related("user"), pk=pk)
    if not focal_point.user.is_active:
        messages.error(request, f"{focal_point} is deactivated: reactivate them first.")
    else:
        invitations.invite_again(focal_point, by=request.user, site=invitations.site_of(request))
        messages.success(request, f"Invitation sent again to {focal_point.user.email}.")
    return to_list(request)


@requires("change", [FocalPoint])
@require_POST
def focal_point_set_active(request, pk):
    """Deactivate (they can no longer log in, their session ends) or reactivate."""
    focal_point = get_object_or_404(FocalPoint.objects.select_related("user"), pk=pk)
    user = focal_point.user
    user.is_active = request.POST.get("active") == "1"
    user.save(update_fields=["is_active"])
    done = "reactivated" if user.is_active else "deactivated"
    messages.success(request, f"{focal_point} {done}.")
    return to_list(request)


# Django's password views with our templates and mail (templates/registration/).
password_reset = auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    extra_context={"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the same token check and validators as a reset, in the words
    of a first visit; then the login page (logging in goes through the login throttling)."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("login")
    extra_context = {
        "heading": "Welcome to LeadIT Tracker",
        "intro": "Choose the password of your account.",
        "button": "Set my password",
    }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            f"Your password is set. Log in with your username, {form.user.get_username()}.",
        )
        return response


set_password = SetPasswordView.as_view()
