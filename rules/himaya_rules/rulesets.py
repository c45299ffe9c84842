"""The rulesets: which rule variables they report, in which order, with which verdict.

A ruleset is data: its rules are OpenFisca variables (``variables/``), its
thresholds dated parameters (``parameters/``), its options parameter sets
(``options/``). Adding a country means adding those and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .codes import Verdict
from .system import baseline, with_option_files


@dataclass(frozen=True)
class Rule:
    id: str
    variable: str
    verdict: Verdict
    #: The verdict when the child is known not to work (the ``*.adult`` rules).
    verdict_if_not_working: Verdict | None = None


@dataclass(frozen=True)
class Option:
    """A ruleset option: each accepted value names its parameter set (None: the baseline)."""

    key: str
    values: dict[str, str | None]
    default: str


@dataclass(frozen=True)
class Ruleset:
    name: str
    parameter_root: str
    rules: tuple[Rule, ...]
    decided_variable: str
    fallback: Verdict
    statistical: bool = False
    option_file: str | None = None
    options: tuple[Option, ...] = ()
    citation_overrides: dict[str, str] = field(default_factory=dict)

    def system(self, options: dict[str, str] | None = None) -> TaxBenefitSystem:
        """The OpenFisca system with this ruleset's parameter sets applied."""
        files = [self.option_file] if self.option_file else []
        for option in self.options:
            chosen = option.values[(options or {}).get(option.key, option.default)]
            if chosen:
                files.append(chosen)
        return with_option_files(tuple(files))

    @cached_property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def citation(self, rule: Rule) -> str:
        if rule.id in self.citation_overrides:
            return self.citation_overrides[rule.id]
        return "; ".join(baseline().variables[rule.variable].reference)

    @cached_property
    def citations(self) -> tuple[str, ...]:
        return tuple(self.citation(rule) for rule in self.rules)


def effective_dates(system: TaxBenefitSystem, root: str) -> tuple[str, ...]:
    """Every date on which a parameter of ``root`` takes a new value, sorted.

    Between two such dates every parameter is constant, so a batch is
    evaluated once per interval ("epoch"), never with a date test in a rule.
    """
    dates: set[str] = set()

    def walk(node: ParameterNode | Parameter) -> None:
        if isinstance(node, Parameter):
            dates.update(value.instant_str for value in node.values_list)
        else:
            for child in node.children.values():
                walk(child)

    walk(system.parameters.children[root])
    return tuple(sorted(dates))


_RANKS = np.array([verdict.rank for verdict in Verdict])


def verdicts(
    ruleset: Ruleset, fired: dict[str, np.ndarray], decided: np.ndarray, working: np.ndarray
) -> np.ndarray:
    """The most serious verdict among the fired rules, else the fallback;
    ``insufficient_information`` where the ruleset cannot decide."""
    out = np.where(decided, ruleset.fallback, Verdict.INSUFFICIENT_INFORMATION).astype(np.int8)
    rank = np.full(decided.shape, -1)  # any fired rule replaces the fallback
    for rule in ruleset.rules:
        verdict = (
            np.where(working, rule.verdict, rule.verdict_if_not_working)
            if rule.verdict_if_not_working is not None
            else np.full(decided.shape, rule.verdict)
        )
        verdict_rank = _RANKS[verdict]
        better = fired[rule.variable] & (verdict_rank > rank)
        out[better] = verdict[better]
        rank = np.where(better, verdict_rank, rank)
    return out


#: The statistical definition; its MICS5 variant differs only by a parameter set.
SDG = Ruleset(
    name="sdg-8.7.1",
    parameter_root="sdg",
    rules=(
        Rule("sdg.economic_activity", "sdg_economic_activity", Verdict.CHILD_LABOUR),
        Rule("sdg.household_chores", "sdg_household_chores", Verdict.CHILD_LABOUR),
        Rule("sdg.hazardous_conditions", "sdg_hazardous_conditions", Verdict.CHILD_LABOUR),
        Rule("sdg.below_thresholds", "sdg_below_thresholds", Verdict.NOT_CHILD_LABOUR),
        Rule("sdg.out_of_scope", "sdg_out_of_scope", Verdict.OUT_OF_SCOPE),
    ),
    decided_variable="sdg_decided",
    fallback=Verdict.NOT_CHILD_LABOUR,
    statistical=True,
)

RULESETS: dict[str, Ruleset] = {
    ruleset.name: ruleset
    for ruleset in (
        Ruleset(
            name="ma-labour-code",
            parameter_root="ma",
            rules=(
                Rule("ma.worst_form", "ma_worst_form", Verdict.WORST_FORM),
                Rule("ma.hazardous", "ma_hazardous", Verdict.HAZARDOUS),
                Rule("ma.below_minimum_age", "ma_below_minimum_age", Verdict.CHILD_LABOUR),
                Rule("ma.domestic_below_age", "ma_domestic_below_age", Verdict.CHILD_LABOUR),
                Rule(
                    "ma.domestic_no_authorisation",
                    "ma_domestic_no_authorisation",
                    Verdict.CHILD_LABOUR,
                ),
                Rule("ma.domestic_hours", "ma_domestic_hours", Verdict.CHILD_LABOUR),
                Rule("ma.night_work", "ma_night_work", Verdict.CHILD_LABOUR),
                Rule("ma.permitted", "ma_permitted", Verdict.PERMITTED_WORK),
                Rule("ma.adult", "ma_adult", Verdict.PERMITTED_WORK, Verdict.NOT_WORKING),
            ),
            decided_variable="ma_decided",
            fallback=Verdict.NOT_WORKING,
        ),
        Ruleset(
            name="ilo-c138-c182",
            parameter_root="ilo",
            rules=(
                Rule("ilo.worst_form", "ilo_worst_form", Verdict.WORST_FORM),
                Rule("ilo.hazardous", "ilo_hazardous", Verdict.HAZARDOUS),
                Rule("ilo.below_light_work_age", "ilo_below_light_work_age", Verdict.CHILD_LABOUR),
                Rule("ilo.beyond_light_work", "ilo_beyond_light_work", Verdict.CHILD_LABOUR),
                Rule("ilo.apprenticeship", "ilo_apprenticeship", Verdict.PERMITTED_WORK),
                Rule("ilo.permitted", "ilo_permitted", Verdict.PERMITTED_WORK),
                Rule("ilo.adult", "ilo_adult", Verdict.PERMITTED_WORK, Verdict.NOT_WORKING),
            ),
            decided_variable="ilo_decided",
            fallback=Verdict.NOT_WORKING,
            options=(
                Option(
                    key="minimum_age",
                    values={"15": None, "14": "ilo-minimum_age-14.yaml"},
                    default="15",
                ),
            ),
        ),
        SDG,
        replace(
            SDG,
            name="sdg-8.7.1-mics5",
            option_file="sdg-8.7.1-mics5.yaml",
            citation_overrides={
                "sdg.economic_activity": "MICS5 child labour module; 18th ICLS resolution (2008)",
                "sdg.household_chores": "MICS5 child labour module (28 hours at 5–14, 43 at 15–17)",
                "sdg.hazardous_conditions": "MICS5 child labour module (hazardous conditions)",
                "sdg.below_thresholds": "MICS5 child labour module",
                "sdg.out_of_scope": "MICS5 child labour module (ages 5–17)",
            },
        ),
    )
}
