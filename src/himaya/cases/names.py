"""Name normalisation for search, in Arabic and Latin script (no Django).

Built on the geography's ``fold`` (case, accents, Arabic diacritics, tatweel
and letter variants), so that children's and communes' names are searched alike.
"""

from __future__ import annotations

import re
import unicodedata

from himaya.geography.text import fold

# Apostrophes vanish (M'Barek, Mbarek); hyphens and dots separate words.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
_SEPARATORS = re.compile(r"[-.]")


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, folded letter variants, single spaces."""
    # Presentation forms (text copied from PDFs) become ordinary letters first.
    text = unicodedata.normalize("NFKC", text)
    return fold(_SEPARATORS.sub(" ", _APOSTROPHES.sub("", text)))


def search_text(*names: str) -> str:
    return " | ".join(normalise(n) for n in names if n)
