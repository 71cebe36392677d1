from django.urls import path

from leadit.sections.editing import DeleteView, ModelFormView, VerifyView, crud_urls
from leadit.sections.views import RecordHistoryView

from . import views
from .forms import AssistanceForm, EngagementForm, ForumActivityForm, PartnershipForm, ProjectForm
from .models import Assistance, Engagement, ForumActivity, Partnership, Project

app_name = "partnerships"

project_form = ModelFormView.as_view(model=Project, form_class=ProjectForm)

urlpatterns = [
    # The pipeline has its own exports (CSV and Excel, with every field) and the stage control.
    path("pipeline/", views.ProjectListView.as_view(), name="project_list"),
    path(
        "pipeline/export.csv",
        views.ProjectListView.as_view(export="csv"),
        name="project_export_csv",
    ),
    path(
        "pipeline/export.xlsx",
        views.ProjectListView.as_view(export="xlsx"),
        name="project_export_xlsx",
    ),
    path("pipeline/new/", project_form, name="project_create"),
    path("pipeline/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("pipeline/<int:pk>/edit/", project_form, name="project_update"),
    path("pipeline/<int:pk>/delete/", DeleteView.as_view(model=Project), name="project_delete"),
    path("pipeline/<int:pk>/stage/", views.project_move_stage, name="project_move_stage"),
    path("pipeline/<int:pk>/verify/", VerifyView.as_view(model=Project), name="project_verify"),
    path(
        "pipeline/<int:pk>/history/",
        RecordHistoryView.as_view(model=Project),
        name="project_history",
    ),
    path(
        "assistance/iati.xml",
        views.AssistanceListView.as_view(export="iati"),
        name="assistance_iati",
    ),
    path(
        "partnerships/<int:pk>/assistance.xml",
        views.partnership_assistance_xml,
        name="partnership_assistance_xml",
    ),
    *crud_urls(
        "engagements",
        Engagement,
        list_view=views.EngagementListView,
        detail_view=views.EngagementDetailView,
        form_class=EngagementForm,
    ),
    *crud_urls(
        "partnerships",
        Partnership,
        list_view=views.PartnershipListView,
        detail_view=views.PartnershipDetailView,
        form_class=PartnershipForm,
    ),
    *crud_urls(
        "assistance",
        Assistance,
        list_view=views.AssistanceListView,
        detail_view=views.AssistanceDetailView,
        form_class=AssistanceForm,
    ),
    *crud_urls(
        "forum",
        ForumActivity,
        list_view=views.ForumActivityListView,
        detail_view=views.ForumActivityDetailView,
        form_class=ForumActivityForm,
    ),
]
