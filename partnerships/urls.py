from leadit.proposals.views import propose_view
from leadit.sections.urls import section_urls

from . import views
from .forms import (
    AssistanceForm,
    EngagementForm,
    FinancingForm,
    ForumActivityForm,
    PartnershipForm,
    ProjectForm,
)
from .models import Assistance, Engagement, Financing, ForumActivity, Partnership, Project

app_name = "partnerships"

urlpatterns = [
    *section_urls(
        "pipeline",
        Project,
        list_view=views.ProjectListView,
        detail_view=views.ProjectDetailView,
        form_class=ProjectForm,
        propose_new="sponsor",  # a focal point proposes projects their organisations sponsor
        extra={
            "move_stage": ("<int:pk>/stage/", views.project_move_stage),
            # A project's financing tranches, edited in place on its page.
            "financing_create": (
                "<int:pk>/financing/new/",
                views.FinancingFormView.as_view(creating=True),
            ),
            "financing_update": ("financing/<int:pk>/edit/", views.FinancingFormView.as_view()),
            "financing_delete": ("financing/<int:pk>/delete/", views.FinancingDeleteView.as_view()),
            # A focal point's proposals: a tranche they provide, a change to one of theirs.
            "financing_propose_new": (
                "<int:pk>/financing/propose/",
                propose_view(
                    Financing,
                    FinancingForm,
                    creating=True,
                    owner_field="provider",
                    parent=("project", Project),
                    **views.TRANCHE_PROPOSALS,
                ),
            ),
            "financing_propose": (
                "financing/<int:pk>/propose/",
                propose_view(Financing, FinancingForm, **views.TRANCHE_PROPOSALS),
            ),
        },
    ),
    *section_urls(
        "engagements",
        Engagement,
        list_view=views.EngagementListView,
        detail_view=views.EngagementDetailView,
        form_class=EngagementForm,
    ),
    *section_urls(
        "partnerships",
        Partnership,
        list_view=views.PartnershipListView,
        detail_view=views.PartnershipDetailView,
        form_class=PartnershipForm,
        extra={"assistance_xml": ("<int:pk>/assistance.xml", views.partnership_assistance_xml)},
    ),
    *section_urls(
        "assistance",
        Assistance,
        list_view=views.AssistanceListView,
        detail_view=views.AssistanceDetailView,
        form_class=AssistanceForm,
        exports=("csv", "xlsx", "iati"),
    ),
    *section_urls(
        "forum",
        ForumActivity,
        list_view=views.ForumActivityListView,
        detail_view=views.ForumActivityDetailView,
        form_class=ForumActivityForm,
    ),
]
