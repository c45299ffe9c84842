"""Himaya's legal classification engine: child labour rules as code.

No web framework here: this package is imported by the Django project, the
command line and the benchmarks alike.

    >>> from himaya_rules import classify_one
    >>> child = {"id": "1", "observed_on": "2024-05-01", "age": "13", "sector": "trade"}
    >>> result = classify_one(child)
    >>> result.verdict, result.rules
    ('child_labour', ('ma.below_minimum_age',))
"""

from .codes import HAZARDS, SECTORS, WORST_FORMS, Verdict
from .engine import (
    OUTPUT_COLUMNS,
    BatchResult,
    Classification,
    ObservationError,
    OptionError,
    classify_batch,
    classify_frame,
    classify_one,
    resolve,
)
from .inputs import FIELDS, FieldError
from .messages import LANGUAGES, VERDICT_LABELS, reason_text
from .rulesets import RULESETS
from .sanctions import (
    BREACH_OF_RULE,
    BREACHES,
    Breach,
    Fine,
    RepeatPeriod,
    breaches_of,
    fine_for,
    is_repeat,
    repeat_period,
    skips_advice,
)

__all__ = [
    "FIELDS",
    "HAZARDS",
    "LANGUAGES",
    "OUTPUT_COLUMNS",
    "RULESETS",
    "SECTORS",
    "VERDICT_LABELS",
    "WORST_FORMS",
    "BatchResult",
    "Classification",
    "FieldError",
    "ObservationError",
    "OptionError",
    "Verdict",
    "classify_batch",
    "classify_frame",
    "classify_one",
    "reason_text",
    "resolve",
    # Sanctions of the breaches, for the labour inspectorate's follow-up.
    "BREACHES",
    "BREACH_OF_RULE",
    "Breach",
    "Fine",
    "RepeatPeriod",
    "breaches_of",
    "fine_for",
    "is_repeat",
    "repeat_period",
    "skips_advice",
]
