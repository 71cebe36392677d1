from django.db import migrations

from leadit.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("leadit", "0002_secretariat_unlocks_accounts"),
        ("members", "0006_focal_point"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
