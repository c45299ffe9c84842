"""Synthetic demo data for Morocco (``himaya seed-demo``).

Everything here is invented, shaped after the figures of the domain context
(HCP 2023: 85.6 % of working children are boys, 91.5 % are aged 15–17, about
80 % live in rural areas, where 74 % work in agriculture; 63 % of working
children do hazardous work):

- organisations: the ministry; per region an association, a labour
  inspectorate, a child protection unit and a court; per province or
  prefecture (those with communes) a school, a second-chance school, a
  vocational training centre, a social protection office and a health centre;
- users: per region one of each role with a predictable username
  (``worker-01``, ``supervisor-01``, ``inspector-01``, ``school-01``,
  ``analyst-01``, ``admin-01``; see :func:`demo_logins`), a supervisor of the
  inspectorate (``inspection-supervisor-01``), one account per provider, and
  the national ``analyst`` and ``admin`` (superuser); all share one password
  hash, computed once by the caller;
- children spread over the communes in proportion to their population aged
  5–19 (2024 census), each identified by a caseworker: the observation is
  classified by the rules engine in batches (``classify_frame``) and stored as
  ``services.identification_record`` stores it; children in child labour get a
  case that went as far along the workflow as its dates allow (consent,
  referrals to the providers of the child's province, follow-up visits,
  closure for each reason), with its timeline and its audit entries;
- a closure "moved" names the association of another region and a commune of
  it; once approved, that association gets what ``case_approve_closure`` gives
  it: its own copy of the household, the child and the latest observation, and
  a new open case ``transferred_from`` the closed one. The copies count among
  the children asked for (as many children not in child labour are left out);
- each region's demo school (``school-01``) is the school of the province with
  the most children expected; it gets most of its province's education
  referrals, and its inbox has the latest of them waiting for its answer.

The labour inspectorate's registers, visits and enforcement follow, made by
``himaya.inspection.demo`` (the command calls both in one transaction).

Children are made and written in chunks of 5,000 (``_insert_rows``: the
rows of ``bulk_create`` without its per-value overhead), inside the caller's
transaction: 100,000 children in a few minutes. Dates lie within the last two
years and never in the future; timestamps are aware.
"""

from __future__ import annotations

import bisect
import random
import time as clock
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from itertools import accumulate, islice
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connections, models, router
from django.utils import timezone

from himaya.accounts.models import (
    SERVICE_OF_KIND,
    Organisation,
    OrganisationKind,
    Role,
    ServiceType,
    User,
)
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services, workflow
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    ClosureReason,
    Household,
    Observation,
    Referral,
    ReferralStatus,
    RiskLevel,
    Sex,
)
from himaya.cases.names import search_text
from himaya.geography.models import Commune, Province, Region
from himaya_rules import FIELDS, classify_frame
from himaya_rules.inputs import _text as cell_text  # the text parse_one reads a value as

#: The documented password of every demo account (local demo only: README).
DEMO_PASSWORD = "himaya-demo"  # noqa: S105 - public, documented demo login

# --- Names --------------------------------------------------------------------------
# Common Moroccan names, (Arabic script, usual Latin spelling).

BOYS: tuple[tuple[str, str], ...] = (
    ("يوسف", "Youssef"),
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("ياسين", "Yassine"),
    ("أيوب", "Ayoub"),
    ("حمزة", "Hamza"),
    ("عمر", "Omar"),
    ("إلياس", "Ilyas"),
    ("آدم", "Adam"),
    ("أنس", "Anas"),
    ("زكرياء", "Zakaria"),
    ("إسماعيل", "Ismail"),
    ("عبد الله", "Abdellah"),
    ("سفيان", "Soufiane"),
    ("بلال", "Bilal"),
    ("المهدي", "El Mehdi"),
    ("رضا", "Reda"),
    ("أمين", "Amine"),
    ("عثمان", "Othmane"),
    ("إدريس", "Driss"),
    ("خالد", "Khalid"),
    ("سعيد", "Said"),
    ("كريم", "Karim"),
    ("هشام", "Hicham"),
    ("نبيل", "Nabil"),
    ("مروان", "Marouane"),
    ("وليد", "Walid"),
    ("أسامة", "Oussama"),
    ("عبد الرحيم", "Abderrahim"),
    ("إبراهيم", "Brahim"),
    ("مصطفى", "Mustapha"),
    ("حسن", "Hassan"),
    ("الحسين", "El Houssine"),
    ("رشيد", "Rachid"),
    ("عادل", "Adil"),
)
GIRLS: tuple[tuple[str, str], ...] = (
    ("فاطمة", "Fatima"),
    ("خديجة", "Khadija"),
    ("مريم", "Meryem"),
    ("سلمى", "Salma"),
    ("هبة", "Hiba"),
    ("آية", "Aya"),
    ("إيمان", "Imane"),
    ("سارة", "Sara"),
    ("نهى", "Noha"),
    ("زينب", "Zineb"),
    ("حفصة", "Hafsa"),
    ("كوثر", "Kaoutar"),
    ("أسماء", "Asmae"),
    ("سكينة", "Soukaina"),
    ("هاجر", "Hajar"),
    ("وئام", "Wiam"),
    ("شيماء", "Chaimae"),
    ("غيثة", "Ghita"),
    ("نادية", "Nadia"),
    ("لبنى", "Loubna"),
    ("سناء", "Sanae"),
    ("رجاء", "Rajae"),
    ("إكرام", "Ikram"),
    ("جميلة", "Jamila"),
    ("حنان", "Hanane"),
    ("عائشة", "Aicha"),
    ("ياسمين", "Yasmine"),
    ("دعاء", "Douae"),
    ("أمينة", "Amina"),
    ("منال", "Manal"),
)
FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("العلوي", "El Alaoui"),
    ("الإدريسي", "El Idrissi"),
    ("بنعلي", "Benali"),
    ("التازي", "Tazi"),
    ("الفاسي", "El Fassi"),
    ("بنجلون", "Benjelloun"),
    ("بناني", "Bennani"),
    ("الشرايبي", "Chraibi"),
    ("العمراني", "El Amrani"),
    ("الحسني", "El Hassani"),
    ("بوزيد", "Bouzid"),
    ("الوزاني", "Ouazzani"),
    ("المرابط", "Mrabet"),
    ("السوسي", "Soussi"),
    ("آيت علي", "Ait Ali"),
    ("أمزيان", "Amziane"),
    ("أوحمو", "Ouhammou"),
    ("الزياني", "Zayani"),
    ("الكتاني", "Kettani"),
    ("برادة", "Berrada"),
    ("السقاط", "Sekkat"),
    ("الطاهري", "Taheri"),
    ("المنصوري", "El Mansouri"),
    ("الرحماني", "Rahmani"),
    ("البقالي", "El Bakkali"),
    ("الخطابي", "El Khattabi"),
    ("الريفي", "Rifi"),
    ("الدكالي", "Doukkali"),
    ("الشاوي", "Chaoui"),
    ("الزموري", "Zemmouri"),
    ("بوعزة", "Bouazza"),
    ("بلحاج", "Belhaj"),
    ("بنموسى", "Benmoussa"),
    ("بنكيران", "Benkirane"),
    ("الغزواني", "Ghazouani"),
    ("الصحراوي", "Sahraoui"),
    ("الحداد", "Haddad"),
    ("النجار", "Najjar"),
    ("الخياطي", "Khayati"),
    ("العطار", "Attar"),
    ("الشرقاوي", "Cherkaoui"),
    ("الغربي", "Gharbi"),
    ("المكناسي", "Meknassi"),
    ("الرباطي", "Rbati"),
    ("الطنجي", "Tanji"),
    ("أوعلي", "Ouali"),
    ("أمغار", "Amghar"),
    ("أخريف", "Akhrif"),
    ("بوطالب", "Boutaleb"),
    ("الموساوي", "Moussaoui"),
    ("الهاشمي", "Hachimi"),
    ("الجراري", "Jirari"),
    ("العثماني", "El Othmani"),
    ("الزهراوي", "Zahraoui"),
    ("الناصري", "Naciri"),
    ("القادري", "Kadiri"),
    ("اليوسفي", "Youssoufi"),
    ("البركاني", "Berkani"),
    ("الصديقي", "Seddiki"),
    ("بنسعيد", "Bensaid"),
)

# --- Organisations --------------------------------------------------------------------

