"""Name normalisation for search, in Arabic and Latin script (no Django)."""

from __future__ import annotations

import re
import unicodedata

# Tashkeel and tatweel are dropped; letter variants folded to one form.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, folded letter variants, single spaces."""
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(
        c for c in decomposed if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff"
    )
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[-'’.]", " ", text)
    return _SPACES.sub(" ", text).strip()


def search_text(*names: str) -> str:
    return " | ".join(normalise(n) for n in names if n)
