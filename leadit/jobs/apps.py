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
    # An import's check and the import itself share the file: the last one takes it.
    if instance.file and not sender.objects.filter(file=instance.file.name).exists():
        instance.file.delete(save=False)