MINISTRY_NAME = (
    "Ministère de l'Inclusion économique, de la Petite entreprise, de l'Emploi et des Compétences",
    "وزارة الإدماج الاقتصادي والمقاولة الصغرى والتشغيل والكفاءات",
)
#: kind -> (French, Arabic) name patterns; {fr} / {ar} is the region's name.
REGION_ORGANISATIONS: dict[str, tuple[str, str]] = {
    OrganisationKind.ASSOCIATION: (
        "Association Amal pour la protection de l'enfance – {fr}",
        "جمعية الأمل لحماية الطفولة – {ar}",
    ),
    OrganisationKind.INSPECTORATE: (
        "Inspection du travail, direction régionale – {fr}",
        "مفتشية الشغل، المديرية الجهوية – {ar}",
    ),
    OrganisationKind.CHILD_PROTECTION: (
        "Unité de protection de l'enfance – {fr}",
        "وحدة حماية الطفولة – {ar}",
    ),
    OrganisationKind.COURT: (
        "Parquet des mineurs, tribunal de première instance – {fr}",
        "النيابة العامة المكلفة بالأحداث، المحكمة الابتدائية – {ar}",
    ),
}
#: kind -> (French, Arabic) name patterns; {fr} / {ar} is the province's name.
PROVINCE_ORGANISATIONS: dict[str, tuple[str, str]] = {
    OrganisationKind.SCHOOL: (
        "Groupe scolaire Ibn Khaldoun – {fr}",
        "المجموعة المدرسية ابن خلدون – {ar}",
    ),
    OrganisationKind.SECOND_CHANCE_SCHOOL: (
        "École de la deuxième chance – {fr}",
        "مدرسة الفرصة الثانية – {ar}",
    ),
    OrganisationKind.TRAINING_CENTRE: (
        "Centre de formation professionnelle – {fr}",
        "مركز التكوين المهني – {ar}",
    ),
    OrganisationKind.SOCIAL_PROTECTION: (
        "Bureau de la protection sociale – {fr}",
        "مكتب الحماية الاجتماعية – {ar}",
    ),
    OrganisationKind.HEALTH_CENTRE: ("Centre de santé – {fr}", "المركز الصحي – {ar}"),
}
#: Username prefix of each provider's account: ``<prefix>-<territory code>``.
PROVIDER_SLUG: dict[str, str] = {
    OrganisationKind.SCHOOL: "school",
    OrganisationKind.SECOND_CHANCE_SCHOOL: "second-chance",
    OrganisationKind.TRAINING_CENTRE: "training",
    OrganisationKind.SOCIAL_PROTECTION: "social-protection",
    OrganisationKind.HEALTH_CENTRE: "health",
    OrganisationKind.CHILD_PROTECTION: "child-protection",
    OrganisationKind.COURT: "court",
}
#: Permissions of the regional administrators (group "Demo administrators").
ADMIN_PERMISSIONS = (
    "add_organisation",
    "change_organisation",
    "view_organisation",
    "add_user",
    "change_user",
    "view_user",
    "view_apitoken",
    "delete_apitoken",
)
ADMIN_GROUP = "Demo administrators"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    what: str


def demo_logins(region: str = "01") -> list[DemoLogin]:
    """One login per role (those of a region, and the national ones), as printed by make run."""
    return [
        DemoLogin(f"worker-{region}", Role.SOCIAL_WORKER, "identifies children, follows cases"),
        DemoLogin(f"supervisor-{region}", Role.SUPERVISOR, "approves, sees the region's caseload"),
        DemoLogin(
            f"inspector-{region}", Role.INSPECTOR, "labour inspector: visits, notices, reports"
        ),
        DemoLogin(
            f"inspection-supervisor-{region}", Role.SUPERVISOR, "inspection office: plan, cases"
        ),
        DemoLogin(f"school-{region}", Role.PROVIDER, "a school: answers its referrals"),
        DemoLogin(f"analyst-{region}", Role.ANALYST, "the region's figures, no names"),
        DemoLogin(f"admin-{region}", Role.ADMINISTRATOR, "manages organisations and users"),
        DemoLogin("analyst", Role.ANALYST, "national figures"),
        DemoLogin("admin", Role.ADMINISTRATOR, "superuser (Django admin)"),
    ]


# --- Work -----------------------------------------------------------------------------
# Sector weights of working children; HCP: 74 % of rural working children in agriculture.
RURAL_SECTORS = {
    "agriculture": 74,
    "fishing": 2,
    "trade": 6,
    "construction": 5,
    "manufacturing": 3,
    "domestic_work": 5,
    "street_work": 2,
    "hospitality": 2,
    "transport": 1,
}
URBAN_SECTORS = {
    "trade": 24,
    "manufacturing": 19,
    "hospitality": 15,
    "construction": 14,
    "street_work": 10,
    "domestic_work": 8,
    "transport": 5,
    "agriculture": 3,
    "other": 2,
}
#: Hazards typical of each sector (codes of the rules specification).
SECTOR_HAZARDS = {
    "agriculture": ("pesticides_chemicals", "sharp_tools", "heavy_loads", "extreme_temperature"),
    "fishing": ("underwater", "extreme_temperature", "heavy_loads"),
    "mining_quarrying": ("underground", "dust_fumes", "heavy_loads"),
    "manufacturing": ("dangerous_machinery", "dust_fumes", "noise_vibration", "sharp_tools"),
    "construction": ("heights", "heavy_loads", "dust_fumes"),
    "trade": ("heavy_loads", "long_hours"),
    "hospitality": ("long_hours", "fire_gas_explosives", "extreme_temperature"),
    "transport": ("heavy_loads", "long_hours"),
    "domestic_work": ("confined_to_premises", "long_hours", "abuse"),
    "street_work": ("abuse", "long_hours", "extreme_temperature"),
    "other": ("long_hours",),
}
SECTOR_WORST_FORMS = {
    "domestic_work": ("forced_labour", "debt_bondage", "trafficking"),
    "street_work": ("illicit_activities", "sexual_exploitation"),
    "agriculture": ("debt_bondage", "forced_labour"),
}
#: Usual working hours by sector ("HH:MM" start, end); hospitality and street work run late.
SECTOR_HOURS = {
    "agriculture": (time(6), time(14)),
    "fishing": (time(4), time(12)),
    "hospitality": (time(17), time(23, 30)),
    "street_work": (time(15), time(22)),
    "trade": (time(9), time(19)),
}
SECTOR_PLACES = {
    "agriculture": ("Exploitation agricole", "Verger", "Serre maraîchère", "Élevage"),
    "fishing": ("Port de pêche", "Barque de pêche"),
    "mining_quarrying": ("Carrière",),
    "manufacturing": ("Atelier de menuiserie", "Atelier de couture", "Poterie", "Tannerie"),
    "construction": ("Chantier de construction", "Briqueterie"),
    "trade": ("Souk hebdomadaire", "Épicerie", "Marché de gros"),
    "hospitality": ("Café", "Snack", "Restaurant"),
    "transport": ("Gare routière", "Garage"),
    "domestic_work": ("Domicile de l'employeur",),
    "street_work": ("Voie publique", "Feux de circulation"),
    "other": ("Hammam",),
}
RURAL_ADDRESSES = ("Douar Ouled Ali", "Douar Tafraout", "Douar Lamhamid", "Douar Ait Hammou")
URBAN_ADDRESSES = ("Hay Mohammadi", "Hay Salam", "Hay Nahda", "Derb Sidi Ahmed", "Hay Al Qods")
CNIE_PREFIXES = ("A", "AB", "BE", "BH", "BK", "C", "CD", "D", "EE", "G", "H", "J", "K", "L", "M")
MASSAR_LETTERS = "ABCDEFGHIJKLMNPRS"

ASSESSMENTS = (
    "Travaille pour aider la famille ; a quitté l'école il y a un an.",
    "Déscolarisé, travaille avec un parent ; la famille est favorable à un retour à l'école.",
    "Travail pénible et horaires longs ; besoin d'une prise en charge rapide.",
    "Famille en situation de précarité, sans couverture sociale.",
    "L'enfant souhaite apprendre un métier.",
)
REFUSALS = (
    "Plus de place disponible cette année.",
    "L'enfant ne réside pas dans notre secteur.",
    "Dossier incomplet : acte de naissance manquant.",
)
DELIVERIES = {
    ServiceType.EDUCATION: "Inscrit(e) et présent(e) en classe.",
    ServiceType.VOCATIONAL: "Inscrit(e) en formation par apprentissage.",
    ServiceType.SOCIAL_PROTECTION: "Famille inscrite à l'AMO et à l'aide sociale directe.",
    ServiceType.HEALTH: "Consultation et bilan de santé faits.",
    ServiceType.CHILD_PROTECTION: "Prise en charge par l'unité de protection.",
    ServiceType.JUSTICE: "Signalement transmis au parquet.",
}
REFERRAL_NOTES = {
    ServiceType.EDUCATION: "Enfant déscolarisé ; demande de réinscription.",
    ServiceType.VOCATIONAL: "Demande d'orientation vers une formation qualifiante.",
    ServiceType.SOCIAL_PROTECTION: "Famille sans couverture sociale.",
    ServiceType.HEALTH: "Bilan de santé après un travail dangereux.",
    ServiceType.CHILD_PROTECTION: "Situation de danger ; protection demandée.",
    ServiceType.JUSTICE: "Pire forme de travail des enfants ; saisine du parquet.",
}

