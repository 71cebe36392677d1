"""Reference data of the demo: sectors, country profiles and technologies."""

from members.models import CountryProfile, Sector
from partnerships.models import Technology

SECTORS = [
    # slug, name, DAC code
    ("steel", "Iron and steel", "32169"),
    ("cement", "Cement and concrete", "32166"),
    ("aluminium", "Aluminium", "32170"),
    ("chemicals", "Chemicals", "32164"),
    ("fertilisers", "Fertilisers", "32165"),
    ("hydrogen", "Hydrogen for industry", "32120"),
    ("aviation", "Aviation", "32172"),
    ("shipping", "Shipping", "32172"),
    ("energy", "Energy and utilities", "23210"),
    ("construction", "Construction", "32120"),
    ("vehicles", "Trucks and vehicles", "32172"),
    ("mining", "Mining and iron ore", "32120"),
]

# code, region, income group, EMDE, net-zero year, status. Regions and income groups follow the
# World Bank classification, EMDE the IMF's; net-zero years are background knowledge [M].
COUNTRIES = [
    ("IN", "south_asia", "lower_middle", True, 2070, "policy"),
    ("SE", "europe_central_asia", "high", False, 2045, "law"),
    ("AR", "latin_america_caribbean", "upper_middle", True, 2050, "policy"),
    ("FI", "europe_central_asia", "high", False, 2035, "law"),
    ("FR", "europe_central_asia", "high", False, 2050, "law"),
    ("DE", "europe_central_asia", "high", False, 2045, "law"),
    ("IE", "europe_central_asia", "high", False, 2050, "law"),
    ("LU", "europe_central_asia", "high", False, 2050, "law"),
    ("NL", "europe_central_asia", "high", False, 2050, "law"),
    ("KR", "east_asia_pacific", "high", False, 2050, "law"),
    ("GB", "europe_central_asia", "high", False, 2050, "law"),
    ("US", "north_america", "high", False, 2050, "policy"),
    ("AT", "europe_central_asia", "high", False, 2040, "policy"),
    ("ET", "sub_saharan_africa", "low", True, None, "none"),
    ("JP", "east_asia_pacific", "high", False, 2050, "law"),
    ("ZA", "sub_saharan_africa", "upper_middle", True, 2050, "policy"),
    ("DK", "europe_central_asia", "high", False, 2050, "law"),
    ("BR", "latin_america_caribbean", "upper_middle", True, 2050, "policy"),
    ("EG", "middle_east_north_africa", "lower_middle", True, None, "none"),
    ("MX", "latin_america_caribbean", "upper_middle", True, 2050, "pledge"),
    ("NA", "sub_saharan_africa", "upper_middle", True, None, "none"),
    ("TR", "europe_central_asia", "upper_middle", True, 2053, "policy"),
    ("UZ", "europe_central_asia", "lower_middle", True, None, "none"),
    ("CN", "east_asia_pacific", "upper_middle", True, 2060, "policy"),
    ("KE", "sub_saharan_africa", "lower_middle", True, None, "none"),
    ("IT", "europe_central_asia", "high", False, 2050, "law"),
    ("NO", "europe_central_asia", "high", False, 2050, "law"),
    ("OM", "middle_east_north_africa", "high", True, 2050, "policy"),
]


TECHNOLOGIES = [
    ("Hydrogen direct reduction (H-DRI)", "h2-dri", "h2_dri", "steel", 7),
    ("Gas DRI switching to hydrogen", "ng-dri-to-h2", "ng_dri_to_h2", "steel", 8),
    ("Scrap-based electric arc furnace", "eaf-scrap", "eaf_scrap", "steel", 11),
    ("Carbon capture, use and storage", "ccus", "ccus", "cement", 7),
    ("Calcined clay (LC3)", "calcined-clay", "calcined_clay", "cement", 8),
    ("Alternative binders from slag", "alt-binder", "alt_binder", "cement", 6),
    ("Supplementary cementitious materials", "scm-blending", "scm_blending", "cement", 10),
    ("Green hydrogen production", "h2-production", "h2_production", "hydrogen", 9),
    ("Waste-heat recovery", "waste-heat", "waste_heat_recovery", "cement", 11),
    ("Energy efficiency", "energy-efficiency", "energy_efficiency", None, 11),
    ("Kiln electrification", "kiln-electrification", "fuel_switch_electrification", "cement", 5),
    ("Hydrogen injection in blast furnaces", "h2-injection", "other", "steel", 7),
]


def build(demo):
    for position, (slug, name, dac) in enumerate(SECTORS, start=1):
        demo.sectors[slug] = Sector.objects.create(
            name=name, slug=slug, position=position, dac_code=dac
        )

    for code, region, income, emde, nz_year, nz_status in COUNTRIES:
        demo.countries[code] = CountryProfile.objects.create(
            country=code,
            region=region,
            income_group=income,
            is_emde=emde,
            net_zero_year=nz_year,
            net_zero_status=nz_status,
            notes="Region and income group: World Bank; EMDE: IMF; net-zero target: background, to verify.",
        )

    for name, slug, category, sector, trl in TECHNOLOGIES:
        demo.technologies[slug] = Technology.objects.create(
            name=name,
            slug=slug,
            category=category,
            trl_typical=trl,
            sector=demo.sectors[sector] if sector else None,
        )
