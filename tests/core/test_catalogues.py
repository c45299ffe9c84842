"""The French and Arabic catalogues are complete: no entry left empty or fuzzy.

`make messages` refreshes them from the code; an entry that msgmerge guessed
(fuzzy) or could not fill (empty) would show English, or a wrong sentence, to
users. This reads the .po files as text (no extra dependency).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ENTRY = re.compile(r"\n\n(?=(?:#.*\n)*(?:msgctxt|msgid) )")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _value(block: str, keyword: str) -> str | None:
    """The concatenated string following ``keyword`` at the start of a line."""
    lines = block.splitlines()
    for start, line in enumerate(lines):
        if line.startswith(keyword + " "):
            parts = [STRING.search(line)]
            for more in lines[start + 1 :]:
                if not more.startswith('"'):
                    break
                parts.append(STRING.search(more))
            return "".join(m.group(1) for m in parts if m)
    return None


def _entries(language: str) -> list[str]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [block for block in ENTRY.split(text)[1:] if not block.startswith("#~")]


@pytest.mark.parametrize(("language", "forms"), [("fr", 2), ("ar", 6)])
def test_every_entry_is_translated_and_none_is_fuzzy(language: str, forms: int) -> None:
    entries = _entries(language)
    assert len(entries) > 500  # the catalogue was read
    fuzzy = [
        _value(block, "msgid") for block in entries if re.search(r"^#,.*\bfuzzy\b", block, re.M)
    ]
    assert fuzzy == []
    empty = []
    for block in entries:
        msgid = _value(block, "msgid")
        if _value(block, "msgid_plural") is not None:
            values = [_value(block, f"msgstr[{n}]") for n in range(forms)]
        else:
            values = [_value(block, "msgstr")]
        if any(not value for value in values):
            empty.append(msgid)
    assert empty == []