# How far each case goes (unless its dates run out first): cases opened within
# the last year, and older ones; and how closed cases close.
FATES = {
    CaseStatus.IDENTIFIED: 10,
    CaseStatus.ASSESSED: 8,
    CaseStatus.REFERRED: 12,
    CaseStatus.IN_REMEDIATION: 15,
    CaseStatus.MONITORING: 35,
    CaseStatus.CLOSED: 20,
}
OLD_CASE_FATES = {
    CaseStatus.IDENTIFIED: 2,
    CaseStatus.ASSESSED: 3,
    CaseStatus.REFERRED: 4,
    CaseStatus.IN_REMEDIATION: 6,
    CaseStatus.MONITORING: 25,
    CaseStatus.CLOSED: 60,
}
CLOSURES = {
    ClosureReason.OUT_OF_CHILD_LABOUR: 60,
    ClosureReason.TURNED_18: 15,
    ClosureReason.MOVED: 10,
    ClosureReason.LOST_TO_FOLLOW_UP: 15,
}
#: Referrals waiting for the answer of each demo login's school (``school-01``): its
#: province's latest cases old enough to be referred (LEAD days: assessment,
#: approval and consent at the latest) are referred to it and wait.
INBOX = 6
INBOX_LEAD = 31
#: Share of the children found in rural communes (HCP: about 80 %).
RURAL_SHARE = 0.80
#: Share of the children identified by the labour inspectorate (the rest: associations).
INSPECTORATE_SHARE = 0.25
DAYS_BACK = 730  # identifications spread over the last two years


# --- The report -------------------------------------------------------------------------


@dataclass
class SeedReport:
    organisations: int = 0
    users: int = 0
    households: int = 0
    children: int = 0
    observations: int = 0
    cases: int = 0
    referrals: int = 0
    case_events: int = 0
    audit_entries: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        by_status = ", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.children} children in {self.households} households, "
            f"{self.observations} observations, {self.cases} cases ({by_status}), "
            f"{self.referrals} referrals, {self.case_events} case events, "
            f"{self.audit_entries} audit entries; {self.organisations} organisations and "
            f"{self.users} users created; {self.seconds:.1f} s"
        )


# --- Helpers ------------------------------------------------------------------------------


class _Weighted:
    """Draws keys with the given weights (cumulative weights, bisect)."""

    def __init__(self, weights: Mapping[Any, float]):
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def draw(self, rng: random.Random) -> Any:
        point = rng.random() * self.cumulative[-1]
        return self.keys[bisect.bisect_right(self.cumulative, point)]


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _birthday(birth: date, years: int) -> date:
    """The day the child turns ``years`` (1 March in common years for a 29 February)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def _organisation_id(actor: User) -> int:
    if actor.organisation_id is None:
        raise ValueError(f"demo account {actor.username} has no organisation")
    return actor.organisation_id


def _resolve(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, _VerdictOf):
        return value.observation.verdict
    return value


@dataclass(frozen=True)
class _VerdictOf:
    """The verdict of an observation classified later (in a case event's detail)."""

    observation: Observation


def _named(organisation: Organisation) -> dict[str, Any]:
    """An organisation as the timeline names it (``services._organisation_detail``)."""
    return {
        "organisation": organisation.pk,
        "name": organisation.name,
        "name_ar": organisation.name_ar,
    }


@dataclass(frozen=True)
class _Transfer:
    """A closure "moved" approved: the case, when, by whom, where the child went."""

    case: Case
    at: datetime
    actor: User
    day: date
    receiving: Organisation
    commune: Mapping[str, Any]


# --- The world: organisations and users -------------------------------------------------


@dataclass
class _RegionStaff:
    association: Organisation
    inspectorate: Organisation
    worker: User
    supervisor: User
    inspector: User
    inspection_supervisor: User


@dataclass
class _World:
    staff: dict[str, _RegionStaff]
    #: (province code, kind) or (region code, kind) -> provider
    providers: dict[tuple[str, str], Organisation]
    #: provider's pk -> the account that answers its referrals
    provider_actor: dict[int, User]
    #: province code -> the pk of its school when a demo login answers for it (``school-01``)
    login_schools: dict[str, int]
    #: province code -> how many more of its cases still go to that school's inbox
    inbox_left: dict[str, int]
    #: pk -> the organisations of the cases (associations, inspectorates)
    organisations: dict[int, Organisation]
    #: region code -> its association (regions with communes): where a child moves to
    associations: dict[str, Organisation]
    #: region code -> its communes and their weights (children aged 5–19)
    region_communes: dict[str, tuple[list[Mapping[str, Any]], _Weighted]]
    communes: Sequence[Mapping[str, Any]]

    def receiving(
        self, region: str, rng: random.Random
    ) -> tuple[Organisation, Mapping[str, Any]] | None:
        """The association of another region a child moves to, and the commune of
        that region, both drawn by their children; None when there is no other region."""
        others = {
            code: self.region_communes[code][1].cumulative[-1]
            for code in self.associations
            if code != region
        }
        if not others:
            return None
        code = _Weighted(others).draw(rng)
        communes, weights = self.region_communes[code]
        return self.associations[code], communes[weights.draw(rng)]


def _ensure_organisations(
    regions: Sequence[Region], provinces: Sequence[Province], report: SeedReport
) -> tuple[Organisation, dict[tuple[str, str], Organisation]]:
    wanted: list[Organisation] = [
        Organisation(
            name=MINISTRY_NAME[0],
            name_ar=MINISTRY_NAME[1],
            kind=OrganisationKind.MINISTRY,
            territory_code="",
        )
    ]
    for region in regions:
        for kind, (fr, ar) in REGION_ORGANISATIONS.items():
            wanted.append(
                Organisation(
                    name=fr.format(fr=region.name_fr),
                    name_ar=ar.format(ar=region.name_ar),
                    kind=kind,
                    territory_code=region.code,
                )
            )
    for province in provinces:
        for kind, (fr, ar) in PROVINCE_ORGANISATIONS.items():
            wanted.append(
                Organisation(
                    name=fr.format(fr=province.name_fr),
                    name_ar=ar.format(ar=province.name_ar),
                    kind=kind,
                    territory_code=province.code,
                )
            )
    existing = {
        (o.kind, o.territory_code, o.name): o
        for o in Organisation.objects.filter(kind__in=[o.kind for o in wanted])
    }
    missing = [o for o in wanted if (o.kind, o.territory_code, o.name) not in existing]
    Organisation.objects.bulk_create(missing)
    report.organisations += len(missing)
    for o in missing:
        existing[o.kind, o.territory_code, o.name] = o
    found = {(o.territory_code, o.kind): existing[o.kind, o.territory_code, o.name] for o in wanted}
    return found["", OrganisationKind.MINISTRY], found


def _ensure_world(*, password_hash: str, rng: random.Random, report: SeedReport) -> _World:
    communes = list(
        Commune.objects.order_by("code").values(
            "code",
            "province_id",
            "region_id",
            "kind",
            "population_2024",
            "population_5_9",
            "population_10_14",
            "population_15_19",
        )
    )
    with_communes = {c["province_id"] for c in communes}
    regions = list(Region.objects.order_by("code"))
    provinces = [p for p in Province.objects.order_by("code") if p.code in with_communes]
    ministry, organisations = _ensure_organisations(regions, provinces, report)
    # The demo login of each region's school (``school-01``) answers for the school
    # of the province where the demo identifies the most children: a full inbox.
    expected = _expected_children(communes)
    busiest_province: dict[str, str] = {}
    for province in sorted(provinces, key=lambda p: (-expected.get(p.code, 0.0), p.code)):
        busiest_province.setdefault(province.region_id, province.code)

    users: dict[str, User] = {u.username: u for u in User.objects.all()}
    new_users: list[User] = []

    def user(username: str, role: str, organisation: Organisation, territory: str) -> User:
        found = users.get(username)
        if found is not None:
            return found
        sex_names = BOYS if rng.random() < 0.5 else GIRLS
        account = User(
            username=username,
            password=password_hash,
            first_name=rng.choice(sex_names)[1],
            last_name=rng.choice(FAMILY_NAMES)[1],
            role=role,
            organisation=organisation,
            territory_code=territory,
            is_staff=role == Role.ADMINISTRATOR,
        )
        users[username] = account
        new_users.append(account)
        return account

    staff: dict[str, _RegionStaff] = {}
    provider_actor_name: dict[tuple[str, str], str] = {}
    administrators: list[User] = []
    for region in regions:
        code = region.code
        association = organisations[code, OrganisationKind.ASSOCIATION]
        inspectorate = organisations[code, OrganisationKind.INSPECTORATE]
        staff[code] = _RegionStaff(
            association=association,
            inspectorate=inspectorate,
            worker=user(f"worker-{code}", Role.SOCIAL_WORKER, association, code),
            supervisor=user(f"supervisor-{code}", Role.SUPERVISOR, association, code),
            inspector=user(f"inspector-{code}", Role.INSPECTOR, inspectorate, code),
            inspection_supervisor=user(
                f"inspection-supervisor-{code}", Role.SUPERVISOR, inspectorate, code
            ),
        )
        if code in busiest_province:
            busiest = busiest_province[code]
            user(
                f"school-{code}",
                Role.PROVIDER,
                organisations[busiest, OrganisationKind.SCHOOL],
                busiest,
            )
            provider_actor_name[busiest, OrganisationKind.SCHOOL] = f"school-{code}"
        user(f"analyst-{code}", Role.ANALYST, ministry, code)
        administrators.append(user(f"admin-{code}", Role.ADMINISTRATOR, ministry, code))
    for (territory, kind), organisation in organisations.items():
        if kind in PROVIDER_SLUG:
            account = user(
                f"{PROVIDER_SLUG[kind]}-{territory}", Role.PROVIDER, organisation, territory
            )
            provider_actor_name.setdefault((territory, kind), account.username)
    user("analyst", Role.ANALYST, ministry, "")
    superuser = "admin" not in users
    admin = user("admin", Role.ADMINISTRATOR, ministry, "")
    if superuser:
        admin.is_superuser = True
        admin.first_name, admin.last_name = "", ""
    User.objects.bulk_create(new_users)
    report.users += len(new_users)

    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="accounts", codename__in=ADMIN_PERMISSIONS
        )
    )
    fresh = {u.pk for u in new_users}
    group.user_set.add(*[a for a in administrators if a.pk in fresh])

    providers = {key: o for key, o in organisations.items() if key[1] in PROVIDER_SLUG}
    login_schools = {
        account.territory_code: _organisation_id(account)
        for account in (users.get(f"school-{code}") for code in busiest_province)
        if account is not None
    }
    by_region: dict[str, list[Mapping[str, Any]]] = {}
    for commune in communes:
        by_region.setdefault(commune["region_id"], []).append(commune)
    return _World(
        staff=staff,
        providers=providers,
        provider_actor={
            organisations[key].pk: users[name] for key, name in provider_actor_name.items()
        },
        login_schools=login_schools,
        inbox_left=dict.fromkeys(login_schools, INBOX),
        organisations={o.pk: o for s in staff.values() for o in (s.association, s.inspectorate)},
        associations={code: staff[code].association for code in staff if code in by_region},
        region_communes={
            code: (group, _Weighted({i: _children_of(c) for i, c in enumerate(group)}))
            for code, group in by_region.items()
        },
        communes=communes,
    )


