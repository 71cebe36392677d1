from leadit.sections.urls import section_urls

from . import views
from .forms import ContactForm, MemberForm, OrganisationForm
from .models import Contact, Member, Organisation

app_name = "members"

urlpatterns = [
    *section_urls(
        "members",
        Member,
        list_view=views.MemberListView,
        detail_view=views.MemberDetailView,
        form_class=MemberForm,
    ),
    *section_urls(
        "organisations",
        Organisation,
        list_view=views.OrganisationListView,
        detail_view=views.OrganisationDetailView,
        form_class=OrganisationForm,
    ),
    *section_urls(
        "contacts",
        Contact,
        list_view=views.ContactListView,
        detail_view=views.ContactDetailView,
        form_class=ContactForm,
    ),
]
