"""Children recorded twice in the demo (``himaya seed-demo``), for the review queue.

A child reaches Himaya through several doors. Here about ``share`` of the demo's
children are recorded a second time in the same organisation, as a colleague who
did not find the first record would do it: through
``cases.services.identification_record``, a new household and a new child, by a
caseworker of that organisation (the child's ``created_by`` when they may). The
second person writes the child in their own way:

- the Latin names in another usual spelling (Youssef → Youssouf or Yousef,
  El Amrani → Amrani, ou → u, a doubled letter single, Benjelloun → Ben Jelloun);
- the Arabic family name with or without the article ال, a hamza or a tā'
  marbūṭa written otherwise;
- the birth date exact, or estimated (same year, as for a child without papers);
- sometimes the guardian's CNIE, read off the card, sometimes the Massar code.

The observation is the child's latest one (its facts copied into an
``ObservationIn``), seen again a few weeks later (never after today). The
variants are written here, on purpose without ``linkage.synthetic`` and its name
tables: the linker must find these pairs from what it learns, not from the way
they were made.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from himaya.accounts.models import CASEWORK_ROLES, Role, User
from himaya.cases import workflow
from himaya.cases.models import Child, Observation
from himaya.cases.services import (
    ChildIn,
    HouseholdIn,
    ObservationIn,
    identification_record,
    today,
)
from himaya.core.errors import ApplicationError

#: The share of the demo's children recorded twice.
DEFAULT_SHARE = 0.02

#: Latin spellings of one sound, as Moroccan records write them: (pattern, replacement).
LATIN_VARIANTS: tuple[tuple[str, str], ...] = (
    (r"ssef$", "ssouf"),  # Youssef → Youssouf
    (r"ss", "s"),  # Youssef → Yousef, Soussi → Sousi
    (r"mm", "m"),  # Mohammed → Mohamed
    (r"kk", "k"),  # El Bakkali → El Bakali
    (r"tt", "t"),  # Kettani → Ketani
    (r"nn", "n"),  # Bennani → Benani
    (r"rr", "r"),  # Berrada → Berada
    (r"ll", "l"),  # Benjelloun → Benjeloun
    (r"jj", "j"),  # Najjar → Najar
    (r"zz", "z"),  # Ouazzani → Ouazani
    (r"dd", "d"),  # Haddad → Hadad
    (r"(?<=[bdfhjklmnrstz])ou(?=[bdfhjklmnrstz])", "u"),  # Soufiane → Sufiane
    (r"^Ou(?=[aei])", "W"),  # Ouazzani → Wazzani
    (r"ch", "sh"),  # Hicham → Hisham, Chraibi → Shraibi
    (r"^El ", ""),  # El Amrani → Amrani
    (r"^El ", "Al "),  # El Fassi → Al Fassi
    (r"^Ben(?=[a-z])", "Ben "),  # Benjelloun → Ben Jelloun
    (r"ae$", "a"),  # Asmae → Asma
    (r"ine$", "in"),  # Yassine → Yassin, Amine → Amin
    (r"ane$", "an"),  # Soufiane → Soufian
    (r"i(?=d$)", "e"),  # Khalid → Khaled
    (r"(?<=[bdfhjklmnrstz])e(?=[bdfhjklmnrstz])", "a"),  # Meryem → Maryam-ish, Mehdi → Mahdi
    (r"y", "i"),  # Ayoub → Aioub, Zayani → Zaiani
    (r"^Abdel", "Abdal"),  # Abdellah → Abdallah
)

#: Arabic letters written otherwise by hand: hamza seats dropped, tā' marbūṭa as hā'.
ARABIC_VARIANTS: tuple[tuple[str, str], ...] = (
    (r"^[أإآ]", "ا"),  # أحمد → احمد
    (r"ة$", "ه"),  # فاطمة → فاطمه
    (r"ى$", "ي"),  # سلمى → سلمي
)


def latin_variant(name: str, rng: random.Random) -> str:
    """Another usual Latin spelling of ``name`` (itself when none applies)."""
    applicable = [(p, r) for p, r in LATIN_VARIANTS if re.search(p, name)]
    if not applicable:
        return name
    rng.shuffle(applicable)
    written = name
    for pattern, replacement in applicable[: 1 if rng.random() < 0.7 else 2]:
        written = re.sub(pattern, replacement, written, count=1)
    written = " ".join(part[:1].upper() + part[1:] for part in written.split())
    return written or name


def arabic_variant(name: str, rng: random.Random, *, family: bool) -> str:
    """``name`` as another hand writes it in Arabic script: a family name with or
    without the article, a hamza seat or a final tā' marbūṭa written otherwise."""
    if family:
        if name.startswith("ال") and len(name) > 3 and rng.random() < 0.6:
            return name[2:]
        if not name.startswith("ال") and " " not in name and rng.random() < 0.15:
            return "ال" + name
    applicable = [(p, r) for p, r in ARABIC_VARIANTS if re.search(p, name)]
    if applicable and rng.random() < 0.5:
        pattern, replacement = rng.choice(applicable)
        return re.sub(pattern, replacement, name, count=1)
    return name


