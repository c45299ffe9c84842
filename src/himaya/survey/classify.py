"""Every child of a survey through the engine, in one vectorised call (no Django).

The verdicts come from ``himaya_rules.classify_frame``, the engine's bulk API
(one OpenFisca simulation per interval of constant parameters), on ruleset
``sdg-8.7.1`` or its MICS5 variant ``sdg-8.7.1-mics5``: no rule is written
here. From the verdicts and the rules that fired come the indicators, one 0/1
value per row of the file:

- ``child_labour``: the verdict ``child_labour`` (SDG 8.7.1, series SL_TLF_CHLDEC);
- ``child_labour_economic``: rule ``sdg.economic_activity`` fired (SL_TLF_CHLDEA);
- ``household_chores``: rule ``sdg.household_chores`` fired (MICS table PR.3.3);
- ``hazardous_conditions``: the engine's flag (any hazard code; table PR.3.4).

A row is in the analysis (``in_scope``) when the engine accepted it and the
child is aged 5–17. The age groups' bounds are the ruleset's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import polars as pl

from himaya.survey.errors import RowProblem
from himaya.survey.mapping import SurveyMapping
from himaya_rules import FIELDS, Verdict, classify_frame, resolve
from himaya_rules.variables.observation import completed_years

RULESETS = ("sdg-8.7.1", "sdg-8.7.1-mics5")
INDICATORS = ("child_labour", "child_labour_economic", "household_chores", "hazardous_conditions")
RULE_OF = {
    "child_labour_economic": "sdg.economic_activity",
    "household_chores": "sdg.household_chores",
}


@dataclass(frozen=True)
class AgeGroups:
    """The ruleset's age bounds: in scope from ``minimum`` to ``maximum``, groups
    starting at ``minimum``, ``second`` and ``third``."""

    minimum: int
    second: int
    third: int
    maximum: int

    @property
    def labels(self) -> tuple[str, str, str]:
        return (
            f"{self.minimum:02d}-{self.second - 1:02d}",
            f"{self.second:02d}-{self.third - 1:02d}",
            f"{self.third:02d}-{self.maximum:02d}",
        )

    def of(self, age: pl.Series) -> pl.Series:
        """Each age's group label; null outside the scope."""
        low, middle, high = self.labels
        return (
            pl.select(
                pl.when((age < self.minimum) | (age > self.maximum))
                .then(None)
                .when(age < self.second)
                .then(pl.lit(low))
                .when(age < self.third)
                .then(pl.lit(middle))
                .otherwise(pl.lit(high))
            )
            .to_series()
            .rename("age_group")
        )


def age_groups(ruleset: str, on: date) -> AgeGroups:
    """The age groups of ``ruleset`` in force on ``on`` (its parameters ``<root>.age``)."""
    chosen, system = resolve(ruleset)
    p = system.parameters(on.isoformat())[chosen.parameter_root].age
    return AgeGroups(
        int(p.minimum), int(p.second_group_from), int(p.third_group_from), int(p.maximum)
    )


@dataclass
class Classified:
    ruleset: str
    indicators: dict[str, np.ndarray]  # float64 0/1, one per row of the file
    in_scope: np.ndarray  # bool, one per row
    age_group: pl.Series  # String, null outside the analysis
    groups: AgeGroups
    problems: list[RowProblem] = field(default_factory=list)
    out_of_scope: int = 0  # children younger than 5 or older than 17
    unknown_age: int = 0  # insufficient_information: no age


def _ages(fields: pl.DataFrame) -> pl.Series:
    """The age in completed years: from the birth date when valid, else the age given
    (the engine's ``completed_years``); -1 when neither is known."""
    reported = (
        fields.get_column("age").str.strip_chars().cast(pl.Int64, strict=False)
        if "age" in fields.columns
        else pl.Series("age", [None] * fields.height, dtype=pl.Int64)
    )
    if "birth_date" in fields.columns:
        born = fields.get_column("birth_date").str.strip_chars().str.to_date(strict=False)
        seen = fields.get_column("observed_on").str.strip_chars().str.to_date(strict=False)
        known = (born.is_not_null() & seen.is_not_null()).to_numpy()
        years = np.full(fields.height, -1, dtype=np.int64)
        if known.any():
            years[known] = completed_years(
                born.to_numpy()[known].astype("datetime64[D]"),
                seen.to_numpy()[known].astype("datetime64[D]"),
            )
        reported = pl.Series("age", np.where(known, years, reported.fill_null(-1).to_numpy()))
    return reported.fill_null(-1)


def classify(
    fields: pl.DataFrame, mapping: SurveyMapping, ruleset: str = "sdg-8.7.1"
) -> Classified:
    """Classify every row of ``fields`` (the engine's fields as text, see ``mapping.apply``)."""
    count = fields.height
    # Every field as a column (blank when unmapped): the engine then reads no Python list.
    absent = [name for name in FIELDS if name not in fields.columns and name != "id"]
    engine_input = fields.with_columns(
        pl.lit("-").alias("id"), *(pl.lit(None, dtype=pl.String).alias(name) for name in absent)
    )
    result = classify_frame(engine_input, ruleset)
    rows = result.rows
    verdicts = np.full(count, -1, dtype=np.int16)
    verdicts[rows] = result.verdicts
    in_scope = np.isin(verdicts, [Verdict.CHILD_LABOUR, Verdict.NOT_CHILD_LABOUR])

    indicators: dict[str, np.ndarray] = {}
    indicators["child_labour"] = (verdicts == Verdict.CHILD_LABOUR).astype(np.float64)
    for name, rule_id in RULE_OF.items():
        bit = np.int64(1) << result.ruleset.rule_ids.index(rule_id)
        fired = np.zeros(count, dtype=bool)
        fired[rows] = (result.rule_masks & bit) != 0
        indicators[name] = (fired & in_scope).astype(np.float64)
    hazardous = np.zeros(count, dtype=bool)
    hazardous[rows] = result.hazardous_conditions
    indicators["hazardous_conditions"] = (hazardous & in_scope).astype(np.float64)

    observed = fields.get_column("observed_on").unique().str.to_date(strict=False).max()
    on = observed if isinstance(observed, date) else datetime.now(UTC).date()
    groups = age_groups(ruleset, on)
    group = groups.of(_ages(fields))
    group = group.set(pl.Series(~in_scope), None)

    problems = [
        RowProblem(row + 1, "/".join(mapping.columns_of(error.field)), error.code, error.detail)
        for row, error in result.errors
    ]
    return Classified(
        ruleset=ruleset,
        indicators=indicators,
        in_scope=in_scope,
        age_group=group,
        groups=groups,
        problems=problems,
        out_of_scope=int((verdicts == Verdict.OUT_OF_SCOPE).sum()),
        unknown_age=int((verdicts == Verdict.INSUFFICIENT_INFORMATION).sum()),
    )
