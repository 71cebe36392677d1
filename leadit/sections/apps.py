from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "leadit.sections"
    label = "sections"
    verbose_name = "Tracker sections"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .views import load_column_choices

        # The user's column choices ride in the session from log-in: lists read no table for them.
        user_logged_in.connect(load_column_choices, dispatch_uid="load_column_choices")
