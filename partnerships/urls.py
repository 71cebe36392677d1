from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("pipeline/", views.ProjectListView.as_view(), name="project_list"),
    path("pipeline/export.csv", views.project_export_csv, name="project_export_csv"),
    path("pipeline/export.xlsx", views.project_export_xlsx, name="project_export_xlsx"),
    path("pipeline/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("pipeline/<int:pk>/stage/", views.project_move_stage, name="project_move_stage"),
    path("engagements/", views.EngagementListView.as_view(), name="engagement_list"),
    path("engagements/<int:pk>/", views.EngagementDetailView.as_view(), name="engagement_detail"),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership_list"),
    path(
        "partnerships/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership_detail"
    ),
    path("assistance/<int:pk>/", views.AssistanceDetailView.as_view(), name="assistance_detail"),
    path("forum/", views.ForumActivityListView.as_view(), name="forumactivity_list"),
    path("forum/<int:pk>/", views.ForumActivityDetailView.as_view(), name="forumactivity_detail"),
]
