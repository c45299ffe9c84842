"""Rulesets ``sdg-8.7.1`` and ``sdg-8.7.1-mics5``: the statistical definition.

The MICS5 variant is the same rules with the parameters of
``options/sdg-8.7.1-mics5.yaml``. Missing hours count as 0; economic hours and
chores are tested separately, at or above their thresholds.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from ..entities import Child


def _by_age_group(age, p, thresholds):
    """The threshold of each child's age group (5–11, 12–14, 15–17)."""
    return np.select(
        [age < p.age.second_group_from, age < p.age.third_group_from],
        [thresholds.ages_05_11, thresholds.ages_12_14],
        thresholds.ages_15_17,
    )


class sdg_in_scope(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Aged 5 to 17"
    reference = "SDG 8.7.1 metadata"

    def formula(child, period, parameters):
        p = parameters(period).sdg.age
        age = child("age", period)
        return child("age_known", period) & (age >= p.minimum) & (age <= p.maximum)


class sdg_economic_activity(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Economic activity at or above the age group's threshold"
    reference = "SDG 8.7.1; 18th ICLS resolution (2008); MICS6 PR.3.1–PR.3.2"

    def formula(child, period, parameters):
        p = parameters(period).sdg
        hours = np.nan_to_num(child("economic_hours_week", period), nan=0.0)
        threshold = _by_age_group(child("age", period), p, p.economic_activity)
        return child("sdg_in_scope", period) & (hours >= threshold)


class sdg_household_chores(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Household chores at or above the age group's threshold"
    reference = "SDG 8.7.1; 20th ICLS resolution (2018); MICS6 PR.3.1, PR.3.3"

    def formula(child, period, parameters):
        p = parameters(period).sdg
        hours = np.nan_to_num(child("chores_hours_week", period), nan=0.0)
        threshold = _by_age_group(child("age", period), p, p.household_chores)
        return child("sdg_in_scope", period) & (hours >= threshold)


class sdg_hazardous_conditions(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Hazardous conditions (count as child labour in the MICS5 variant only)"
    reference = "MICS5 child labour module"

    def formula(child, period, parameters):
        counts = parameters(period).sdg.hazardous_conditions.make_child_labour
        return child("sdg_in_scope", period) & child("has_hazard", period) & bool(counts)


class sdg_below_thresholds(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Aged 5–17, no threshold reached"
    reference = "SDG 8.7.1 metadata; MICS6 PR.3.1"

    def formula(child, period, parameters):
        fired = (
            child("sdg_economic_activity", period)
            | child("sdg_household_chores", period)
            | child("sdg_hazardous_conditions", period)
        )
        return child("sdg_in_scope", period) & ~fired


class sdg_out_of_scope(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "Younger than 5 or older than 17"
    reference = "SDG 8.7.1 metadata"

    def formula(child, period, parameters):
        return child("age_known", period) & ~child("sdg_in_scope", period)


class sdg_decided(Variable):
    value_type = bool
    entity = Child
    definition_period = DAY
    label = "The age is known (else insufficient_information)"
    reference = "child-labour-rules.md, ruleset sdg-8.7.1"

    def formula(child, period, parameters):
        return child("age_known", period)
