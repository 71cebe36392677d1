"""Which records are a focal point's own: their organisations' records, nobody else's."""

from leadit.sections.ownership import is_focal_point, is_theirs, owned
from members.models import Contact, Organisation
from partnerships.models import Engagement, Financing, Participant, Partnership, Project
from tests.factories import (
    ContactFactory,
    EngagementFactory,
    FinancingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProjectFactory,
)


def test_a_focal_point_owns_their_organisations_records_only(make_focal_point, viewer_user):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    user = make_focal_point(ours)
    our_project, other_project = ProjectFactory(sponsor=ours), ProjectFactory(sponsor=theirs)
    provided = FinancingFactory(project=other_project, provider=ours)
    received = EngagementFactory(provider=theirs, recipient=ours)
    other_engagement = EngagementFactory(provider=theirs, recipient=theirs)
    our_contact = ContactFactory(organisation=ours)
    other_contact = ContactFactory(organisation=theirs)
    ParticipantFactory(organisation=ours)
    ParticipantFactory(organisation=ours)

    assert is_focal_point(user) and not is_focal_point(viewer_user)
    assert list(owned(Organisation, user)) == [ours]
    assert list(owned(Project, user)) == [our_project]
    assert list(owned(Financing, user)) == [provided]
    assert list(owned(Engagement, user)) == [received]
    assert list(owned(Contact, user)) == [our_contact]
    assert set(owned(Participant, user)) == set(Participant.objects.filter(organisation=ours))
    assert owned(Participant, user).count() == 2
    # The partnership record is not theirs: only their participation in it.
    assert not owned(Partnership, user).exists()
    assert is_theirs(user, our_project) and not is_theirs(user, other_project)
    assert not is_theirs(user, other_engagement) and not is_theirs(user, other_contact)
    # Nobody else owns anything.
    assert not owned(Project, viewer_user).exists()
    assert not is_theirs(viewer_user, our_project)


def test_nothing_else_is_theirs(make_focal_point):
    """The issue's "Nothing else": not financing others give to their project, not assistance
    they only implement, not forum activities they host, not their subsidiaries' records."""
    from partnerships.models import Assistance, ForumActivity

    from .factories import AssistanceFactory, ForumActivityFactory

    ours, other = OrganisationFactory(), OrganisationFactory()
    user = make_focal_point(ours)
    project = ProjectFactory(sponsor=ours)
    FinancingFactory(project=project, provider=other)
    AssistanceFactory(provider=other, implementer=ours)
    provided = AssistanceFactory(provider=ours)
    ForumActivityFactory().hosts.add(ours)
    subsidiary = OrganisationFactory(parent=ours)
    ProjectFactory(sponsor=subsidiary)

    assert list(owned(Project, user)) == [project]
    assert not owned(Financing, user).exists()
    assert list(owned(Assistance, user)) == [provided]
    assert not owned(ForumActivity, user).exists()
    assert list(owned(Organisation, user)) == [ours]
