from leadit.sections.urls import section_urls

from . import views
from .forms import MemberForm
from .models import Member

app_name = "members"

urlpatterns = section_urls(
    "members",
    Member,
    list_view=views.MemberListView,
    detail_view=views.MemberDetailView,
    form_class=MemberForm,
)
