"""Synthetic demo data of the labour inspectorate (``himaya seed-demo``).

Called by the command after the children of ``himaya.cases.demo``, in the same
transaction. For each region whose inspection office has no establishment yet
(so a second run adds nothing):

- a register of about 150 establishments, spread over the region's communes in
  proportion to their population, with sectors weighted like the sectors where
  working children are found (agriculture first in rural communes; trade,
  crafts, hospitality and construction in towns); about 40 % are informal (no
  ICE number), the others have a valid ICE (13 digits and their two check
  digits, the number a multiple of 97 as ``stdnum.ma.ice`` checks), unique in
  the office; they are bulk-created as the CSV import saves them
  (``establishment_build``), with the import's audit entry;
- about three months of inspection by the region's inspector
  (``inspector-XX``), through the platform's own services, so that cases,
  classifications, violations, documents and audit entries are exactly those
  the pages make: about 15 visits recorded with their checklist
  (``visit_plan``, ``visit_record``), a child found in a third of them
  (``visit_child_found``: a child under the minimum age, hazardous work, a
  16-year-old apprentice in permitted work), formal notices for breaches at
  the advice stage (``notice_issue``), follow-up visits that found the breach
  corrected or persisting (``follow_up_conclude``, then ``report_issue``), and
  violation reports for hazardous work; so every stage (advice, formal notice,
  violation report, corrected) and both kinds of document exist in each office;
- the diary: two visits planned for today (the inspector's day page), one left
  overdue, one cancelled, and the supervisor's plan for next month
  (``inspection-supervisor-XX``).

The children found are part of the demo's children: the command reserves
:func:`children_to_find` of them (a tenth at most, :data:`CHILDREN_PER_OFFICE`
per office) and the cases demo makes the others. Documents are issued today
(the services date them); every visit recorded is dated today or earlier.
Deterministic for a given seed; about 0.3 s an office.
"""

from __future__ import annotations

import calendar
import random
import time as clock
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from stdnum.iso7064 import mod_97_10
from stdnum.ma import ice as ice_number

