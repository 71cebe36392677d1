from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("focal-points/", views.focal_point_list, name="focalpoint_list"),
    path("focal-points/invite/", views.focal_point_invite, name="focalpoint_create"),
    path("focal-points/<int:pk>/edit/", views.focal_point_update, name="focalpoint_update"),
    path(
        "focal-points/<int:pk>/invite-again/",
        views.focal_point_resend_invitation,
        name="focalpoint_resend_invitation",
    ),
    path(
        "focal-points/<int:pk>/active/",
        views.focal_point_set_active,
        name="focalpoint_set_active",
    ),
]
