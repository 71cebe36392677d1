import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from leadit.roles import FOCAL_POINT, SECRETARIAT, VIEWER
from members.models import FocalPoint, Organisation

DEMO_PASSWORD = "leadit-demo"
DEMO_USERS = [
    # username, group, is_staff, full name
    ("secretariat", SECRETARIAT, True, "Sam Secretariat"),
    ("viewer", VIEWER, False, "Vera Viewer"),
    ("focalpoint", FOCAL_POINT, False, "Frida Focal"),
]
# The organisations a demo focal point speaks for: Salzgitter AG, a member steel company that
# sponsors two projects of the demo data.
FOCAL_POINT_ORGANISATIONS = {"focalpoint": ["Salzgitter AG"]}


class Command(BaseCommand):
    help = "Development only: load the demo data into an empty database and create demo users."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users are for development only (DJANGO_DEBUG=0 is set).")
        if Organisation.objects.exists():
            self.stdout.write("Demo data: the database already has data, left as it is.")
        else:
            call_command("loaddata", "leadit", verbosity=0)
            # A first version of every record, so the audit trail can show what later edits change.
            call_command("populate_history", auto=True, stdout=io.StringIO())
            self.stdout.write("Demo data: loaded fixtures/leadit.json, with a first history entry.")
        User = get_user_model()
        for username, group, is_staff, full_name in DEMO_USERS:
            first, last = full_name.split()
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.is_staff = first, last, is_staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=group)])
            if username in FOCAL_POINT_ORGANISATIONS:
                names = FOCAL_POINT_ORGANISATIONS[username]
                focal_point, _ = FocalPoint.objects.get_or_create(user=user)
                focal_point.organisations.set(Organisation.objects.filter(name__in=names))
        self.stdout.write(
            "Demo users: secretariat (edits), viewer (reads only) and focalpoint (reads, speaks "
            f"for {', '.join(FOCAL_POINT_ORGANISATIONS['focalpoint'])}), "
            f"password '{DEMO_PASSWORD}'."
        )