from himaya.accounts.models import Organisation, OrganisationKind, Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.demo import BOYS, FAMILY_NAMES, GIRLS, SECTOR_HAZARDS
from himaya.cases.models import Sex
from himaya.cases.services import ChildIn, HouseholdIn, ObservationIn, today
from himaya.geography.models import Commune, Region
from himaya.inspection.models import (
    CHECKLIST,
    EnforcementDocument,
    Establishment,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.risk import SECTOR_WEIGHTS
from himaya.inspection.services.enforcement import (
    follow_up_conclude,
    notice_issue,
    report_issue,
)
from himaya.inspection.services.establishments import EstablishmentIn, establishment_build
from himaya.inspection.services.visits import (
    VisitIn,
    VisitRecordIn,
    visit_cancel,
    visit_child_found,
    visit_plan,
    visit_record,
)
from himaya_rules.codes import SECTORS

#: Establishments in each office's register (a few more or less).
ESTABLISHMENTS_PER_OFFICE = 150
#: Children found in each office's visits, one per scenario of :data:`SCENARIOS`.
CHILDREN_PER_OFFICE = 6
#: Visits recorded in each office, follow-up visits included (a few more or less).
VISITS_DONE_PER_OFFICE = 15
DAYS_BACK = 90  # visits recorded over the last three months

# --- The register -----------------------------------------------------------------

#: Sector weights of the register (codes of ``himaya_rules``; no street work, which
#: has no workplace to register), after the sectors of working children (HCP 2023).
RURAL_REGISTER = {
    "agriculture": 50,
    "trade": 10,
    "construction": 9,
    "manufacturing": 8,
    "hospitality": 5,
    "domestic_work": 4,
    "transport": 4,
    "fishing": 3,
    "mining_quarrying": 3,
    "other": 2,
}
URBAN_REGISTER = {
    "trade": 26,
    "manufacturing": 20,
    "hospitality": 16,
    "construction": 14,
    "transport": 7,
    "domestic_work": 5,
    "other": 5,
    "agriculture": 4,
    "fishing": 2,
    "mining_quarrying": 1,
}
#: Regions without a coastline (Fès-Meknès, Béni Mellal-Khénifra, Drâa-Tafilalet): no fishing.
INLAND_REGIONS = frozenset({"03", "05", "08"})
#: Share of informal workplaces (no ICE number) by sector; about 40 % in all.
INFORMAL_SHARE = {
    "agriculture": 0.45,
    "trade": 0.4,
    "manufacturing": 0.4,
    "construction": 0.3,
    "hospitality": 0.3,
    "transport": 0.35,
    "fishing": 0.35,
    "mining_quarrying": 0.15,
    "other": 0.4,
    "domestic_work": 1.0,  # a household employing a domestic worker
}
#: Number of workers (lowest, highest) of a formal establishment by sector.
WORKERS = {
    "agriculture": (4, 60),
    "trade": (2, 25),
    "manufacturing": (3, 80),
    "construction": (6, 120),
    "hospitality": (3, 30),
    "transport": (2, 30),
    "fishing": (4, 20),
    "mining_quarrying": (10, 80),
    "other": (2, 15),
    "domestic_work": (1, 2),
}
#: Name patterns by sector: {family} a family name, {word} a trade name.
NAMES: dict[str, tuple[str, ...]] = {
    "agriculture": (
        "Ferme {family}",
        "Exploitation agricole {family}",
        "Domaine {word}",
        "Coopérative agricole {word}",
        "Serres {family}",
        "Verger {family}",
        "Élevage {family}",
    ),
    "fishing": ("Armement de pêche {family}", "Coopérative de pêche {word}"),
    "mining_quarrying": ("Carrière {family}", "Carrière {word}"),
    "manufacturing": (
        "Atelier de menuiserie {family}",
        "Atelier de couture {word}",
        "Poterie {family}",
        "Tannerie {family}",
        "Atelier de tapis {word}",
        "Coopérative artisanale {word}",
        "Atelier de dinanderie {family}",
        "Zellige {family}",
        "Boulangerie {word}",
    ),
    "construction": (
        "Chantier {family}",
        "Entreprise de construction {family}",
        "Briqueterie {family}",
        "Chantier Résidence {word}",
    ),
    "trade": (
        "Épicerie {family}",
        "Commerce {family}",
        "Boutique {word}",
        "Droguerie {family}",
        "Marchand de gros {family}",
        "Librairie {word}",
    ),
    "hospitality": (
        "Café {word}",
        "Snack {word}",
        "Restaurant {word}",
        "Café-restaurant {family}",
        "Hôtel {word}",
    ),
    "transport": ("Garage {family}", "Transport {family}", "Station de lavage {word}"),
    "domestic_work": ("Domicile de la famille {family}",),
    "other": ("Hammam {word}", "Salon de coiffure {word}", "Pressing {word}"),
}
WORDS = (
    "Al Amal",
    "Al Baraka",
    "Annour",
    "Atlas",
    "Essaada",
    "Al Wafa",
    "Al Fath",
    "Chourouk",
    "Al Massira",
    "Al Andalous",
    "Zitouna",
    "Al Khair",
    "Assalam",
    "Ennasr",
    "Al Yasmine",
    "Al Firdaous",
    "Tilila",
    "Tafoukt",
    "Anwal",
    "Al Manar",
)
URBAN_STREETS = (
    "Hay Mohammadi",
    "Hay Salam",
    "Hay Nahda",
    "Hay Al Qods",
    "Derb Sidi Ahmed",
    "Avenue Hassan II",
    "Boulevard Mohammed V",
    "Rue Ibn Battouta",
)
RURAL_PLACES = ("Douar Ouled Ali", "Douar Tafraout", "Douar Lamhamid", "Douar Ait Hammou")


def ice_with_check_digits(base: str) -> str:
    """The 15-digit ICE of a 13-digit ``base`` (enterprise, establishment): the two
    check digits make the number a multiple of 97, as ``stdnum.ma.ice`` checks it."""
    check = -mod_97_10.checksum(base + "00") % 97
    return ice_number.validate(f"{base}{check:02d}")


# --- The report -------------------------------------------------------------------


@dataclass
class InspectionSeedReport:
    offices: int = 0
    establishments: int = 0
    visits: int = 0
    visits_done: int = 0
    children_found: int = 0
    violations: int = 0
    notices: int = 0
    reports: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.establishments} establishments in {self.offices} registers, "
            f"{self.visits} visits ({self.visits_done} done), {self.children_found} "
            f"children found, {self.violations} violations, {self.notices} formal notices, "
            f"{self.reports} violation reports; {self.seconds:.1f} s"
        )