@dataclass(frozen=True)
class RecordedTwice:
    """A demo child (``first``) and the second record made of them (``second``)."""

    first: Child
    second: Child


def _actor(child: Child, staff: dict[int, list[User]]) -> User | None:
    """Who records the child again: the child's ``created_by`` if they may, or
    another caseworker of the organisation whose territory holds the commune."""
    commune = child.commune
    creator = child.created_by
    if (
        creator.organisation_id == child.organisation_id
        and creator.role in CASEWORK_ROLES
        and commune.lies_within(creator.territory_code)
    ):
        return creator
    for user in staff.get(child.organisation_id, []):
        if commune.lies_within(user.territory_code):
            return user
    return None


def _observation(latest: Observation, on: date, commune: str) -> ObservationIn:
    """The facts of the latest observation, seen again on ``on``."""
    return ObservationIn(
        observed_on=on,
        commune=commune,
        place=latest.place,
        age_reported=latest.age_reported,
        economic_hours_week=latest.economic_hours_week,
        chores_hours_week=latest.chores_hours_week,
        sector=latest.sector,
        domestic_worker=latest.domestic_worker,
        usual_start=latest.usual_start,
        usual_end=latest.usual_end,
        night_work=latest.night_work,
        hazards=list(latest.hazards),
        worst_forms=list(latest.worst_forms),
        guardian_authorisation=latest.guardian_authorisation,
        apprenticeship=latest.apprenticeship,
        in_school_or_training=latest.in_school_or_training,
        notes=latest.notes,
    )


def _birth(child: Child, rng: random.Random) -> tuple[date, bool]:
    """The birth date the second person writes: exact, or estimated (same year)."""
    born = child.birth_date
    if child.birth_date_estimated:
        if rng.random() < 0.6:  # still estimated, the year only matters
            return date(born.year, rng.choice((1, 7)), 1), True
        # The papers found since: a day of the same year.
        return date(born.year, 1, 1) + timedelta(days=rng.randint(0, 364)), False
    if rng.random() < 0.35:
        return date(born.year, rng.choice((1, 7)), 1), True
    return born, False


def _names(child: Child, rng: random.Random) -> tuple[str, str, str, str]:
    """The four names as the second person writes them: at least one differs."""
    for _attempt in range(5):
        first_lat = latin_variant(child.first_name_latin, rng) if rng.random() < 0.6 else ""
        family_lat = latin_variant(child.family_name_latin, rng) if rng.random() < 0.6 else ""
        names = (
            arabic_variant(child.first_name_ar, rng, family=False),
            arabic_variant(child.family_name_ar, rng, family=True),
            first_lat or child.first_name_latin,
            family_lat or child.family_name_latin,
        )
        if names != (
            child.first_name_ar,
            child.family_name_ar,
            child.first_name_latin,
            child.family_name_latin,
        ):
            return names
    return (
        child.first_name_ar,
        child.family_name_ar,
        child.first_name_latin,
        f"El {child.family_name_latin}",
    )


