from django.db import migrations

from leadit.roles import grant_see_internal


class Migration(migrations.Migration):

    dependencies = [
        ('sections', '0001_column_choice'),
        ('leadit', '0001_roles'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='columnchoice',
            options={'permissions': [('see_internal', "Can see the Secretariat's internal fields and lists")]},
        ),
        migrations.RunPython(grant_see_internal, migrations.RunPython.noop),
    ]
