"""Ruleset ``ilo-c138-c182``: ILO Conventions C138 and C182, Recommendation R190.

The minimum age is a parameter; the option ``minimum_age=14`` (C138 art. 2(4))
replaces it with ``options/ilo-minimum_age-14.yaml`` and changes no rule.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from ..entities import Child
from .observation import overlaps_night


def _ages(child, period, parameters):
    p = parameters(period).ilo
    light = p.minimum_age.general - p.light_work.years_below_minimum_age
    return child("age", period), light, p


class ilo_light_work_age(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Of light-work age: from minimum_age − 2 up to the minimum age"
    reference = "C138 art. 7"

    def formula(child, period, parameters):
        age, light, p = _ages(child, period, parameters)
        return child("legal_decidable", period) & (age >= light) & (age < p.minimum_age.general)


class ilo_night(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Night work: flagged, or the usual working time overlaps 22:00–06:00"
    reference = "C90 art. 2; R190 §3(e)"

    def formula(child, period, parameters):
        p = parameters(period).ilo.hazardous
        start, end = child("usual_start", period), child("usual_end", period)
        return child("night_work", period) | overlaps_night(start, end, p.night_start, p.night_end)


class ilo_worst_form(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "A worst form of child labour"
    reference = "C182 art. 3(a)–(c)"

    def formula(child, period, parameters):
        age, _, p = _ages(child, period, parameters)
        minor = child("legal_decidable", period) & (age < p.minimum_age.hazardous_work)
        return minor & child("has_worst_form", period)


class ilo_hazardous(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Hazardous work: a hazard, long hours or night work, under 18"
    reference = "C138 art. 3; C182 art. 3(d); R190 §3"

    def formula(child, period, parameters):
        age, _, p = _ages(child, period, parameters)
        minor = child("legal_decidable", period) & (age < p.minimum_age.hazardous_work)
        long_hours = child("economic_hours_week", period) >= p.hazardous.long_hours_week
        return minor & (child("has_hazard", period) | long_hours | child("ilo_night", period))


class ilo_apprenticeship(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Work in a recognised apprenticeship, aged 14 or more"
    reference = "C138 art. 6"

    def formula(child, period, parameters):
        age, _, p = _ages(child, period, parameters)
        of_age = (age >= p.minimum_age.apprenticeship) & (age < p.minimum_age.hazardous_work)
        return (
            child("legal_decidable", period)
            & child("working", period)
            & of_age
            & child("apprenticeship", period)
        )


class ilo_below_light_work_age(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Work below the light-work age"
    reference = "C138 arts. 2 and 7"

    def formula(child, period, parameters):
        age, light, _ = _ages(child, period, parameters)
        below = child("legal_decidable", period) & (age < light) & child("working", period)
        return below & ~child("ilo_apprenticeship", period)


class ilo_beyond_light_work(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Light-work age, 14 hours a week or more"
    reference = "C138 art. 7"

    def formula(child, period, parameters):
        p = parameters(period).ilo
        hours = child("economic_hours_week", period) >= p.light_work.max_hours_week
        return child("ilo_light_work_age", period) & hours & ~child("ilo_apprenticeship", period)


class ilo_hours_missing(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Working child of light-work age whose hours, which would decide, are unknown"
    reference = "child-labour-rules.md, « Missing hours »"

    def formula(child, period, parameters):
        decided_otherwise = (
            child("ilo_apprenticeship", period)
            | child("ilo_hazardous", period)
            | child("ilo_worst_form", period)
        )
        return (
            child("ilo_light_work_age", period)
            & child("working", period)
            & np.isnan(child("economic_hours_week", period))
            & ~decided_otherwise
        )


class ilo_adult(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Aged 18 or more: out of scope of child-labour standards"
    reference = "C138 art. 2; C182 art. 2"

    def formula(child, period, parameters):
        age, _, p = _ages(child, period, parameters)
        return child("legal_decidable", period) & (age >= p.minimum_age.hazardous_work)


class ilo_permitted(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Working, and no rule fired"
    reference = "C138 arts. 2 and 7"

    def formula(child, period, parameters):
        age, _, p = _ages(child, period, parameters)
        fired = (
            child("ilo_worst_form", period)
            | child("ilo_hazardous", period)
            | child("ilo_apprenticeship", period)
            | child("ilo_below_light_work_age", period)
            | child("ilo_beyond_light_work", period)
            | child("ilo_hours_missing", period)
        )
        minor = child("legal_decidable", period) & (age < p.minimum_age.hazardous_work)
        return minor & child("working", period) & ~fired


class ilo_decided(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Enough is known to decide (else insufficient_information)"
    reference = "child-labour-rules.md, « Verdicts » and « Missing hours »"

    def formula(child, period, parameters):
        return child("legal_decidable", period) & ~child("ilo_hours_missing", period)