def record_twice(*, count: int, seed: int = 0) -> list[RecordedTwice]:
    """Record ``count`` demo children (drawn with ``seed``; fewer if the demo has too
    few) a second time, each in their own organisation. Call it inside a
    transaction, after the demo's children and inspections are seeded."""
    rng = random.Random(f"{seed}:duplicates")  # noqa: S311 - synthetic, reproducible
    ids = list(
        Child.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    rng.shuffle(ids)
    staff: dict[int, list[User]] = {}
    for user in (
        User.objects.filter(role__in=CASEWORK_ROLES, organisation__isnull=False)
        # Those who identify children first, supervisors last.
        .order_by("role", "pk")
    ):
        staff.setdefault(int(user.organisation_id or 0), []).append(user)
    for users in staff.values():
        users.sort(key=lambda u: u.role == Role.SUPERVISOR)
    now = today()
    made: list[RecordedTwice] = []
    for start in range(0, len(ids), 200):
        if len(made) >= count:
            break
        batch = Child.objects.select_related("commune", "household", "created_by").in_bulk(
            ids[start : start + 200]
        )
        for pk in ids[start : start + 200]:
            if len(made) >= count:
                break
            twice = _record_again(batch[pk], staff, rng, now)
            if twice is not None:
                made.append(twice)
    return made


def _record_again(
    child: Child, staff: dict[int, list[User]], rng: random.Random, now: date
) -> RecordedTwice | None:
    actor = _actor(child, staff)
    latest = (
        Observation.objects.filter(child=child)
        .select_related("commune")
        .order_by("-observed_on", "-pk")
        .first()
    )
    if actor is None or latest is None:
        return None
    on = min(latest.observed_on + timedelta(days=rng.randint(14, 42)), now)
    birth, estimated = _birth(child, rng)
    if not 5 <= workflow.age_on(birth, on) <= 17:  # a child still, by either date
        birth, estimated = child.birth_date, child.birth_date_estimated
        if not 5 <= workflow.age_on(birth, on) <= 17:
            return None
    first_ar, family_ar, first_lat, family_lat = _names(child, rng)
    household = child.household
    guardian = household.guardian_name
    if child.family_name_latin in guardian:
        guardian = guardian.replace(child.family_name_latin, family_lat)
    where = latest.commune if latest.commune.lies_within(actor.territory_code) else child.commune
    try:
        result = identification_record(
            actor=actor,
            household=HouseholdIn(
                commune=child.commune_id,
                guardian_name=guardian,
                guardian_cnie=household.guardian_cnie if rng.random() < 0.5 else "",
            ),
            child=ChildIn(
                first_name_ar=first_ar,
                family_name_ar=family_ar,
                first_name_latin=first_lat,
                family_name_latin=family_lat,
                sex=child.sex,
                birth_date=birth,
                birth_date_estimated=estimated,
                massar_code=child.massar_code if rng.random() < 0.3 else "",
            ),
            observation=_observation(latest, on, where.code),
        )
    except ApplicationError:  # refused by the engine or the rules: leave this one
        return None
    return RecordedTwice(first=child, second=result.child)


def seed_duplicates(
    *, share: float = DEFAULT_SHARE, seed: int = 0, count: int | None = None
) -> int:
    """Record about ``share`` of the demo's children (or exactly ``count`` of them)
    a second time in the same organisation (see the module's docstring); how many."""
    if count is None:
        count = round(share * Child.objects.filter(merged_into__isnull=True).count())
    return len(record_twice(count=count, seed=seed))
