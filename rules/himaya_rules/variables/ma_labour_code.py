"""Ruleset ``ma-labour-code``: the Moroccan Labour Code, Law 19-12 and C182.

One variable per rule id of ``child-labour-rules.md``; every threshold is a
dated parameter under ``parameters/ma``. Each rule variable is true when the
rule fires, so every one of them requires ``legal_decidable``.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from ..codes import SECTOR_CODE
from ..entities import Child
from .observation import overlaps_night


def _child_under(child, period, years):
    return child("legal_decidable", period) & (child("age", period) < years)


class ma_domestic(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "A domestic worker: domestic_worker true or sector domestic_work"
    reference = "Loi 19-12, art. 1"

    def formula(child, period, parameters):
        return child("domestic_worker", period) | (
            child("sector", period) == SECTOR_CODE["domestic_work"]
        )


class ma_night_work(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Night work of a child under the minimum age for night work"
    reference = "Code du travail art. 172"

    def formula(child, period, parameters):
        p = parameters(period).ma
        agri, other = p.night_period.agriculture, p.night_period.other
        start, end = child("usual_start", period), child("usual_end", period)
        in_night = np.where(
            child("agriculture", period),
            overlaps_night(start, end, agri.start, agri.end),
            overlaps_night(start, end, other.start, other.end),
        )
        night = child("night_work", period) | in_night
        return _child_under(child, period, p.minimum_age.night_work) & night


class ma_worst_form(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "A worst form of child labour"
    reference = "C182 art. 3(a)–(c), ratified by Morocco in 2001; Code pénal"

    def formula(child, period, parameters):
        p = parameters(period).ma
        return _child_under(child, period, p.minimum_age.majority) & child("has_worst_form", period)


class ma_hazardous(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Hazardous work of a minor"
    reference = "Code du travail arts. 179–181; Décret 2-10-183; C182 art. 3(d)"

    def formula(child, period, parameters):
        p = parameters(period).ma
        hazard = child("has_hazard", period) | child("underground_mining", period)
        return _child_under(child, period, p.minimum_age.hazardous_work) & hazard


class ma_below_minimum_age(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Work below the minimum age for employment"
    reference = "Code du travail art. 143"

    def formula(child, period, parameters):
        p = parameters(period).ma
        return _child_under(child, period, p.minimum_age.employment) & child("working", period)


def _domestic(child, period, parameters):
    """Domestic workers judged under Law 19-12: nobody before it was in force,
    when its other parameters do not exist yet."""
    law = parameters(period).ma.domestic_work
    decidable = child("legal_decidable", period)
    if not law.in_force:
        return np.zeros_like(decidable), law
    return decidable & child("ma_domestic", period), law


def _domestic_minor_allowed(child, period, parameters):
    """Domestic workers aged from the domestic minimum age up to majority:
    16–17 during the transition, nobody once the minimum is 18 or before the law."""
    domestic, law = _domestic(child, period, parameters)
    if not law.in_force:
        return domestic, law
    age = child("age", period)
    majority = parameters(period).ma.minimum_age.majority
    return domestic & (age >= law.minimum_age) & (age < majority), law


class ma_domestic_below_age(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Domestic worker below the minimum age for domestic work in force"
    reference = "Loi 19-12"

    def formula(child, period, parameters):
        domestic, law = _domestic(child, period, parameters)
        if not law.in_force:
            return domestic
        return domestic & (child("age", period) < law.minimum_age)


class ma_domestic_no_authorisation(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Domestic worker aged 16–17 without the guardian's authorisation (transition)"
    reference = "Loi 19-12"

    def formula(child, period, parameters):
        allowed, _ = _domestic_minor_allowed(child, period, parameters)
        return allowed & ~child("guardian_authorisation", period)


class ma_domestic_hours(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Domestic worker aged 16–17 working more than the weekly cap (transition)"
    reference = "Loi 19-12"

    def formula(child, period, parameters):
        allowed, law = _domestic_minor_allowed(child, period, parameters)
        if not law.in_force:
            return allowed
        return allowed & (child("economic_hours_week", period) > law.weekly_hours_cap_minors)


class ma_adult(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Aged 18 or more: out of scope of child-labour law"
    reference = "Code du travail art. 143; C182 art. 2"

    def formula(child, period, parameters):
        p = parameters(period).ma
        return child("legal_decidable", period) & (child("age", period) >= p.minimum_age.majority)


class ma_permitted(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Working, and no rule of child-labour law fired"
    reference = "Code du travail art. 143"

    def formula(child, period, parameters):
        p = parameters(period).ma
        fired = np.zeros(child("age", period).shape, dtype=bool)
        for name in (
            "ma_worst_form",
            "ma_hazardous",
            "ma_below_minimum_age",
            "ma_domestic_below_age",
            "ma_domestic_no_authorisation",
            "ma_domestic_hours",
            "ma_night_work",
        ):
            fired |= child(name, period)
        return (
            _child_under(child, period, p.minimum_age.majority) & child("working", period) & ~fired
        )


class ma_decided(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Enough is known to decide (else insufficient_information)"
    reference = "child-labour-rules.md, « Verdicts »"

    def formula(child, period, parameters):
        return child("legal_decidable", period)
