"""IATI 2.03 codelists used by the assistance mapping (iatistandard.org, IATI Standard 2.03,
codelists ActivityStatus, FinanceType, FlowType, AidType, PolicySignificance)."""

from django.db import models


class ActivityStatus(models.IntegerChoices):
    PIPELINE = 1, "Pipeline/identification"
    IMPLEMENTATION = 2, "Implementation"
    FINALISATION = 3, "Finalisation"
    CLOSED = 4, "Closed"
    CANCELLED = 5, "Cancelled"
    SUSPENDED = 6, "Suspended"


# Statuses of an activity that has begun: IATI expects its actual start date (activity-date 2).
STARTED = frozenset(
    {
        ActivityStatus.IMPLEMENTATION,
        ActivityStatus.FINALISATION,
        ActivityStatus.CLOSED,
        ActivityStatus.SUSPENDED,
    }
)


class FinanceType(models.IntegerChoices):
    STANDARD_GRANT = 110, "Standard grant"
    INTEREST_SUBSIDY = 210, "Interest subsidy"
    STANDARD_LOAN = 421, "Standard loan"
    REIMBURSABLE_GRANT = 422, "Reimbursable grant"
    BONDS = 423, "Bonds"
    SUBORDINATED_LOAN = 431, "Subordinated loan"
    PREFERRED_EQUITY = 432, "Preferred equity"
    OTHER_HYBRID = 433, "Other hybrid instruments"
    COMMON_EQUITY = 510, "Common equity"
    GUARANTEES = 1100, "Guarantees/insurance"


class FlowType(models.IntegerChoices):
    ODA = 10, "ODA"
    OOF_NON_EXPORT = 21, "Non-export credit OOF"
    EXPORT_CREDIT = 22, "Officially supported export credits"
    PRIVATE_DEVELOPMENT = 30, "Private development finance"
    PRIVATE_FDI = 36, "Private foreign direct investment"
    PRIVATE_MARKET = 37, "Other private flows at market terms"
    NON_FLOW = 40, "Non flow"
    OTHER = 50, "Other flows"


class AidType(models.TextChoices):
    PROJECT = "C01", "Project-type interventions"
    DONOR_PERSONNEL = "D01", "Donor country personnel"
    TECHNICAL_ASSISTANCE = "D02", "Other technical assistance"
    SPECIFIC_PURPOSE_FUND = "B03", "Contributions to specific-purpose programmes and funds"
    POOLED_FUND = "B04", "Basket funds/pooled funding"
    SCHOLARSHIPS = "E01", "Scholarships/training in donor country"


class PolicySignificance(models.IntegerChoices):
    NOT_TARGETED = 0, "Not targeted"
    SIGNIFICANT = 1, "Significant objective"
    PRINCIPAL = 2, "Principal objective"
    PRINCIPAL_PROGRAMME = 3, "Principal objective and in support of an action programme"
    EXPLICIT_PRIMARY = 4, "Explicit primary objective"