# --- One chunk of children ----------------------------------------------------------------


#: The fields of ``ObservationIn`` stored on the observation as they are.
_OBSERVATION_FIELDS = [f.name for f in fields(services.ObservationIn) if f.name != "commune"]


class _Chunk:
    """The rows of a chunk of children, planned in memory, then written in order."""

    def __init__(self, world: _World, rng: random.Random, today: date, now: datetime):
        self.world, self.rng, self.today, self.now = world, rng, today, now
        self.zone = timezone.get_current_timezone()
        self.households: list[Household] = []
        self.children: list[Child] = []
        self.identifications: list[tuple[Observation, services.ObservationIn]] = []
        self.follow_ups: list[tuple[Observation, services.ObservationIn]] = []
        self.cases: list[Case] = []
        self.case_observations: dict[int, list[Observation]] = {}
        self.referrals: list[Referral] = []
        self.events: list[tuple[Case, datetime, User, str, dict[str, Any]]] = []
        self.audits: list[
            tuple[datetime, User, AuditEvent, models.Model | None, Child | None, dict[str, Any]]
        ] = []
        #: Closures "moved" approved, made into the receiving organisation's records
        #: by ``transfer_cases``; and those records: cases and their observations.
        self.transfers: list[_Transfer] = []
        self.transferred_cases: list[Case] = []
        self.transferred_observations: list[Observation] = []
        #: Children not in child labour this chunk may still give up, one for each
        #: child's copy made by a transfer (the chunk writes as many children as asked).
        self.spare = 0
        #: The schools a demo login answers for (their inbox: see ``open_cases``).
        self.inbox_schools = set(world.login_schools.values())

    # -- time

    def moment(self, day: date, after: datetime | None = None) -> datetime:
        """A working hour of ``day``, after ``after`` when given, never after now."""
        at = datetime.combine(
            day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.zone
        )
        if after is not None and at <= after:
            at = after + timedelta(minutes=self.rng.randint(1, 30))
        return min(at, self.now)

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    # -- records

    def audit(
        self,
        at: datetime,
        actor: User,
        event: AuditEvent,
        obj: models.Model | None,
        child: Child | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.audits.append((at, actor, event, obj, child, detail or {}))

    def event(
        self, case: Case, at: datetime, actor: User, kind: str, detail: dict[str, Any]
    ) -> None:
        self.events.append((case, at, actor, kind, detail))

    def observation(
        self,
        *,
        child: Child,
        kind: str,
        actor: User,
        on: date,
        data: services.ObservationIn,
        at: datetime,
    ) -> Observation:
        fields = {name: getattr(data, name) for name in _OBSERVATION_FIELDS}
        return Observation(
            child=child,
            kind=kind,
            organisation_id=_organisation_id(actor),
            observed_by=actor,
            commune_id=child.commune_id,
            age=workflow.age_on(child.birth_date, on),
            created_at=at,
            **fields,
        )

    # -- classification

    def classify(self, pairs: Sequence[tuple[Observation, services.ObservationIn]]) -> None:
        """Classify in one batch and store what ``identification_record`` stores."""
        if not pairs:
            return
        columns: dict[str, list[str | None]] = {name: [] for name in FIELDS}
        for index, (saved, data) in enumerate(pairs):
            child = saved.child
            values = services._engine_input(
                data,
                birth_date=child.birth_date,
                estimated=child.birth_date_estimated,
                sex=child.sex,
            )
            values["id"] = str(index)
            for name in FIELDS:
                columns[name].append(cell_text(values.get(name)))
        frame = pl.DataFrame(
            {name: pl.Series(name, v, dtype=pl.String) for name, v in columns.items()}
        )
        result = classify_frame(frame, settings.HIMAYA_RULESET)
        if result.errors:
            row, error = result.errors[0]
            raise RuntimeError(f"demo observation {row} rejected: {error}")
        chosen = result.ruleset
        version = services.ruleset_version()
        names = result.verdict_names().to_list()
        fired: dict[int, tuple[list[str], list[str]]] = {}
        for mask in np.unique(result.rule_masks).tolist():
            indices = [i for i in range(len(chosen.rules)) if mask >> i & 1]
            fired[mask] = (
                [chosen.rule_ids[i] for i in indices],
                [chosen.citations[i] for i in indices],
            )
        for row, verdict, mask in zip(
            result.rows.tolist(), names, result.rule_masks.tolist(), strict=True
        ):
            saved = pairs[row][0]
            saved.ruleset, saved.ruleset_version, saved.verdict = chosen.name, version, verdict
            rules, citations = fired[mask]
            saved.rules, saved.citations = list(rules), list(citations)

    # -- children

    def add_children(self, count: int) -> None:
        world, rng = self.world, self.rng
        rural = [c for c in world.communes if c["kind"] == "rural"] or world.communes
        urban = [c for c in world.communes if c["kind"] == "urban"] or world.communes
        pick_rural, pick_urban = (
            _Weighted({i: _children_of(c) for i, c in enumerate(group)}) for group in (rural, urban)
        )
        rural_sectors, urban_sectors = _Weighted(RURAL_SECTORS), _Weighted(URBAN_SECTORS)
        while len(self.children) < count:
            is_rural = rng.random() < RURAL_SHARE
            commune = (rural[pick_rural.draw(rng)]) if is_rural else urban[pick_urban.draw(rng)]
            staff = world.staff[commune["region_id"]]
            by_inspector = rng.random() < INSPECTORATE_SHARE
            actor = staff.inspector if by_inspector else staff.worker
            family = rng.choice(FAMILY_NAMES)
            siblings = 2 if rng.random() < 0.12 and len(self.children) + 1 < count else 1
            observed_on = self.today - self.days(0, DAYS_BACK)
            at = self.moment(observed_on)
            household = self.household(commune, family, actor, at, is_rural)
            for _ in range(siblings):
                sectors = rural_sectors if is_rural else urban_sectors
                self.child(household, family, actor, observed_on, at, sectors)
                at = self.moment(observed_on, at)

    def household(
        self,
        commune: dict[str, Any],
        family: tuple[str, str],
        actor: User,
        at: datetime,
        rural: bool,
    ) -> Household:
        rng = self.rng
        guardian = rng.choice(GIRLS if rng.random() < 0.45 else BOYS)[1]
        street = rng.choice(RURAL_ADDRESSES if rural else URBAN_ADDRESSES)
        household = Household(
            organisation_id=_organisation_id(actor),
            created_by=actor,
            created_at=at,
            commune_id=commune["code"],
            province_id=commune["province_id"],
            region_id=commune["region_id"],
            address=street
            if rural
            else f"{street}, rue {rng.randint(1, 80)}, n° {rng.randint(1, 150)}",
            guardian_name=f"{guardian} {family[1]}",
            guardian_phone=f"0{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"
            if rng.random() < 0.6
            else "",
            guardian_cnie=f"{rng.choice(CNIE_PREFIXES)}{rng.randint(10_000, 999_999)}"
            if rng.random() < 0.5
            else "",
            rsu_number=f"{rng.randint(10**11, 10**12 - 1)}" if rng.random() < 0.4 else "",
        )
        self.households.append(household)
        return household

    def child(
        self,
        household: Household,
        family: tuple[str, str],
        actor: User,
        observed_on: date,
        at: datetime,
        sectors: _Weighted,
    ) -> None:
        rng = self.rng
        boy = rng.random() < 0.856
        first = rng.choice(BOYS if boy else GIRLS)
        share = rng.random()
        age = (
            rng.randint(15, 17)
            if share < 0.915
            else rng.randint(10, 14)
            if share < 0.99
            else rng.randint(7, 9)
        )
        estimated = rng.random() < 0.25
        if estimated:
            birth = date(observed_on.year - age, rng.choice((1, 7)), 1)
            if birth > _years_before(observed_on, age):
                birth = _years_before(birth, 1)
        else:
            birth = _years_before(observed_on, age) - self.days(0, 364)
        child = Child(
            household=household,
            organisation_id=_organisation_id(actor),
            created_by=actor,
            created_at=at,
            commune_id=household.commune_id,
            province_id=household.province_id,
            region_id=household.region_id,
            first_name_ar=first[0],
            family_name_ar=family[0],
            first_name_latin=first[1],
            family_name_latin=family[1],
            sex=Sex.MALE if boy else Sex.FEMALE,
            birth_date=birth,
            birth_date_estimated=estimated,
            massar_code=f"{rng.choice(MASSAR_LETTERS)}{rng.randint(10**8, 10**9 - 1):09d}"
            if rng.random() < 0.4
            else "",
            search_text=search_text(first[0], family[0], first[1], family[1]),
        )
        self.children.append(child)
        age_now = workflow.age_on(birth, observed_on)
        data = self.work(sectors, boy, age_now, observed_on)
        saved = self.observation(
            child=child,
            kind=Observation.Kind.IDENTIFICATION,
            actor=actor,
            on=observed_on,
            data=data,
            at=self.moment(observed_on, at),
        )
        self.identifications.append((saved, data))

    def work(self, sectors: _Weighted, boy: bool, age: int, on: date) -> services.ObservationIn:
        rng = self.rng
        sector = "domestic_work" if not boy and rng.random() < 0.3 else sectors.draw(rng)
        hazards: list[str] = []
        if rng.random() < 0.63:
            pool = SECTOR_HAZARDS[sector]
            hazards = sorted(rng.sample(pool, min(len(pool), 1 if rng.random() < 0.7 else 2)))
        worst: list[str] = []
        if rng.random() < 0.006:
            worst = [rng.choice(SECTOR_WORST_FORMS.get(sector, ("trafficking",)))]
        hours = rng.gauss(42, 12) if age >= 15 else rng.gauss(22, 8)
        start = end = None
        if sector in SECTOR_HOURS and rng.random() < 0.4:
            start, end = SECTOR_HOURS[sector]
        return services.ObservationIn(
            observed_on=on,
            place=rng.choice(SECTOR_PLACES[sector]),
            economic_hours_week=round(min(max(hours, 4.0), 84.0) * 2) / 2,
            chores_hours_week=float(rng.randint(0, 20)) if rng.random() < 0.6 else None,
            sector=sector,
            domestic_worker=sector == "domestic_work" and rng.random() < 0.8,
            usual_start=start,
            usual_end=end,
            night_work=start is None and rng.random() < 0.03,
            hazards=hazards,
            worst_forms=worst,
            apprenticeship=age >= 15
            and sector in ("manufacturing", "trade")
            and rng.random() < 0.1,
            in_school_or_training=None if rng.random() < 0.2 else rng.random() < 0.3,
        )

    # -- identification audit, cases

    def identification_audits(self) -> None:
        for saved, _ in self.identifications:
            child, actor = saved.child, saved.observed_by
            self.audit(saved.created_at, actor, AuditEvent.CHILD_CREATED, child, child)
            self.audit(
                saved.created_at,
                actor,
                AuditEvent.IDENTIFICATION_CREATED,
                saved,
                child,
                {"verdict": saved.verdict, "rules": list(saved.rules)},
            )

    def open_cases(self) -> None:
        fates, old_fates = _Weighted(FATES), _Weighted(OLD_CASE_FATES)
        closures = _Weighted(CLOSURES)
        year_ago = self.today - timedelta(days=365)
        self.spare = sum(not saved.in_child_labour for saved, _ in self.identifications)
        inbox = self.inbox()
        for saved, data in self.identifications:
            if saved.in_child_labour:
                fate = (old_fates if saved.observed_on < year_ago else fates).draw(self.rng)
                closure = closures.draw(self.rng)
                if id(saved) in inbox:
                    fate = CaseStatus.REFERRED
                _CaseStory(self, saved, data, fate, closure, inbox=id(saved) in inbox).tell()

    def inbox(self) -> set[int]:
        """The identifications (``id``) whose cases fill the inbox of a demo login's
        school: in its province, the latest in child labour that have had the time to
        be assessed and referred; referred to that school, they wait for its answer."""
        latest = self.today - timedelta(days=INBOX_LEAD)
        chosen: set[int] = set()
        for province, left in self.world.inbox_left.items():
            candidates = sorted(
                (
                    saved
                    for saved, _ in self.identifications
                    if saved.in_child_labour
                    and saved.child.province_id == province
                    and saved.observed_on <= latest
                ),
                key=lambda saved: saved.observed_on,
                reverse=True,
            )[:left]
            chosen.update(id(saved) for saved in candidates)
            self.world.inbox_left[province] = left - len(candidates)
        return chosen

    def finish_cases(self) -> None:
        """After the follow-ups are classified: each case's verdict is its latest one."""
        for case in self.cases:
            observed = self.case_observations[id(case)]
            case.verdict = observed[-1].verdict
            if case.closure_reason == ClosureReason.OUT_OF_CHILD_LABOUR:
                visits = [
                    workflow.Visit(o.observed_on, o.verdict, bool(o.in_school_or_training))
                    for o in observed
                    if o.kind == Observation.Kind.FOLLOW_UP
                ]
                if not workflow.out_of_child_labour_reached(
                    visits,
                    required=settings.HIMAYA_CLOSURE_FOLLOW_UPS,
                    min_days=settings.HIMAYA_CLOSURE_MIN_DAYS_APART,
                ):
                    raise RuntimeError("a demo case closed without the follow-ups it needs")

    def transfer_cases(self) -> None:
        """Each closure "moved" approved, as ``services._case_transfer`` makes it (after
        ``finish_cases``: the latest observation is classified): the same copies
        (``services.transfer_copies``), in the commune the child moved to, and the
        timeline events and audit entries of the service, in its order. Then as many
        children of the chunk not in child labour are left out, so that the chunk
        still writes the children it was asked for."""
        for transfer in self.transfers:
            case, at, actor = transfer.case, transfer.at, transfer.actor
            receiving, commune = transfer.receiving, transfer.commune
            child: Child = case.child
            place = {
                "commune_id": commune["code"],
                "province_id": commune["province_id"],
                "region_id": commune["region_id"],
            }
            latest = self.case_observations[id(case)][-1]  # by date: the identification first
            copies = services.transfer_copies(
                case, latest, receiving=receiving, actor=actor, on=transfer.day
            )
            new_household, new_child, new_case = copies.household, copies.child, copies.case
            copy = copies.observation
            if copy is None:  # every demo case has its identification
                raise RuntimeError("a demo case without an observation")
            for record in (new_household, new_child, new_case):
                for name, value in place.items():
                    setattr(record, name, value)
            new_household.created_at = new_child.created_at = copy.created_at = at
            new_case.updated_at = at
            self.households.append(new_household)
            self.children.append(new_child)
            self.transferred_cases.append(new_case)
            self.transferred_observations.append(copy)
            origin = {"transferred_from_case": case, "from_organisation": case.organisation_id}
            self.audit(at, actor, AuditEvent.CHILD_CREATED, new_child, new_child, origin)
            self.audit(
                at,
                actor,
                AuditEvent.IDENTIFICATION_CREATED,
                copy,
                new_child,
                {
                    "verdict": copy.verdict,
                    "rules": list(copy.rules),
                    "transferred_from_observation": latest,
                    **origin,
                },
            )
            sending = self.world.organisations[case.organisation_id]
            self.event(new_case, at, actor, "transferred_from", {**_named(sending), "case": case})
            self.audit(
                at,
                actor,
                AuditEvent.CASE_OPENED,
                new_case,
                new_child,
                {"verdict": new_case.verdict, **origin},
            )
            self.event(
                case, at, actor, "transferred_to", {**_named(receiving), "commune": commune["code"]}
            )
            self.audit(
                at,
                actor,
                AuditEvent.CASE_CLOSED,
                case,
                child,
                {
                    "reason": ClosureReason.MOVED,
                    "transferred_to": receiving.pk,
                    "transferred_case": new_case,
                },
            )
        self.leave_out(len(self.transfers))

    def leave_out(self, count: int) -> None:
        """Leave out the last ``count`` children not in child labour (no case), with
        their identification, its audit entries and their household when theirs alone."""
        if not count:
            return
        left: set[int] = set()
        for saved, _ in reversed(self.identifications):
            if len(left) == count:
                break
            if not saved.in_child_labour:
                left.add(id(saved.child))
        if len(left) != count:  # pragma: no cover - the transfers are counted against them
            raise RuntimeError("too few children to leave out for the transfers")
        self.identifications = [p for p in self.identifications if id(p[0].child) not in left]
        self.children = [c for c in self.children if id(c) not in left]
        households = {id(c.household) for c in self.children}
        self.households = [h for h in self.households if id(h) in households]
        self.audits = [a for a in self.audits if a[4] is None or id(a[4]) not in left]

    # -- writing

    def write(self, report: SeedReport) -> None:
        """Insert the chunk, parents first (each insert sets the primary keys); the
        cases opened by a transfer after the cases they come from."""
        observations = (
            [o for o, _ in self.identifications]
            + [o for o, _ in self.follow_ups]
            + self.transferred_observations
        )
        for objects in (
            self.households,
            self.children,
            self.cases,
            self.transferred_cases,
            observations,
            self.referrals,
        ):
            _insert_objects(objects)
        # The two logs are most of the rows and nothing refers to them: plain rows.
        _insert_rows(
            CaseEvent,
            ["case", "at", "actor", "kind", "detail"],
            (
                (case.pk, at, actor.pk, kind, {k: _resolve(v) for k, v in detail.items()})
                for case, at, actor, kind, detail in self.events
            ),
        )
        self.audits.sort(key=lambda entry: entry[0])
        _insert_rows(
            AuditEntry,
            ["at", "actor", "actor_username", "event", "object_type", "object_id", "child_id"]
            + ["detail"],
            (
                (
                    at,
                    actor.pk,
                    actor.username,
                    int(event),
                    obj._meta.model_name or "" if obj is not None else "",
                    str(obj.pk) if obj is not None else "",
                    child.pk if child is not None else None,
                    {k: _resolve(v) for k, v in detail.items()},
                )
                for at, actor, event, obj, child, detail in self.audits
            ),
        )
        report.households += len(self.households)
        report.children += len(self.children)
        report.observations += len(observations)
        report.cases += len(self.cases) + len(self.transferred_cases)
        report.referrals += len(self.referrals)
        report.case_events += len(self.events)
        report.audit_entries += len(self.audits)
        report.statuses.update(case.status for case in self.cases + self.transferred_cases)


#: Parameters per INSERT statement on SQLite (3.32 or later takes 32,766).
_MAX_PARAMETERS = 30_000


def _insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[Any]:
    """INSERT rows of values of the fields ``names`` (foreign keys as ids); the
    new primary keys, in order, when ``returning``.

    This is ``bulk_create`` without its per-value SQL compilation, which made
    it about ten times slower here. Dates, times and JSON still go through
    their field's ``get_db_prep_save``; no ``pre_save`` runs (timestamps are
    as given). SQLite gets many rows a statement (Django would send 999
    parameters at most); PostgreSQL gets COPY, or when keys are wanted one
    short statement executed for every row, as psycopg parses the
    placeholders of a long statement slowly. Like ``bulk_create``, it relies
    on RETURNING giving the rows in order.
    """
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    if len(concrete) != len(fields):
        raise TypeError(f"{model.__name__}: not all of {names} are fields")
    quote = connection.ops.quote_name
    table = "{} ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in concrete)
    )
    insert = f"INSERT INTO {table} VALUES "  # noqa: S608 - names from _meta, quoted
    row_sql = "(" + ", ".join(["%s"] * len(concrete)) + ")"
    returned = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    # Numbers, text, booleans and ids go to the driver as they are.
    adapt = [
        f if isinstance(f, models.DateField | models.TimeField | models.JSONField) else None
        for f in concrete
    ]
    keys: list[Any] = []
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, max(1, _MAX_PARAMETERS // len(concrete)))):
            values = [
                [
                    value if f is None else f.get_db_prep_save(value, connection)
                    for f, value in zip(adapt, row, strict=True)
                ]
                for row in batch
            ]
            if connection.vendor != "postgresql":
                rows_sql = ", ".join([row_sql] * len(values))
                cursor.execute(insert + rows_sql + returned, [v for row in values for v in row])
                if returning:
                    keys.extend(key for (key,) in cursor.fetchall())
            elif returning:
                psycopg_cursor = cursor.cursor
                psycopg_cursor.executemany(insert + row_sql + returned, values, returning=True)
                while True:
                    keys.append(psycopg_cursor.fetchone()[0])
                    if not psycopg_cursor.nextset():
                        break
            else:
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
    return keys


def _insert_objects(objects: Sequence[models.Model]) -> None:
    """INSERT unsaved instances of one model and set their primary keys."""
    if not objects:
        return
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # Foreign keys given as instances inserted since: take their primary keys now.
    for relation in [f for f in fields if isinstance(f, models.ForeignKey)]:
        for obj in objects:
            if getattr(obj, relation.attname) is None and relation.is_cached(obj):
                related = relation.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{model.__name__}.{relation.name} is not saved yet")
                    setattr(obj, relation.attname, related.pk)
    keys = _insert_rows(
        model,
        [f.name for f in fields],
        ([getattr(obj, f.attname) for f in fields] for obj in objects),
        returning=True,
    )
    alias = router.db_for_write(model)
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, alias


def _expected_children(communes: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Province code -> its expected share of the children (as ``add_children`` draws them)."""
    shares: dict[str, float] = {}
    for kind, share in (("rural", RURAL_SHARE), ("urban", 1 - RURAL_SHARE)):
        group = [c for c in communes if c["kind"] == kind] or communes
        total = sum(_children_of(c) for c in group) or 1.0
        for commune in group:
            province = commune["province_id"]
            shares[province] = shares.get(province, 0.0) + share * _children_of(commune) / total
    return shares


def _children_of(commune: Mapping[str, Any]) -> float:
    """The commune's population aged 5–19 (a quarter of its population when unknown)."""
    groups = [commune["population_5_9"], commune["population_10_14"], commune["population_15_19"]]
    if any(g is None for g in groups):
        return float(commune["population_2024"]) * 0.25
    return float(sum(groups))


class _CaseStory:
    """One case, taken along the workflow as the services would take it, step by
    step, until its fate is reached or its next step would fall after today."""

    def __init__(
        self,
        chunk: _Chunk,
        identification: Observation,
        data: services.ObservationIn,
        fate: str,
        closure: str,
        *,
        inbox: bool = False,
    ):
        self.chunk, self.rng = chunk, chunk.rng
        #: Referred to the school of a demo login, which has not answered yet.
        self.inbox = inbox
        self.identification, self.data = identification, data
        self.fate, self.closure = fate, closure
        child = identification.child
        self.child = child
        self.eighteen = _birthday(child.birth_date, 18)
        if closure == ClosureReason.TURNED_18 and self.eighteen > chunk.today:
            self.closure = ClosureReason.OUT_OF_CHILD_LABOUR
        if closure == ClosureReason.MOVED and len(chunk.world.associations) < 2:
            self.closure = ClosureReason.LOST_TO_FOLLOW_UP  # nowhere else to move to
        self.actor = identification.observed_by
        staff = chunk.world.staff[child.region_id]
        self.supervisor = (
            staff.supervisor
            if self.actor.organisation_id == staff.association.pk
            else staff.inspection_supervisor
        )
        self.case = Case(
            child=child,
            organisation_id=_organisation_id(self.actor),
            verdict=identification.verdict,
            sector=identification.sector,
            opened_on=identification.observed_on,
            opened_by=self.actor,
            assigned_to=self.actor,
            risk_level=RiskLevel.HIGH if identification.verdict == "worst_form" else "",
            commune_id=child.commune_id,
            province_id=child.province_id,
            region_id=child.region_id,
        )
        identification.case = self.case
        chunk.cases.append(self.case)
        chunk.case_observations[id(self.case)] = [identification]
        self.cursor = identification.created_at
        self.day = identification.observed_on

    # -- time and records

    def next_day(self, low: int, high: int) -> bool:
        """Move to the day of the next step; False (and stay) when it would be after today."""
        day = self.day + self.chunk.days(low, high)
        if day > self.chunk.today:
            return False
        self.day = day
        return True

    def at(self) -> datetime:
        self.cursor = self.chunk.moment(self.day, self.cursor)
        self.case.updated_at = self.cursor
        return self.cursor

    def record(
        self,
        actor: User,
        kind: str | None,
        detail: dict[str, Any],
        event: AuditEvent,
        obj: models.Model | None = None,
        audit_detail: dict[str, Any] | None = None,
    ) -> None:
        """A case event (unless ``kind`` is None) and its audit entry, as a service writes them."""
        at = self.at()
        if kind is not None:
            self.chunk.event(self.case, at, actor, kind, detail)
        self.chunk.audit(at, actor, event, obj or self.case, self.child, audit_detail)

    def status(self, target: str, actor: User) -> None:
        old = self.case.status
        workflow.check_transition(old, target, actor.role)
        self.case.status = target
        detail = {"from": old, "to": target}
        self.record(actor, "status", detail, AuditEvent.CASE_STATUS_CHANGED, audit_detail=detail)

    # -- the story

    def tell(self) -> None:
        rng = self.rng
        self.record(
            self.actor,
            "opened",
            {"observation": self.identification, "verdict": self.case.verdict},
            AuditEvent.CASE_OPENED,
            audit_detail={"verdict": self.case.verdict},
        )
        order: list[str] = list(FATES)
        goal = order.index(self.fate)
        if self.fate == CaseStatus.CLOSED and self.closure == ClosureReason.MOVED:
            goal = rng.randint(1, 4)  # the child moves away at any stage after assessment
        if goal == 0:
            if rng.random() < 0.6 and self.next_day(1, 14):
                self.assess()  # waiting for the supervisor's approval
            return
        if not self.next_day(1, 14):
            return
        self.assess()
        if not self.next_day(0, 7):
            return
        self.approve_assessment()
        if not self.next_day(0, 10):
            return
        if goal == 1:
            if rng.random() < 0.5:
                self.consent(child=rng.random() < 0.7, guardian=rng.random() < 0.6)
            return self.end()
        self.consent(child=True, guardian=True)
        referrals = self.refer()
        if not referrals:
            return
        if goal == 2:
            for referral in referrals:
                if rng.random() < 0.3 and not self.respond(referral, accept=False):
                    return
            return self.end()
        first, others = referrals[0], referrals[1:]
        if not self.respond(first, accept=True):
            return
        for referral in others:
            if rng.random() < 0.85 and not self.respond(referral, accept=rng.random() < 0.8):
                return
        if goal == 3:
            return self.end()
        if not self.deliver(first, 7, 60):
            return
        for referral in others:
            if referral.status == ReferralStatus.ACCEPTED and rng.random() < 0.6:
                if not self.deliver(referral, 0, 20):
                    return
        self.follow_ups()
        self.end()

    def end(self) -> None:
        """Closures that do not wait for follow-ups: moved, lost to follow-up."""
        if self.fate != CaseStatus.CLOSED or self.case.status == CaseStatus.CLOSED:
            return
        if self.closure == ClosureReason.MOVED:
            self.close(ClosureReason.MOVED, 0, 20)
        elif (
            self.closure == ClosureReason.LOST_TO_FOLLOW_UP
            and self.case.status == CaseStatus.MONITORING
        ):
            self.close(ClosureReason.LOST_TO_FOLLOW_UP, 60, 120)

    def assess(self) -> None:
        c = self.case
        if c.verdict == "worst_form":
            c.risk_level = RiskLevel.HIGH
        elif c.verdict == "hazardous":
            c.risk_level = self.rng.choice((RiskLevel.MEDIUM, RiskLevel.HIGH))
        else:
            c.risk_level = self.rng.choice((RiskLevel.LOW, RiskLevel.MEDIUM))
        c.assessment = self.rng.choice(ASSESSMENTS)
        c.assessment_submitted = True
        detail = {"risk_level": c.risk_level}
        self.record(self.actor, "assessed", detail, AuditEvent.CASE_ASSESSED, audit_detail=detail)

    def approve_assessment(self) -> None:
        self.status(CaseStatus.ASSESSED, self.supervisor)
        self.case.assessment_submitted = False
        self.record(self.supervisor, None, {}, AuditEvent.CASE_ASSESSMENT_APPROVED)

    def consent(self, *, child: bool, guardian: bool) -> None:
        c = self.case
        c.child_consent, c.guardian_consent, c.consent_recorded_on = child, guardian, self.day
        detail = {"child": child, "guardian": guardian}
        self.record(
            self.actor, "consent", detail, AuditEvent.CASE_CONSENT_RECORDED, audit_detail=detail
        )

    def services_wanted(self) -> list[str]:
        age = workflow.age_on(self.child.birth_date, self.day)
        rng = self.rng
        first = (
            ServiceType.VOCATIONAL
            if not self.inbox and 15 <= age <= 17 and rng.random() < 0.5
            else ServiceType.EDUCATION
        )
        wanted: list[str] = [first]
        if rng.random() < 0.5:
            wanted.append(ServiceType.SOCIAL_PROTECTION)
        if self.identification.hazards and rng.random() < 0.3:
            wanted.append(ServiceType.HEALTH)
        if self.case.verdict == "worst_form":
            wanted += [ServiceType.CHILD_PROTECTION, ServiceType.JUSTICE]
        elif age < 13 and rng.random() < 0.3:
            wanted.append(ServiceType.CHILD_PROTECTION)
        return wanted

    def provider(self, service: str) -> Organisation:
        """The provider of the child's province (or region) that offers the service."""
        if service == ServiceType.EDUCATION:
            age = workflow.age_on(self.child.birth_date, self.day)
            # In the province of a demo login's school, most go to that school.
            share = 0.2 if self.child.province_id in self.chunk.world.login_schools else 0.5
            second_chance = not self.inbox and age >= 15 and self.rng.random() < share
            kind: str = (
                OrganisationKind.SECOND_CHANCE_SCHOOL if second_chance else OrganisationKind.SCHOOL
            )
        else:
            kind = next(k for k, s in SERVICE_OF_KIND.items() if s == service)
        providers = self.chunk.world.providers
        return (
            providers.get((self.child.province_id, kind)) or providers[self.child.region_id, kind]
        )

    def refer(self) -> list[Referral]:
        """Send the referrals, the first at once, the others over the following days."""
        referrals: list[Referral] = []
        for service in self.services_wanted():
            if referrals and not self.next_day(0, 10):
                break
            referrals.append(self.send(service))
        return referrals

    def send(self, service: str) -> Referral:
        provider = self.provider(service)
        referral = Referral(
            case=self.case,
            service=service,
            provider=provider,
            note=REFERRAL_NOTES[ServiceType(service)],
            sent_on=self.day,
            sent_by=self.actor,
        )
        self.chunk.referrals.append(referral)
        if self.case.status == CaseStatus.ASSESSED:
            self.status(CaseStatus.REFERRED, self.actor)
        self.record(
            self.actor,
            "referral_sent",
            {"referral": referral, "service": service, "provider": provider.name},
            AuditEvent.REFERRAL_SENT,
            referral,
            {"service": service, "provider": provider.pk},
        )
        return referral

    def respond(self, referral: Referral, *, accept: bool) -> bool:
        """The provider accepts (the case goes into remediation) or refuses; a demo
        login's school not yet, for the cases of its inbox."""
        if self.inbox and referral.provider.pk in self.chunk.inbox_schools:
            return False
        if not self.next_day(1, 15):
            return False
        actor = self.chunk.world.provider_actor[referral.provider.pk]
        referral.responded_on = self.day
        if accept:
            referral.status = ReferralStatus.ACCEPTED
            if self.case.status == CaseStatus.REFERRED:
                self.status(CaseStatus.IN_REMEDIATION, actor)
            self.record(
                actor,
                "referral_accepted",
                {"referral": referral},
                AuditEvent.REFERRAL_ACCEPTED,
                referral,
            )
        else:
            referral.status = ReferralStatus.REFUSED
            referral.refusal_reason = self.rng.choice(REFUSALS)
            self.record(
                actor,
                "referral_refused",
                {"referral": referral, "reason": referral.refusal_reason},
                AuditEvent.REFERRAL_REFUSED,
                referral,
            )
        return True

    def deliver(self, referral: Referral, low: int, high: int) -> bool:
        """The provider records the service (the case goes into monitoring)."""
        if not self.next_day(low, high):
            return False
        actor = self.chunk.world.provider_actor[referral.provider.pk]
        referral.status, referral.delivered_on = ReferralStatus.DELIVERED, self.day
        referral.delivery_note = DELIVERIES[ServiceType(referral.service)]
        if (self.case.status, CaseStatus.MONITORING) in workflow.TRANSITIONS:
            self.status(CaseStatus.MONITORING, actor)
        if self.case.next_follow_up_on is None:
            self.case.next_follow_up_on = self.day + timedelta(
                days=settings.HIMAYA_FOLLOW_UP_EVERY_DAYS
            )
        self.record(
            actor,
            "referral_delivered",
            {"referral": referral, "on": self.day.isoformat()},
            AuditEvent.REFERRAL_DELIVERED,
            referral,
        )
        return True

    def follow_ups(self) -> None:
        """Visits about every month, until the case can close, or they stop (overdue)."""
        rng = self.rng
        closing = self.fate == CaseStatus.CLOSED
        every = settings.HIMAYA_FOLLOW_UP_EVERY_DAYS
        low = max(every - 5, settings.HIMAYA_CLOSURE_MIN_DAYS_APART)
        good_run = 0
        while True:
            if closing and self.closure == ClosureReason.OUT_OF_CHILD_LABOUR:
                if good_run >= settings.HIMAYA_CLOSURE_FOLLOW_UPS:
                    self.close(ClosureReason.OUT_OF_CHILD_LABOUR, 0, 10)
                    return
            elif closing and self.closure == ClosureReason.TURNED_18:
                if self.day >= self.eighteen:
                    self.close(ClosureReason.TURNED_18, 0, 20)
                    return
            elif rng.random() < (0.4 if closing else 0.03):
                return  # the visits stop here (overdue once the next date passes)
            if not self.next_day(low, every + 8):
                return
            good = rng.random() < (0.55 + 0.15 * good_run if closing else 0.5)
            good_run = good_run + 1 if good else 0
            self.visit(good)
            self.case.next_follow_up_on = self.day + timedelta(days=every)

    def visit(self, good: bool) -> None:
        """A follow-up: out of work and in school or training, or still at the same work."""
        base = self.data
        if good:
            data = services.ObservationIn(
                observed_on=self.day, economic_hours_week=0.0, in_school_or_training=True
            )
        else:
            data = services.ObservationIn(
                observed_on=self.day,
                place=base.place,
                economic_hours_week=base.economic_hours_week,
                sector=base.sector,
                domestic_worker=base.domestic_worker,
                usual_start=base.usual_start,
                usual_end=base.usual_end,
                hazards=list(base.hazards),
                worst_forms=list(base.worst_forms),
                in_school_or_training=self.rng.random() < 0.3,
            )
        at = self.at()
        saved = self.chunk.observation(
            child=self.child,
            kind=Observation.Kind.FOLLOW_UP,
            actor=self.actor,
            on=self.day,
            data=data,
            at=at,
        )
        saved.case = self.case
        self.chunk.follow_ups.append((saved, data))
        self.chunk.case_observations[id(self.case)].append(saved)
        detail = {
            "observation": saved,
            "verdict": _VerdictOf(saved),
            "in_school_or_training": data.in_school_or_training,
        }
        self.chunk.event(self.case, at, self.actor, "follow_up", detail)
        self.chunk.audit(at, self.actor, AuditEvent.FOLLOW_UP_RECORDED, saved, self.child, detail)

    def close(self, reason: str, low: int, high: int) -> None:
        """The caseworker requests the closure; the supervisor approves it days later."""
        c = self.case
        if reason == ClosureReason.TURNED_18:
            self.day = max(self.day, self.eighteen)
        if not self.next_day(low, high):
            return
        c.closure_requested_reason = reason
        moved = reason == ClosureReason.MOVED
        if moved:
            # The receiving association of another region, and the commune of its
            # territory the child moved to (case_request_closure).
            receiving = self.chunk.world.receiving(self.child.region_id, self.rng)
            if receiving is None:  # pragma: no cover - the story closes otherwise (__init__)
                raise RuntimeError("no other region's association to transfer the case to")
            organisation, commune = receiving
            c.transferred_to, c.transferred_commune_id = organisation, commune["code"]
        detail = {"reason": reason}
        self.record(
            self.actor,
            "closure_requested",
            detail,
            AuditEvent.CASE_CLOSURE_REQUESTED,
            audit_detail=detail,
        )
        if not self.next_day(0, 7):
            return  # waiting for the supervisor's approval
        if moved and not self.chunk.spare:
            return  # still waiting: the chunk has no child left to give up for the copy
        self.status(CaseStatus.CLOSED, self.supervisor)
        c.closure_reason, c.closed_on = reason, self.day
        c.closure_requested_reason = ""
        c.next_follow_up_on = None
        if not moved:
            self.record(
                self.supervisor, "closed", detail, AuditEvent.CASE_CLOSED, audit_detail=detail
            )
            return
        # case_approve_closure: the timeline says "closed" now; the copies, their
        # events and audit entries, and the closure's own entry (which names the
        # new case) once the latest observation is classified (transfer_cases).
        at = self.at()
        self.chunk.event(c, at, self.supervisor, "closed", detail)
        self.chunk.spare -= 1
        self.chunk.transfers.append(
            _Transfer(c, at, self.supervisor, self.day, organisation, commune)
        )


# --- Entry point ----------------------------------------------------------------------------


def seed_demo(
    *,
    children: int,
    password_hash: str,
    seed: int = 0,
    chunk_size: int = 5_000,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Create the demo organisations and users (those missing), then ``children``
    children with their observations, cases, referrals, timelines and audit entries.

    Needs the geography loaded; call it inside a transaction. ``password_hash``
    is stored as is on every new account (``make_password`` once, by the caller).
    """
    started = clock.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    report = SeedReport()
    world = _ensure_world(password_hash=password_hash, rng=rng, report=report)
    if not world.communes:
        raise ValueError("no commune: load the geography first")
    today, now = services.today(), timezone.now()
    done = 0
    while done < children:
        size = min(chunk_size, children - done)
        chunk = _Chunk(world, rng, today, now)
        chunk.add_children(size)
        chunk.classify(chunk.identifications)
        chunk.identification_audits()
        chunk.open_cases()
        chunk.classify(chunk.follow_ups)
        chunk.finish_cases()
        chunk.transfer_cases()
        chunk.write(report)
        done += size
        if progress is not None:
            progress(f"{done} children ({clock.perf_counter() - started:.1f} s)")
    report.seconds = clock.perf_counter() - started
    return report
