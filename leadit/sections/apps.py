from django.apps import AppConfig


class SectionsConfig(AppConfig):
    name = "leadit.sections"
    label = "sections"
    verbose_name = "Tracker sections"
