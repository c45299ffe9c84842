"""The engine's public API: classify one observation, or a batch of columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from . import explain
from .codes import Verdict
from .evaluate import decide, epoch_of, epochs, parameters_at, run_one, run_simulation
from .inputs import FIELDS, FieldError, parse_columns, parse_one
from .messages import VERDICT_LABELS, reason_text
from .rulesets import RULESETS, Ruleset


class OptionError(ValueError):
    """An unknown ruleset, or an option it does not take."""


class ObservationError(ValueError):
    """One observation was rejected; ``errors`` names each bad field."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{e.field}: {reason_text(e.code, e.detail, 'en')}" for e in errors)
        )


def resolve(
    ruleset: str, options: Mapping[str, str] | None = None
) -> tuple[Ruleset, TaxBenefitSystem]:
    """The ruleset and its OpenFisca system with the options applied, or OptionError."""
    if ruleset not in RULESETS:
        raise OptionError(f"unknown ruleset '{ruleset}' (known: {', '.join(RULESETS)})")
    chosen = RULESETS[ruleset]
    accepted = {option.key: option for option in chosen.options}
    for key, value in (options or {}).items():
        if key not in accepted:
            known = ", ".join(accepted) or "none"
            raise OptionError(f"ruleset {ruleset} has no option '{key}' (options: {known})")
        if value not in accepted[key].values:
            allowed = "|".join(accepted[key].values)
            raise OptionError(
                f"option {key}={value} is not allowed for {ruleset} (allowed: {allowed})"
            )
    return chosen, chosen.system(dict(options or {}))


def _before_ruleset(system: TaxBenefitSystem, ruleset: Ruleset) -> FieldError:
    return FieldError("observed_on", "before_ruleset", epochs(system, ruleset.parameter_root)[0])


@dataclass(frozen=True)
class Classification:
    """The verdict on one observation, with the rules that fired and their citations."""

    id: str
    ruleset: str
    observed_on: date
    verdict: str
    rules: tuple[str, ...]
    citations: tuple[str, ...]
    hazardous_conditions: bool | None
    age: int | None
    _inputs: dict[str, Any] = field(repr=False, compare=False)
    _parameters: Any = field(repr=False, compare=False)
    _root: str = field(repr=False, compare=False)
    _explained: tuple[str, ...] = field(repr=False, compare=False)

    def verdict_label(self, language: str = "fr") -> str:
        return VERDICT_LABELS[self.verdict][language]

    def explanation(self, language: str = "fr") -> list[str]:
        """One sentence per fired rule (or per missing fact), in ``language``."""
        values = explain.facts(
            self._inputs,
            self.age if self.age is not None else -1,
            self._parameters,
            self._root,
            language,
        )
        return explain.sentences(list(self._explained), values, language)


def _explained(
    verdict: Verdict, rules: tuple[str, ...], age: int, working: bool
) -> tuple[str, ...]:
    """The templates that explain a verdict: its rules, or what is missing."""
    if verdict is not Verdict.INSUFFICIENT_INFORMATION:
        return rules if rules else ("not_working",)
    if age < 0:
        return ("unknown_age",)
    return ("unknown_hours",) if working else ("unknown_working",)


def classify_one(
    observation: Mapping[str, Any],
    ruleset: str = "ma-labour-code",
    options: Mapping[str, str] | None = None,
) -> Classification:
    """Classify one observation; raises ObservationError naming every bad field."""
    chosen, system = resolve(ruleset, options)
    inputs, identifier, errors = parse_one(observation)
    epoch = None
    if inputs["observed_on"] is not None:
        epoch = epoch_of(system, chosen, inputs["observed_on"].isoformat())
        if epoch is None:
            errors.append(_before_ruleset(system, chosen))
            errors.sort(key=lambda error: FIELDS.index(error.field))
    if errors or epoch is None:
        raise ObservationError(errors)
    arrays = {
        name: np.array([value], dtype="datetime64[D]" if isinstance(value, date) else None)
        for name, value in inputs.items()
    }
    values = run_one(system, chosen, arrays, epoch)
    codes, masks = decide(chosen, values)
    verdict, mask = Verdict(int(codes[0])), int(masks[0])
    fired = [i for i in range(len(chosen.rules)) if mask >> i & 1]
    age = int(values["age"][0])
    rules = tuple(chosen.rule_ids[i] for i in fired)
    return Classification(
        id=identifier,
        ruleset=chosen.name,
        observed_on=inputs["observed_on"],
        verdict=verdict.slug,
        rules=rules,
        citations=tuple(chosen.citations[i] for i in fired),
        hazardous_conditions=bool(values["has_hazard"][0]) if chosen.statistical else None,
        age=age if age >= 0 else None,
        _inputs=inputs,
        _parameters=parameters_at(system, epoch),
        _root=chosen.parameter_root,
        _explained=_explained(verdict, rules, age, bool(values["working"][0])),
    )


