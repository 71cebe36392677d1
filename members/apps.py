from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and organisations"

    def ready(self):
        from . import ownership

        ownership.register()  # which of its records belong to a focal point's organisations
