from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "leadit.proposals"
    label = "proposals"
    verbose_name = "Proposals from focal points"
