"""CSV in, CSV out: what ``himaya classify`` does, without any web framework.

Input: a header, columns named as the fields (any order, missing = unknown,
others ignored). Output: ``id,ruleset,verdict,rules,citations,hazardous_conditions``
for every accepted row, in input order. Rejected rows are reported as
``row N: FIELD: REASON`` (N counts data rows from 1) and the others are still
classified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import polars as pl

from .engine import BatchResult, classify_frame
from .inputs import REQUIRED
from .messages import reason_text

FILE_MESSAGES = {
    "missing": {
        "fr": "fichier introuvable : {path}",
        "ar": "الملف غير موجود: {path}",
        "en": "no such file: {path}",
    },
    "not_csv": {
        "fr": "{path} n'est pas un fichier CSV lisible (texte UTF-8 avec une ligne d'en-tête) : {detail}",
        "ar": "{path} ليس ملف CSV مقروءا (نص UTF-8 بسطر عناوين): {detail}",
        "en": "{path} is not a readable CSV file (UTF-8 text with a header line): {detail}",
    },
    "columns": {
        "fr": "{path} : colonnes obligatoires absentes de l'en-tête : {columns} (séparateur attendu : la virgule)",
        "ar": "{path}: أعمدة إلزامية غير موجودة في سطر العناوين: {columns} (الفاصل المطلوب: الفاصلة)",
        "en": "{path}: the header lacks the required columns: {columns} (expected separator: comma)",
    },
}


class FileRefused(ValueError):
    """The file as a whole cannot be read; nothing was classified."""


def read_observations(path: Path, language: str = "fr") -> pl.DataFrame:
    """Read a CSV of observations as text columns, or refuse it with one message."""

    def refuse(key: str, **values: str) -> FileRefused:
        return FileRefused(FILE_MESSAGES[key][language].format(path=path, **values))

    if not path.is_file():
        raise refuse("missing")
    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head:
        raise refuse("not_csv", detail="binary content")
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.PolarsError, UnicodeDecodeError, OSError) as error:
        raise refuse("not_csv", detail=str(error).splitlines()[0]) from error
    frame = frame.rename({name: name.strip() for name in frame.columns})
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        raise refuse("columns", columns=", ".join(missing))
    return frame


@dataclass
class Report:
    accepted: int
    rejected_rows: int
    messages: list[str]


def rejection_lines(result: BatchResult, language: str = "fr") -> list[str]:
    return [
        f"row {row + 1}: {error.field}: {reason_text(error.code, error.detail, language)}"
        for row, error in result.errors
    ]


def classify_csv(
    source: Path,
    output: IO[str] | Path,
    ruleset: str,
    options: Mapping[str, str] | None = None,
    language: str = "fr",
) -> Report:
    """Classify a CSV file into ``output``; raises FileRefused or OptionError."""
    frame = read_observations(source, language)
    result = classify_frame(frame, ruleset, options)
    result.to_frame().write_csv(output)
    lines = rejection_lines(result, language)
    return Report(
        accepted=len(result.ids),
        rejected_rows=len({row for row, _ in result.errors}),
        messages=lines,
    )
