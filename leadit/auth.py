"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


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