OUTPUT_COLUMNS = ("id", "ruleset", "verdict", "rules", "citations", "hazardous_conditions")
CITATION_SEPARATOR = " | "


@dataclass
class BatchResult:
    ruleset: Ruleset
    ids: pl.Series
    rows: np.ndarray  # 0-based input row of each accepted observation
    verdicts: np.ndarray  # Verdict codes
    rule_masks: np.ndarray  # bit i: rule i of the ruleset fired
    hazardous_conditions: np.ndarray
    errors: list[tuple[int, FieldError]]  # (0-based row, error), in row order

    def verdict_names(self) -> pl.Series:
        names = pl.Series([verdict.slug for verdict in Verdict])
        return names.gather(self.verdicts.astype(np.int64))

    def to_frame(self) -> pl.DataFrame:
        """The specified output: one row per accepted observation, in input order."""
        unique, inverse = np.unique(self.rule_masks, return_inverse=True)
        rules, citations = [], []
        for mask in unique.tolist():
            fired = [i for i in range(len(self.ruleset.rules)) if mask >> i & 1]
            rules.append(";".join(self.ruleset.rule_ids[i] for i in fired))
            citations.append(CITATION_SEPARATOR.join(self.ruleset.citations[i] for i in fired))
        index = pl.Series(inverse.astype(np.int64).ravel())
        if self.ruleset.statistical:
            hazardous = pl.Series(np.where(self.hazardous_conditions, "true", "false"))
        else:
            hazardous = pl.repeat("", len(self.ids), eager=True)
        return pl.DataFrame(
            {
                "id": self.ids,
                "ruleset": pl.repeat(self.ruleset.name, len(self.ids), eager=True),
                "verdict": self.verdict_names(),
                "rules": pl.Series(rules, dtype=pl.String).gather(index),
                "citations": pl.Series(citations, dtype=pl.String).gather(index),
                "hazardous_conditions": hazardous,
            }
        )


def classify_frame(
    frame: pl.DataFrame, ruleset: str = "ma-labour-code", options: Mapping[str, str] | None = None
) -> BatchResult:
    """Classify every row of a frame of text columns named as the fields."""
    chosen, system = resolve(ruleset, options)
    parsed = parse_columns(frame)
    dates = np.array(epochs(system, chosen.parameter_root), dtype="datetime64[D]")
    epoch_index = np.searchsorted(dates, parsed.inputs["observed_on"], side="right") - 1
    keep = epoch_index >= 0
    refused = parsed.rejected_observed_on
    refused_early = ~np.isnat(refused) & (refused < dates[0])
    early_rows = np.concatenate([parsed.rows[~keep], parsed.rejected_rows[refused_early]])
    errors = parsed.errors
    if len(early_rows):
        errors = sorted(
            errors + [(int(row), _before_ruleset(system, chosen)) for row in early_rows],
            key=lambda item: (item[0], FIELDS.index(item[1].field)),
        )
    inputs = {name: values[keep] for name, values in parsed.inputs.items()}
    epoch_index = epoch_index[keep]
    count = int(keep.sum())
    verdict_codes = np.zeros(count, dtype=np.int8)
    masks = np.zeros(count, dtype=np.int64)
    hazardous = np.zeros(count, dtype=bool)
    for k in np.unique(epoch_index).tolist():
        selected = epoch_index == k
        subset = {name: values[selected] for name, values in inputs.items()}
        values = run_simulation(system, chosen, subset, str(dates[k]))
        verdict_codes[selected], masks[selected] = decide(chosen, values)
        hazardous[selected] = values["has_hazard"]
    return BatchResult(
        ruleset=chosen,
        ids=parsed.ids.filter(pl.Series(keep)),
        rows=parsed.rows[keep],
        verdicts=verdict_codes,
        rule_masks=masks,
        hazardous_conditions=hazardous,
        errors=errors,
    )


def classify_batch(
    columns: Mapping[str, Sequence[Any]] | pl.DataFrame,
    ruleset: str = "ma-labour-code",
    options: Mapping[str, str] | None = None,
) -> BatchResult:
    """Classify columnar data: a Polars frame or a mapping of equal-length columns."""
    frame = (
        columns
        if isinstance(columns, pl.DataFrame)
        else pl.DataFrame(
            {
                name: pl.Series(
                    name, [None if v is None else str(v) for v in values], dtype=pl.String
                )
                for name, values in columns.items()
            }
        )
    )
    return classify_frame(frame, ruleset, options)
