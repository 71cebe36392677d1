from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "leadit.demo"
    label = "demo"
    verbose_name = "Demo data"
