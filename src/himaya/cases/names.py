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
# Apostrophes vanish (M'Barek, Mbarek); hyphens and dots separate words.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
_SEPARATORS = re.compile(r"[-.]")


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, folded letter variants, single spaces."""
    # Presentation forms (text copied from PDFs) become ordinary letters first.
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(
        c for c in decomposed if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff"
    )
    text = unicodedata.normalize("NFC", text).casefold()
    text = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text))
    return _SPACES.sub(" ", text).strip()


def search_text(*names: str) -> str:
    return " | ".join(normalise(n) for n in names if n)
