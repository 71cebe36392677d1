from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "leadit.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from partnerships import dashboard

        dashboard.connect_refresh()  # a write queues the dashboard's figures, after its commit
