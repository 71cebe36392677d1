from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships, pipeline and forum"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deploy check)
            ownership,
            panels,
        )

        ownership.register()  # which of its records belong to a focal point's organisations

        panels.register()  # its panels on the member pages of `members`
