from django.apps import AppConfig
from django.db.models.signals import post_delete


class JobsConfig(AppConfig):
    name = "leadit.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from partnerships import dashboard

        from .models import Job

        dashboard.connect_refresh()  # a write queues the dashboard's figures, after its commit
        post_delete.connect(_delete_file, sender=Job, dispatch_uid="jobs-delete-file")


def _delete_file(sender, instance, **kwargs):
    """A deleted job takes its file with it (the admin deletes old exports)."""
    if instance.file:
        instance.file.delete(save=False)
