"""Inputs of one observation, and what every ruleset derives from them.

Inputs are set by :mod:`himaya_rules.inputs` after validation. Unknown values
have explicit encodings: -1 for an unknown age or time, NaN for unknown hours,
0 for an unknown sector, ``False`` for a boolean that was not given as true.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from ..codes import HAZARD_BIT, NOT_WORKING, SECTOR_CODE, WORKING, WORKING_UNKNOWN
from ..entities import Child

SPEC = "child-labour-rules.md, « Input »"


class observed_on(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = date
    label = "Day the child was seen, or the survey's reference week"


class birth_date(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = date
    label = "Date of birth (meaningful only when birth_date_known)"


class birth_date_known(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = bool
    label = "A date of birth was given"


class age_reported(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    default_value = -1
    label = "Completed years as reported, used only without a date of birth (-1: unknown)"


class economic_hours_week(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = float
    default_value = np.nan
    label = "Hours of economic activity in the reference week (NaN: unknown)"


class chores_hours_week(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = float
    default_value = np.nan
    label = "Hours of unpaid household chores in the reference week (NaN: unknown)"


class sector(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    label = "Sector code (codes.SECTOR_CODE; 0: not given)"


class domestic_worker(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = bool
    label = "Works in a household other than the child's own"


class night_work(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = bool
    label = "Night work, as judged by the observer when times are unknown"


class guardian_authorisation(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = bool
    label = "Written, legalised authorisation of the guardian"


class apprenticeship(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = bool
    label = "Work done in a recognised vocational training or apprenticeship"


class hazards(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    label = "Hazard codes present (bit mask over codes.HAZARDS)"


class worst_forms(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    label = "Worst-form codes present (bit mask over codes.WORST_FORMS)"


class usual_start(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    default_value = -1
    label = "Usual start of work, minutes after midnight (-1: unknown)"


class usual_end(Variable):
    entity = Child
    definition_period = DAY
    reference = SPEC
    value_type = int
    default_value = -1
    label = "Usual end of work, minutes after midnight (-1: unknown)"


# ---------------------------------------------------------------- derived


def completed_years(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Completed years on ``on``: the birthday itself counts, and a 29 February
    birthday is reached on 1 March in common years."""
    born_year = born.astype("datetime64[Y]")
    on_year = on.astype("datetime64[Y]")
    born_md = (born.astype("datetime64[M]") - born_year).astype(int) * 100 + (
        born - born.astype("datetime64[M]")
    ).astype(int)
    on_md = (on.astype("datetime64[M]") - on_year).astype(int) * 100 + (
        on - on.astype("datetime64[M]")
    ).astype(int)
    return (on_year - born_year).astype(int) - (on_md < born_md)


class age(Variable):
    value_type = int
    entity = Child
    definition_period = DAY
    default_value = -1
    label = "Completed years on observed_on (-1: unknown)"
    reference = "child-labour-rules.md: age in completed years; 29 February reached on 1 March"

    def formula(child, period, parameters):
        known = child("birth_date_known", period)
        from_birth = completed_years(child("birth_date", period), child("observed_on", period))
        return np.where(known, from_birth, child("age_reported", period))


class age_known(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "The age is known"
    reference = SPEC

    def formula(child, period, parameters):
        return child("age", period) >= 0


class working_status(Variable):
    value_type = int
    entity = Child
    definition_period = DAY
    label = "Whether the child works: 1 working, 0 not working, -1 unknown"
    reference = "child-labour-rules.md: « working », « not working »"

    def formula(child, period, parameters):
        hours = child("economic_hours_week", period)
        other_signs = (
            child("domestic_worker", period)
            | (child("sector", period) != 0)
            | (child("hazards", period) != 0)
            | (child("worst_forms", period) != 0)
        )
        working = (hours > 0) | other_signs
        not_working = (hours == 0) & ~other_signs
        return np.where(working, WORKING, np.where(not_working, NOT_WORKING, WORKING_UNKNOWN))


class working(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "The child is known to be working"
    reference = SPEC

    def formula(child, period, parameters):
        return child("working_status", period) == WORKING


class legal_decidable(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Age known and known whether the child works (else insufficient_information)"
    reference = "child-labour-rules.md, « Verdicts »"

    def formula(child, period, parameters):
        return child("age_known", period) & (child("working_status", period) != WORKING_UNKNOWN)


class has_hazard(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Any hazard code is present"
    reference = "child-labour-rules.md, « Hazard codes »; R190 §3"

    def formula(child, period, parameters):
        return child("hazards", period) != 0


class has_worst_form(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Any worst-form code is present"
    reference = "C182 art. 3(a)–(c)"

    def formula(child, period, parameters):
        return child("worst_forms", period) != 0


def minutes(hhmm: str) -> int:
    """'20:00' → 1200: minutes after midnight of a time parameter."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def overlaps_night(
    start: np.ndarray, end: np.ndarray, night_start: str, night_end: str
) -> np.ndarray:
    """Whether the working time ``[start, end)`` shares a minute with the night.

    Both intervals are half-open, in minutes after midnight; an end before the
    start runs past midnight; an unknown time (-1) never overlaps; start == end
    is an empty working time. Each interval is split at midnight into at most
    two plain intervals, and two plain intervals overlap when each starts
    before the other ends.
    """
    ns, ne = minutes(night_start), minutes(night_end)
    known = (start >= 0) & (end >= 0) & (start != end)
    wraps = end < start
    # Work: [start, end) or [start, 1440) + [0, end)
    w1_start, w1_end = start, np.where(wraps, 1440, end)
    w2_start, w2_end = np.zeros_like(start), np.where(wraps, end, 0)
    night = [(ns, 1440), (0, ne)] if ne < ns else [(ns, ne)]
    hit = np.zeros(start.shape, dtype=bool)
    for n_start, n_end in night:
        hit |= (w1_start < n_end) & (n_start < w1_end)
        hit |= (w2_start < n_end) & (n_start < w2_end)
    return known & hit


class agriculture(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Works in agriculture"
    reference = SPEC

    def formula(child, period, parameters):
        return child("sector", period) == SECTOR_CODE["agriculture"]


class underground_mining(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Works underground in mining or quarrying"
    reference = "Code du travail, arts. 179–181; Décret 2-10-183"

    def formula(child, period, parameters):
        return (child("sector", period) == SECTOR_CODE["mining_quarrying"]) & (
            (child("hazards", period) & HAZARD_BIT["underground"]) != 0
        )
