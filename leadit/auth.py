"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query and
the organisations a focal point speaks for with the user."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import CharField, Q, StringAgg, Value
from django.db.models.functions import Cast


class RoleBackend(ModelBackend):
    """Every page asks what the user may do (to show or hide edit controls). ModelBackend reads
    the user's own and their groups' permissions in two queries; one will do."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = permissions.values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{code}" for app, code in pairs.order_by().distinct()}
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user, with the ids of the organisations they speak for as a focal
        point (`focal_organisations`, read by members.ownership) in the same query: whose records
        are theirs is asked on most pages."""
        users = users_with_organisations()
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@functools.cache
def users_with_organisations():
    """The users, each with `focal_organisations`. Built once (every request reads its user
    through it, and resolving the aggregate was a tenth of a small list's time): a queryset
    runs only as a copy (`.get()`), never itself, so it holds no rows."""
    return get_user_model()._default_manager.annotate(
        focal_organisations=StringAgg(
            Cast("focal_point__organisations", CharField()), Value(","), default=Value("")
        )
    )
