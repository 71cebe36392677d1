"""`manage.py check --deploy` says so when IATI publishing is not configured."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register("iati", deploy=True)
def iati_reporting_org(app_configs, **kwargs):
    from .iati_export import reporting_org

    try:
        reporting_org()
    except ImproperlyConfigured as error:
        return [
            checks.Warning(
                str(error),
                hint="Without it the IATI files (assistance.xml, iati.xml) answer with an error.",
                id="partnerships.W001",
            )
        ]
    return []
