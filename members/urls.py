from leadit.sections.editing import crud_urls

from . import views
from .forms import MemberForm
from .models import Member

app_name = "members"

urlpatterns = crud_urls(
    "members",
    Member,
    list_view=views.MemberListView,
    detail_view=views.MemberDetailView,
    form_class=MemberForm,
)
