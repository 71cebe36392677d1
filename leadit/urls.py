from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from leadit.accounts import views as accounts
from leadit.sections.views import save_columns

from . import views

admin.site.site_header = "LeadIT Tracker administration"
admin.site.site_title = "LeadIT Tracker admin"
admin.site.index_title = "Data entry"
# The app list beside every admin page took a quarter of a 1280 px screen from the changelists
# and inlines (the breadcrumbs and the index still lead everywhere).
admin.site.enable_nav_sidebar = False

handler400 = "leadit.errors.bad_request"
handler500 = "leadit.errors.server_error"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email, and the invitation's "set your password" (leadit.accounts).
    path("accounts/password/reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password/reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path("accounts/welcome/<uidb64>/<token>/", accounts.set_password, name="set_password"),
    path("lookup/<slug:name>/", views.lookup, name="lookup"),
    path("history/", views.history, name="history"),
    path("columns/", save_columns, name="save_columns"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("leadit.jobs.urls")),
    path("", include("leadit.accounts.urls")),
    path("", include("leadit.proposals.urls")),
    path("", include("members.urls")),
    path("", include("partnerships.urls")),
]