# --- Helpers ------------------------------------------------------------------------


def _draw(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _working_day(day: date, latest: date) -> date:
    """A weekday near ``day``: a weekend moves to Monday, or to Friday if Monday
    is after ``latest``."""
    if day.weekday() < 5:
        return day
    monday = day + timedelta(days=7 - day.weekday())
    return monday if monday <= latest else day - timedelta(days=day.weekday() - 4)


def _birth_date(on: date, age: int, rng: random.Random) -> date:
    """A birth date that makes the child ``age`` on ``on``."""
    year = on.year - age
    anniversary = on.replace(year=year, day=28) if on.month == 2 and on.day == 29 else None
    anniversary = anniversary or on.replace(year=year)
    return anniversary - timedelta(days=rng.randint(20, 340))


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"


# --- Scenarios ---------------------------------------------------------------------
# What the visit of an establishment found and what followed, in order of priority
# (an office with fewer children to find plays the first ones).

HAZARDOUS = "hazardous"  # hazardous work: straight to the violation report, drawn up
PERSISTING = "persisting"  # under the minimum age: formal notice, still at work, report
CORRECTED = "corrected"  # under the minimum age: formal notice, corrected at follow-up
NOTICE_PENDING = "notice_pending"  # under the minimum age: formal notice, deadline to come
APPRENTICE = "apprentice"  # a 16-year-old apprentice: permitted work, no breach
ADVICE = "advice"  # under the minimum age again (a repeat offence), advice for now
SCENARIOS = (HAZARDOUS, PERSISTING, CORRECTED, NOTICE_PENDING, APPRENTICE, ADVICE)

#: Sectors where each scenario's child may be found.
SCENARIO_SECTORS: dict[str, frozenset[str]] = {
    HAZARDOUS: frozenset({"agriculture", "construction", "manufacturing", "mining_quarrying"}),
    APPRENTICE: frozenset({"manufacturing", "transport", "trade"}),
    **{
        s: frozenset(SECTORS) - {"mining_quarrying", "street_work"}
        for s in (PERSISTING, CORRECTED, NOTICE_PENDING, ADVICE)
    },
}
#: What the children do, by sector (the observation's ``place`` is the establishment).
TASKS = {
    "agriculture": "cueillette et désherbage",
    "fishing": "tri du poisson sur le quai",
    "mining_quarrying": "chargement des pierres",
    "manufacturing": "aide à l'atelier",
    "construction": "transport des matériaux",
    "trade": "vente au comptoir et livraisons",
    "hospitality": "service en salle",
    "transport": "lavage et aide mécanique",
    "domestic_work": "travaux ménagers et garde d'enfants",
    "other": "accueil et nettoyage",
}
PLAIN_NOTES = (
    "Aucun mineur au travail lors du passage. Registre du personnel à jour.",
    "Visite sans constat d'emploi d'enfants ; affichage légal en place.",
    "Aucun enfant au travail. Rappel des obligations sur le travail des mineurs.",
    "Effectif contrôlé sur place : aucun travailleur de moins de 18 ans.",
)
REGISTER_NOTES = (
    "Registre du personnel non tenu ; l'employeur a été conseillé.",
    "Dates de naissance absentes du registre du personnel ; conseils donnés.",
)
PARTNERS = (
    "Unité de protection de l'enfance ; Gendarmerie royale",
    "Entraide nationale ; Association Amal",
    "Autorité locale (caïdat) ; Unité de protection de l'enfance",
)


@dataclass
class _Visit:
    """A visit to record: when, where, what kind, and the scenario it plays."""

    establishment: Establishment
    on: date
    kind: str = VisitKind.PLANNED
    scenario: str = ""
    partners: str = ""


@dataclass
class _Office:
    """One region's inspection office and what is seeded in it."""

    region: str
    office: Organisation
    inspector: User
    supervisor: User
    communes: list[Commune]
    rng: random.Random
    today: date
    children: int = CHILDREN_PER_OFFICE
    establishments: list[Establishment] = field(default_factory=list)
    #: The register by risk, less the establishments visited (for the visits to come).
    unvisited: list[Establishment] = field(default_factory=list)

    # -- the register

    def register(self) -> None:
        rng, communes = self.rng, self.communes
        weights = [max(c.population_2024, 1) for c in communes]
        names: set[str] = set()
        ices: set[str] = set()
        for _ in range(ESTABLISHMENTS_PER_OFFICE + rng.randint(-10, 10)):
            commune = rng.choices(communes, weights=weights)[0]
            rural = commune.kind == "rural"
            table = dict(RURAL_REGISTER if rural else URBAN_REGISTER)
            if self.region in INLAND_REGIONS:
                table.pop("fishing")
            sector = _draw(rng, table)
            family = rng.choice(FAMILY_NAMES)[1]
            name = rng.choice(NAMES[sector]).format(family=family, word=rng.choice(WORDS))
            if name in names:
                name = f"{name} ({commune.name_fr})"
            if name in names:
                continue  # the same workplace twice: one fewer in the register
            names.add(name)
            informal = rng.random() < INFORMAL_SHARE[sector]
            ice = ""
            while not informal and (not ice or ice in ices):
                branch = 0 if rng.random() < 0.8 else rng.randint(1, 12)
                ice = ice_with_check_digits(f"{rng.randint(1_000_000, 3_999_999):09d}{branch:04d}")
            ices.add(ice)
            low, high = WORKERS[sector] if sector == "domestic_work" or not informal else (1, 8)
            owner = rng.choice(BOYS if rng.random() < 0.8 else GIRLS)[1]
            data = EstablishmentIn(
                name=name,
                sector=sector,
                commune=commune.code,
                ice=ice,
                address=self.address(commune, sector),
                workers=rng.randint(low, high),
                contact_name=f"{owner} {family}" if rng.random() < 0.8 else "",
                contact_phone=_phone(rng) if rng.random() < 0.6 else "",
            )
            self.establishments.append(
                establishment_build(self.supervisor, self.office.pk, data, commune)
            )
        Establishment.objects.bulk_create(self.establishments)
        if any(e.pk is None for e in self.establishments):  # a database without RETURNING
            saved = {e.name: e for e in Establishment.objects.filter(office=self.office)}
            self.establishments = [saved[e.name] for e in self.establishments]
        audit_record(
            event=AuditEvent.ESTABLISHMENTS_IMPORTED,
            actor=self.supervisor,
            detail={
                "rows": len(self.establishments),
                "created": len(self.establishments),
                "rejected_rows": 0,
            },
        )

    def address(self, commune: Commune, sector: str) -> str:
        rng = self.rng
        if commune.kind == "rural":
            if sector in ("agriculture", "mining_quarrying"):
                return f"{rng.choice(RURAL_PLACES)}, {commune.name_fr}"
            return f"Centre {commune.name_fr}, n° {rng.randint(1, 120)}"
        if sector in ("manufacturing", "construction") and rng.random() < 0.5:
            return f"Zone industrielle, lot n° {rng.randint(1, 400)}, {commune.name_fr}"
        return f"{rng.choice(URBAN_STREETS)}, n° {rng.randint(1, 250)}, {commune.name_fr}"

    # -- choosing where to go

    def by_risk(self) -> list[Establishment]:
        """The register in a random order weighted by risk (sector, informality)."""
        rng = self.rng

        def key(e: Establishment) -> float:
            weight = SECTOR_WEIGHTS.get(e.sector, 0.35) * (1.5 if e.informal else 1.0)
            return float(rng.random() ** (1 / weight))

        return sorted(self.establishments, key=key, reverse=True)

    def day_back(self, low: int, high: int) -> date:
        """A working day ``low`` to ``high`` days ago (before today)."""
        day = self.today - timedelta(days=self.rng.randint(low, high))
        return _working_day(day, self.today - timedelta(days=1))

    def plan_past(self) -> list[_Visit]:
        """The visits recorded over the last months, oldest first."""
        rng, notice = self.rng, settings.HIMAYA_NOTICE_DAYS
        order = self.by_risk()
        used: set[int] = set()

        def take(sectors: frozenset[str] | None = None) -> Establishment:
            for e in order:
                if e.pk not in used and (sectors is None or e.sector in sectors):
                    used.add(e.pk)
                    return e
            for e in order:  # no establishment of these sectors: any one
                if e.pk not in used:
                    used.add(e.pk)
                    return e
            raise ValueError("the register is too small for the demo visits")

        visits: list[_Visit] = []
        dates = {
            HAZARDOUS: (3, DAYS_BACK - 5),
            PERSISTING: (notice + 10, notice + 50),
            CORRECTED: (notice + 30, notice + 60),
            NOTICE_PENDING: (3, max(3, notice - 5)),
            APPRENTICE: (3, DAYS_BACK - 5),
        }
        scenarios = SCENARIOS[: self.children]
        for scenario in scenarios:
            if scenario == ADVICE:
                continue  # played after the follow-up that found the breach corrected
            establishment = take(SCENARIO_SECTORS[scenario])
            on = self.day_back(*dates[scenario])
            kind = VisitKind.COMPLAINT if scenario == HAZARDOUS else VisitKind.PLANNED
            visits.append(_Visit(establishment, on, kind, scenario))
        follow_ups = len({PERSISTING, CORRECTED} & set(scenarios))
        plain = VISITS_DONE_PER_OFFICE + rng.randint(0, 2) - len(scenarios) - follow_ups
        for index in range(max(plain, 0)):
            kind = VisitKind.COMPLAINT if index == 1 else VisitKind.PLANNED
            visit = _Visit(take(), self.day_back(1, DAYS_BACK), kind)
            if index == 0:
                visit.kind, visit.partners = VisitKind.JOINT, rng.choice(PARTNERS)
            visits.append(visit)
        self.unvisited = [e for e in order if e.pk not in used]
        return sorted(visits, key=lambda v: v.on)

    # -- visits

    def plan(
        self,
        establishment: Establishment,
        on: date,
        kind: str = VisitKind.PLANNED,
        partners: str = "",
        actor: User | None = None,
    ) -> Visit:
        return visit_plan(
            actor=actor or self.inspector,
            data=VisitIn(
                establishment_id=establishment.pk,
                kind=kind,
                scheduled_on=on,
                inspector_ids=[self.inspector.pk],
                partners=partners,
            ),
        )

    def record(self, visit: Visit, on: date, wrong: Sequence[str], notes: str) -> Visit:
        sector = visit.establishment.sector
        answers = {code: "yes" for code, _label in CHECKLIST}
        if sector != "domestic_work":
            answers["domestic"] = "na"
        if sector in ("agriculture", "construction", "mining_quarrying", "domestic_work"):
            answers["night_work"] = "na"
        answers.update(dict.fromkeys(wrong, "no"))
        return visit_record(
            actor=self.inspector,
            visit=visit,
            data=VisitRecordIn(visited_on=on, checklist=answers, notes=notes),
        )

    def child_found(self, visit: Visit, on: date, scenario: str) -> FoundChild:
        rng, establishment = self.rng, visit.establishment
        sector = establishment.sector
        domestic = sector == "domestic_work"
        girl = rng.random() < (0.9 if domestic else 0.15)
        first = rng.choice(GIRLS if girl else BOYS)
        family = rng.choice(FAMILY_NAMES)
        hazards: list[str] = []
        if scenario == HAZARDOUS:
            age, hours = rng.randint(15, 17), float(rng.randint(36, 54))
            pool = SECTOR_HAZARDS[sector]
            hazards = sorted(rng.sample(pool, 1 if rng.random() < 0.6 else 2))
        elif scenario == APPRENTICE:
            age, hours = 16, float(rng.randint(30, 40))
        else:
            age, hours = rng.randint(12, 14), float(rng.randint(12, 30))
        commune = establishment.commune
        rural = commune.kind == "rural"
        parent = rng.choice(GIRLS if rng.random() < 0.45 else BOYS)[1]
        return visit_child_found(
            actor=self.inspector,
            visit=visit,
            household=HouseholdIn(
                commune=establishment.commune_id,
                guardian_name=f"{parent} {family[1]}",
                address=rng.choice(RURAL_PLACES)
                if rural
                else f"{rng.choice(URBAN_STREETS)}, n° {rng.randint(1, 250)}",
                guardian_phone=_phone(rng) if rng.random() < 0.6 else "",
            ),
            child=ChildIn(
                first_name_ar=first[0],
                family_name_ar=family[0],
                first_name_latin=first[1],
                family_name_latin=family[1],
                sex=Sex.FEMALE if girl else Sex.MALE,
                birth_date=_birth_date(on, age, rng),
                # Estimated only where it cannot move the child across an age threshold.
                birth_date_estimated=(age <= 13 or scenario == HAZARDOUS) and rng.random() < 0.3,
            ),
            observation=ObservationIn(
                observed_on=on,
                economic_hours_week=hours,
                sector=sector,
                domestic_worker=domestic,
                usual_start=time(8) if scenario == APPRENTICE else None,
                usual_end=time(16) if scenario == APPRENTICE else None,
                hazards=hazards,
                apprenticeship=scenario == APPRENTICE,
                in_school_or_training=scenario == APPRENTICE or rng.random() < 0.2,
                notes=TASKS[sector],
            ),
        )

    def findings(self, planned: _Visit) -> tuple[list[str], str]:
        """The checklist items answered no, and the findings written down."""
        rng, scenario = self.rng, planned.scenario
        informal = planned.establishment.informal
        if scenario == HAZARDOUS:
            return ["hazardous", "age_proof", "hours"], (
                "Mineur affecté à un travail dangereux ; retiré immédiatement du poste. "
                "Procès-verbal à dresser."
            )
        if scenario == APPRENTICE:
            return [], (
                "Un apprenti de 16 ans, contrat d'apprentissage présenté ; horaires "
                "et poste conformes."
            )
        if scenario:
            wrong = ["minimum_age", "age_proof"] + (["register"] if informal else [])
            if planned.establishment.sector == "domestic_work":
                wrong.append("domestic")
            return wrong, (
                "Enfant de moins de 15 ans trouvé au travail ; employeur informé de ses "
                "obligations et de la procédure."
            )
        if informal and rng.random() < 0.5:
            return ["register", "age_proof"], rng.choice(REGISTER_NOTES)
        return [], rng.choice(PLAIN_NOTES)

    def play(self, planned: _Visit) -> None:
        """Plan, record, and follow the visit's scenario through enforcement."""
        rng, establishment = self.rng, planned.establishment
        visit = self.plan(establishment, planned.on, planned.kind, planned.partners)
        wrong, notes = self.findings(planned)
        visit = self.record(visit, planned.on, wrong, notes)
        scenario = planned.scenario
        if not scenario:
            return
        self.child_found(visit, planned.on, scenario)
        pending = [v.pk for v in Violation.objects.filter(visit=visit, stage=Stage.ADVICE)]
        if scenario == HAZARDOUS:
            report_issue(actor=self.inspector, visit=visit)
        elif scenario in (PERSISTING, CORRECTED, NOTICE_PENDING) and pending:
            notice = notice_issue(actor=self.inspector, visit=visit, violation_ids=pending)
            if scenario == NOTICE_PENDING or notice.deadline is None:
                return
            follow_up = Violation.objects.select_related("follow_up").get(pk=pending[0]).follow_up
            if follow_up is None:  # notice_issue plans it on the deadline
                raise RuntimeError(f"formal notice {notice.number} without its follow-up visit")
            on = _working_day(notice.deadline + timedelta(days=rng.randint(0, 4)), self.today)
            on = min(on, self.today)
            if scenario == CORRECTED:
                self.record(
                    follow_up,
                    on,
                    [],
                    "Mise en demeure respectée : l'enfant ne travaille plus dans "
                    "l'établissement et a repris l'école.",
                )
                follow_up_conclude(actor=self.inspector, visit=follow_up, corrected_ids=pending)
                self.repeat_offence(establishment, on)
            else:
                self.record(
                    follow_up,
                    on,
                    ["minimum_age", "age_proof"],
                    "L'enfant est toujours au travail malgré la mise en demeure ; "
                    "procès-verbal dressé.",
                )
                follow_up_conclude(actor=self.inspector, visit=follow_up, corrected_ids=[])
                report_issue(actor=self.inspector, visit=follow_up)

    def repeat_offence(self, establishment: Establishment, corrected_on: date) -> None:
        """A complaint weeks after the correction: a child at work there again."""
        if ADVICE not in SCENARIOS[: self.children]:
            return
        earliest, latest = corrected_on + timedelta(days=5), self.today - timedelta(days=1)
        if earliest > latest:  # no time left since: a child at work in another workplace
            establishment = self.unvisited.pop(0)
            earliest = self.today - timedelta(days=20)
        span = (latest - earliest).days
        on = _working_day(earliest + timedelta(days=self.rng.randint(0, span)), latest)
        self.play(_Visit(establishment, on, VisitKind.COMPLAINT, ADVICE))

    def plan_future(self) -> None:
        """Today's visits, one overdue, one cancelled, and next month's plan."""
        rng, today = self.rng, self.today
        upcoming = self.unvisited
        self.plan(upcoming.pop(0), today)
        self.plan(upcoming.pop(0), today, VisitKind.COMPLAINT)
        self.plan(upcoming.pop(0), self.day_back(2, 8))  # not recorded yet: overdue
        cancelled = self.plan(upcoming.pop(0), self.day_back(10, 40))
        visit_cancel(actor=self.supervisor, visit=cancelled)
        first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        for index in range(rng.randint(6, 9)):
            day = first + timedelta(days=rng.randint(0, (last - first).days))
            day = _working_day(day, last)
            partners = rng.choice(PARTNERS) if index == 0 else ""
            kind = VisitKind.JOINT if partners else VisitKind.PLANNED
            self.plan(upcoming.pop(0), day, kind, partners, actor=self.supervisor)

    def seed(self) -> None:
        self.register()
        for planned in self.plan_past():
            self.play(planned)
        self.plan_future()


# --- Entry points ----------------------------------------------------------------------


def _offices_to_seed() -> list[tuple[Region, Organisation]]:
    """Each region's inspection office (of the cases demo) whose register is empty."""
    regions = {r.code: r for r in Region.objects.order_by("code")}
    offices = Organisation.objects.filter(
        kind=OrganisationKind.INSPECTORATE, territory_code__in=list(regions)
    ).order_by("territory_code", "id")
    seeded = set(Establishment.objects.values_list("office_id", flat=True).distinct())
    found: dict[str, Organisation] = {}
    for office in offices:
        found.setdefault(office.territory_code, office)
    return [
        (regions[code], office) for code, office in sorted(found.items()) if office.pk not in seeded
    ]


def children_to_find(children: int) -> int:
    """How many of the demo's ``children`` the inspection demo finds in visits:
    :data:`CHILDREN_PER_OFFICE` per office to seed, a tenth of them at most.

    Call it before ``cases.demo.seed_demo`` (which makes the others): a region
    without its office yet will get one."""
    regions = set(Region.objects.values_list("code", flat=True))
    with_register = set(
        Establishment.objects.filter(
            office__kind=OrganisationKind.INSPECTORATE, office__territory_code__in=regions
        ).values_list("office__territory_code", flat=True)
    )
    return min(children // 10, CHILDREN_PER_OFFICE * len(regions - with_register))


def seed_inspection(
    *,
    seed: int = 0,
    children: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> InspectionSeedReport:
    """Seed the register, visits and enforcement of every inspection office of the
    demo whose register is empty, finding ``children`` children in all (default
    :data:`CHILDREN_PER_OFFICE` per office; at most that many).

    Needs the demo's accounts (``cases.demo.seed_demo``); call it inside a transaction."""
    started = clock.perf_counter()
    rng = random.Random(f"{seed}:inspection")  # noqa: S311 - synthetic, reproducible
    report = InspectionSeedReport()
    offices = _offices_to_seed()
    if not offices:
        return report
    users = {
        u.username: u
        for u in User.objects.select_related("organisation").filter(
            role__in=(Role.INSPECTOR, Role.SUPERVISOR), organisation__in=[o for _r, o in offices]
        )
    }
    communes: dict[str, list[Commune]] = {}
    for commune in Commune.objects.order_by("code"):
        communes.setdefault(commune.region_id, []).append(commune)
    playable = [
        (region, office)
        for region, office in offices
        if communes.get(region.code)
        and f"inspector-{region.code}" in users
        and f"inspection-supervisor-{region.code}" in users
    ]
    budget = len(playable) * CHILDREN_PER_OFFICE if children is None else children
    today_ = today()
    seeded: list[int] = []
    for index, (region, office) in enumerate(playable):
        share = budget // len(playable) + (index < budget % len(playable))
        _Office(
            region=region.code,
            office=office,
            inspector=users[f"inspector-{region.code}"],
            supervisor=users[f"inspection-supervisor-{region.code}"],
            communes=communes[region.code],
            rng=rng,
            today=today_,
            children=min(share, CHILDREN_PER_OFFICE),
        ).seed()
        seeded.append(office.pk)
        if progress is not None:
            progress(f"inspection: {region.name_fr} ({clock.perf_counter() - started:.1f} s)")
    _count(report, seeded)
    report.seconds = clock.perf_counter() - started
    return report


def _count(report: InspectionSeedReport, offices: list[int]) -> None:
    visits = Visit.objects.filter(office_id__in=offices)
    documents = EnforcementDocument.objects.filter(office_id__in=offices)
    report.offices = len(offices)
    report.establishments = Establishment.objects.filter(office_id__in=offices).count()
    report.visits = visits.count()
    report.visits_done = visits.filter(status=VisitStatus.DONE).count()
    report.children_found = FoundChild.objects.filter(visit__office_id__in=offices).count()
    report.violations = Violation.objects.filter(office_id__in=offices).count()
    report.notices = documents.filter(kind=EnforcementDocument.Kind.FORMAL_NOTICE).count()
    report.reports = documents.filter(kind=EnforcementDocument.Kind.VIOLATION_REPORT).count()
