from django.db.models import Case, IntegerField, Value, When

from leadit.sections.imports import tracker_resource

from .models import Member, Organisation

# The columns are the models' declared ones (members/declarations.py).


class OrganisationResource(tracker_resource(Organisation, natural_key=("name",))):
    def filter_export(self, queryset, **kwargs):
        # Parents before their children, so that the file imports as it is: a row can only
        # name a parent that exists or comes earlier in the file.
        depth = Case(
            When(parent__isnull=True, then=Value(0)),
            When(parent__parent__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return super().filter_export(queryset, **kwargs).order_by(depth, "name")


MemberResource = tracker_resource(Member, natural_key=("organisation",))
