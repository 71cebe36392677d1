from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "leadit.sections"
    label = "sections"
    verbose_name = "Tracker sections"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .search import ensure_search_indexes
        from .views import load_column_choices

        # The user's column choices ride in the session from log-in: lists read no table for them.
        user_logged_in.connect(load_column_choices, dispatch_uid="load_column_choices")
        # Text-search indexes a migrate may have lost or may now be able to create (search.py).
        post_migrate.connect(ensure_search_indexes, sender=self, dispatch_uid="search_indexes")
