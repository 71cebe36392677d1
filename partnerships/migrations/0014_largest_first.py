from django.db import migrations

from leadit.sections.ordering import largest_first_indexes


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0013_sort_indexes")]

    operations = [
        largest_first_indexes(
            ("partnerships", "project", "capex_musd"),
            ("partnerships", "project", "financing_gap_musd"),
            ("partnerships", "project", "abatement_tco2e"),
            ("partnerships", "project", "planned_commissioning_year"),
            ("partnerships", "engagement", "next_step_due"),
            ("partnerships", "assistance", "amount_musd"),
        )
    ]
