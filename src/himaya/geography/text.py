"""Folding names for matching and search, in French and Arabic. No Django.

``fold("Fès-Meknès") == "fes-meknes"``, ``fold("أكادير") == "اكادير"``: lower case,
no accents, no Arabic short vowels or tatweel, and the hamza/alef and final
ya/ta marbuta variants unified, so that a search typed without them still finds
the name.
"""

from __future__ import annotations

import re
import unicodedata

# After NFKD, the alef/waw/ya with hamza or madda have already lost their mark.
_ARABIC_VARIANTS = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maksura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0640": None,  # tatweel
    }
)
_SEPARATORS = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` in lower case without diacritics, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold().translate(_ARABIC_VARIANTS)).strip()


def name_key(text: str) -> str:
    """``fold(text)`` without spaces, hyphens or apostrophes: "M'diq-Fnideq" -> "mdiqfnideq"."""
    return _SEPARATORS.sub("", fold(text))
