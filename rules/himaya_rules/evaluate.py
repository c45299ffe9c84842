"""Running a ruleset: a batch through OpenFisca, one observation through the same formulas.

The batch path builds one OpenFisca ``Simulation`` per interval of constant
parameters. The single path evaluates the same variable formulas, with the same
parameters, for one child, without the simulation's bookkeeping (which costs
about a millisecond per child); ``tests/rules/test_paths_agree.py`` proves the
two give the same answers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .rulesets import Ruleset, effective_dates, verdicts

Formula = Callable[..., Any]


def outputs(ruleset: Ruleset) -> tuple[str, ...]:
    """The variables read to build a result."""
    return (
        *(rule.variable for rule in ruleset.rules),
        ruleset.decided_variable,
        "working",
        "has_hazard",
        "age",
    )


@cache
def epochs(system: TaxBenefitSystem, root: str) -> tuple[str, ...]:
    return effective_dates(system, root)


def epoch_of(system: TaxBenefitSystem, ruleset: Ruleset, observed_on: str) -> str | None:
    """The first day of the interval of constant parameters holding ``observed_on``;
    None before the ruleset's first parameter takes effect."""
    dates = epochs(system, ruleset.parameter_root)
    index = bisect_right(dates, observed_on) - 1
    return dates[index] if index >= 0 else None


def run_simulation(
    system: TaxBenefitSystem, ruleset: Ruleset, inputs: dict[str, np.ndarray], epoch: str
) -> dict[str, np.ndarray]:
    """The batch path: an OpenFisca simulation over children of one epoch."""
    count = len(inputs["observed_on"])
    simulation = SimulationBuilder().build_default_simulation(system, count)
    period = periods.period(epoch)
    for name, values in inputs.items():
        simulation.set_input(name, period, values)
    return {name: simulation.calculate(name, period) for name in outputs(ruleset)}


@cache
def _formulas(system: TaxBenefitSystem) -> dict[str, Formula | None]:
    found: dict[str, Formula | None] = {}
    for name, variable in system.variables.items():
        if len(variable.formulas) > 1:  # dated formulas would need the period's formula
            raise ValueError(f"{name}: dated formulas are not supported, date the parameters")
        found[name] = next(iter(variable.formulas.values()), None)
    return found


@cache
def parameters_at(system: TaxBenefitSystem, epoch: str) -> Any:
    return system.parameters(epoch)


class _Child:
    """Stands for OpenFisca's population in a formula: ``child(name, period)``
    returns the variable's value, computing it (once) from its formula."""

    __slots__ = ("_formulas", "_parameters", "_values")

    def __init__(self, system: TaxBenefitSystem, inputs: dict[str, np.ndarray], epoch: str):
        self._formulas = _formulas(system)
        self._parameters = parameters_at(system, epoch)
        self._values = dict(inputs)

    def _at(self, period: Any) -> Any:
        return self._parameters

    def __call__(self, name: str, period: Any, options: Any = None) -> np.ndarray:
        value = self._values.get(name)
        if value is None:
            formula = self._formulas[name]
            if formula is None:
                raise KeyError(f"input {name} was not set")
            value = self._values[name] = formula(self, period, self._at)
        return value


def run_one(
    system: TaxBenefitSystem, ruleset: Ruleset, inputs: dict[str, np.ndarray], epoch: str
) -> dict[str, np.ndarray]:
    """The single path: the same formulas for one child (arrays of length 1)."""
    child = _Child(system, inputs, epoch)
    period = _period(epoch)
    return {name: child(name, period) for name in outputs(ruleset)}


@cache
def _period(epoch: str) -> Any:
    return periods.period(epoch)


def rule_masks(ruleset: Ruleset, values: dict[str, np.ndarray]) -> np.ndarray:
    """Bit i set when rule i of the ruleset fired."""
    mask = np.zeros(len(values["age"]), dtype=np.int64)
    for bit, rule in enumerate(ruleset.rules):
        mask |= values[rule.variable].astype(np.int64) << bit
    return mask


def decide(ruleset: Ruleset, values: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Verdict codes and rule masks from the computed variables."""
    fired = {rule.variable: values[rule.variable].astype(bool) for rule in ruleset.rules}
    codes = verdicts(
        ruleset,
        fired,
        values[ruleset.decided_variable].astype(bool),
        values["working"].astype(bool),
    )
    return codes, rule_masks(ruleset, values)
