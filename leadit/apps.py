from django.apps import AppConfig


class LeaditConfig(AppConfig):
    name = "leadit"
    verbose_name = "LeadIT Tracker"

    def ready(self):
        from . import sessions  # noqa: F401  (connects the login signal)
