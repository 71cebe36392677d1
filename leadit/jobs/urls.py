from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("exports/", views.job_list, name="job_list"),
    path("exports/<int:pk>/", views.job_detail, name="job_detail"),
    path("exports/<int:pk>/download/", views.job_download, name="job_download"),
    path("exports/<int:pk>/import/", views.job_confirm_import, name="job_confirm_import"),
]
