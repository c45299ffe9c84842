"""Refusals and row problems of the survey pipeline (no Django).

Each carries a ``code`` and its parameters so that the command line (and later
the web pages) can show a translated sentence; ``str()`` is the English one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from himaya_rules import reason_text

#: English text of each refusal, by code; ``messages.py`` holds the translatable ones.
REFUSALS: dict[str, str] = {
    "unreadable": "cannot read {path}: {detail}",
    "unknown_format": "{path}: unknown file type (expected .csv, .sav or .dta)",
    "empty": "{path} has no rows",
    "missing_column": "column {column} ({role}) is not in the file",
    "design_missing": "no {role} column: give --{role} or a mapping that names it",
    "weight_not_number": "column {column} (weight) holds a value that is not a number: {detail}",
    "weight_negative": "column {column} (weight) holds a negative weight: {detail}",
    "weight_blank": "column {column} (weight) has a blank weight in row {detail}",
    "design_blank": "column {column} ({role}) is blank in row {detail}",
    "unknown_mapping": "unknown mapping {detail} (known: {known})",
    "mapping_invalid": "mapping {path}: {detail}",
    "mapping_unknown_field": (
        "mapping {path}: {column} is not a field of the engine (known: {known})"
    ),
    "unknown_variable": "the mapping names variable {column}, which is not in the file",
    "no_age": "no age: the file (or its mapping) needs a column age or birth_date",
    "unknown_by": "--by names column {column}, which is not in the file",
    "not_a_number": "column {column} holds a value that is not a number: {detail}",
}


class SurveyRefused(Exception):
    """The file, its mapping or its design is refused as a whole."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(REFUSALS[code].format_map(_Default(params)))

    @property
    def column(self) -> str | None:
        return self.params.get("column")


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class RowProblem:
    """A row left out of the estimates: its number (data rows from 1), the survey
    column(s) at fault and the engine's reason code (``himaya_rules.reason_text``)."""

    row: int
    column: str
    code: str
    detail: str = field(default="")

    def text(self, language: str = "en") -> str:
        return f"row {self.row}: {self.column}: {reason_text(self.code, self.detail, language)}"

    def __str__(self) -> str:
        return self.text("en")
