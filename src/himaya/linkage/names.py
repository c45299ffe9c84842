"""Names made comparable across records and scripts, for record linkage (no Django).

One child reaches Himaya through inspectors (Latin script, French spellings),
associations (Arabic script), schools and the social registry (both). These
functions turn a name into keys that a Splink/DuckDB model can compare; the
model, not this module, decides how much an agreement weighs (a common name
weighs less than a rare one). Decision record: docs/decisions/0007.

``normalise_ar(name)``
    Arabic script only, one space between words: no diacritics or tatweel,
    ``أ إ آ ٱ`` → ``ا``, ``ؤ`` → ``و``, ``ئ ى`` → ``ي``, ``ة`` → ``ه``, the bare
    hamza ``ء`` dropped (``أسماء``/``اسما``), the article ``ال`` dropped at the
    start of every word (``العلوي`` → ``علوي``, ``المهدي`` → ``مهدي``), the
    compounds ``عبد ال…``, ``… الدين``, ``… الله`` joined with their article kept
    (``عبد الله``/``عبدالله`` → ``عبدالله``) and the particles ``بن ابن ولد ايت او
    ابو بو`` joined to the next word (``بن علي``/``بنعلي``, ``آيت بن حدو``).
``normalise_lat(name)``
    Latin letters only, one space between words, the French spellings of Moroccan
    names folded to one form: accents, apostrophes and hyphens; doubled letters;
    ``e``/``a`` → ``a``; ``o``/``ou``/``u`` → ``u``; ``w``/``y`` inside a word →
    ``u``/``i`` (a first ``ou`` before a vowel → ``w``: Oualid/Walid); ``sh`` →
    ``ch``, ``dj`` → ``j``, ``q``/``ck``/hard ``c`` → ``k``, soft ``c``/``ç`` →
    ``s``, ``ph`` → ``f``, ``dh`` → ``d``, ``ee``/``oo`` → ``i``/``u``, ``rh`` →
    ``gh`` except after a vowel (Rhizlane/Ghizlane, Amrhar; but Zerhouni), a mute
    final ``e`` dropped (Amine/Amin); the article dropped (``El``, ``Al``, ``L'``,
    ``Ez-``, ``Elalaoui``, ``Ezzahra``, ``Echchaoui``), and the ``Abd``/``Abdel``
    compounds (the article's ``l`` kept before a "moon" letter only: Abdelkader,
    Abderrahim), ``… Eddine``, ``… Allah``, the particles ``Ben``, ``Bel``, ``Bin``,
    ``Ibn``, ``Ould``, ``Ait``, ``Ou``, ``Abou``, ``Bou`` joined to the next word;
    ``Med`` is Mohamed. "Mohamed", "Mohammed", "Mouhamad", "Muhammad" →
    ``muhamad``; "El Alaoui", "Elalaoui", "Al-Alaoui", "Alaoui" → ``alaui``;
    "Ait Benhaddou", "Aït Ben Haddou" → ``aitbanhadu``.
``to_buckwalter(name)``
    ``normalise_ar(name)`` with one ASCII character per letter (Buckwalter), for
    DuckDB's ``levenshtein`` and ``jaro_winkler``, which count UTF-8 bytes (two per
    Arabic letter): never compare raw Arabic with them.
``phonetic_key(name)``
    Either script: a consonant skeleton in upper-case ASCII shared by both, words
    run together. Left out, because the two scripts do not write them alike: the
    vowels (and so ا و ي ع, Latin w), a word's first ``l`` (the article that Latin
    fuses: Lamrani/العمراني, Larbi/العربي) and a final ``h`` (ta marbuta, the h of
    Allah, Salah/صالح). A word's first ي/y stays as ``Y``. "محمد" and "Mohamed" →
    ``MHMD``; "العلوي" and "El Alaoui" → ``L``; "فاطمة الزهراء" and "Fatima Zahra" →
    ``FTMZHR``; "إبراهيم" and "Brahim" → ``BRHM``. Coarse on purpose (short vowels
    are not written in Arabic): "سعيد"/"سعد" and "Said"/"Saad" all give ``SD``; a
    name of vowels only ("Aya") gives ``""``, which says nothing.
``romanise_ar(name)``
    Candidate Latin spellings of an Arabic name, already through ``normalise_lat``
    so that they meet Latin records: attested spellings from the
    ``arabic-name-romanizer`` dictionary (Moroccan conventions first), kept only
    where their phonetic key agrees with the Arabic one, else a spelling by rule.

Vectorised helpers: ``map_unique`` (any of these functions over a column,
computing each distinct value once), ``romanise_ar_many`` (one batch through the
romaniser) and ``add_name_keys`` (a Polars frame gains every key column).

Why not ``himaya.cases.names.normalise`` / ``himaya.geography.text.fold``: they
serve search, where a typed query must still find the words as written (``ال``
kept, ``عبد الله`` two words, ``ء`` kept, Latin spellings untouched), and fold
character by character in Python. Linkage folds much harder, and 350,000 names
go through it in one run, so these functions are built on ``str.translate``
tables and precompiled expressions (about 11 µs a distinct name for the four keys
together), with their own caches. They agree on what both fold:
``normalise_ar(cases.names.normalise(x)) == normalise_ar(x)`` for Arabic names.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal, TypeVar

if TYPE_CHECKING:
    import polars as pl
    from arabic_name_romanizer import Candidate, Transliterator

__all__ = [
    "add_name_keys",
    "map_unique",
    "normalise_ar",
    "normalise_lat",
    "phonetic_key",
    "romanise_ar",
    "romanise_ar_many",
    "script",
    "to_buckwalter",
]

_CACHE_SIZE: Final = 1 << 16

# --- Arabic ----------------------------------------------------------------------------

# The letters left by the fold: the 28 letters, then پ چ ڤ ڭ (the Moroccan ڭ for /g/).
_AR_LETTERS: Final = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "پچڤڭ"
_AR_WORD: Final = re.compile(f"[{_AR_LETTERS}]+")
_AR_ANY: Final = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _drop(*ranges: tuple[int, int]) -> dict[int, None]:
    return {code: None for start, end in ranges for code in range(start, end + 1)}


_AR_FOLD: Final = {
    # Harakat, shadda, sukun, hamza and madda marks; superscript alef; Quranic signs.
    **_drop((0x064B, 0x065F), (0x0670, 0x0670), (0x0610, 0x061A), (0x06D6, 0x06ED)),
    # Tatweel; the bare hamza (أسماء is also written اسما); invisible joiners and marks.
    **_drop((0x0640, 0x0640), (0x0621, 0x0621), (0x0674, 0x0674), (0x200C, 0x200F)),
    **_drop((0x061C, 0x061C), (0xFEFF, 0xFEFF)),
    **dict.fromkeys(map(ord, "أإآٱٲٳ"), "ا"),
    ord("ؤ"): "و",
    **dict.fromkeys(map(ord, "ئىیےې"), "ي"),
    **dict.fromkeys(map(ord, "ةۃہەھ"), "ه"),
    **dict.fromkeys(map(ord, "کڪ"), "ك"),
    **dict.fromkeys(map(ord, "گݣ"), "ڭ"),
    ord("ڥ"): "ڤ",
}

_AR_ARTICLE: Final = "ال"
# Words that begin with ال without it being the article (إلياس, إلهام, ألفة once the
# hamza is folded).
_AR_NOT_ARTICLE: Final = frozenset({"الياس", "الهام", "الفه"})
# Compounds whose article stays: عبد الرحيم, نور الدين, فتح الله.
_AR_ABD: Final = "عبد"
_AR_SUFFIXES: Final = frozenset({"الدين", "الله"})
# Particles joined to the next word, in their canonical form.
_AR_PARTICLES: Final = {
    "بن": "بن",
    "ابن": "بن",
    "ولد": "ولد",
    "ايت": "ايت",
    "او": "او",
    "ابو": "ابو",
    "بو": "بو",
}
# The "sun" letters, into which the article's ل assimilates (عبد الرحيم: Abderrahim).
_AR_SUN: Final = frozenset("تثدذرزسشصضطظلن")

_BUCKWALTER: Final = str.maketrans(
    dict(
        zip(
            "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "پچڤڭ",
            "AbtvjHxd*rzs$SDTZEgfqklmnhwy" + "PJVG",
            strict=True,
        )
    )
)


def _ar_words(name: str, article: Literal["drop", "l"]) -> list[str]:
    """The words of an Arabic name, folded, compounds and particles joined.

    ``article="l"`` keeps the article as a bare ``ل`` before a "moon" letter (the
    Latin "Lahcen", "Larbi", "Lamrani" spellings), to check romanisations with.
    """
    words = _AR_WORD.findall(unicodedata.normalize("NFKC", name).translate(_AR_FOLD))
    # Rounds until nothing changes: a word freed of its article can meet a particle.
    for _ in range(len(words)):
        if not any(_ar_special(word) for word in words):
            break
        joined = _ar_join(words, article)
        if joined == words:
            break
        words = joined
    return words


def _ar_special(word: str) -> bool:
    return (
        word == _AR_ABD
        or word in _AR_SUFFIXES
        or word in _AR_PARTICLES
        or (word.startswith(_AR_ARTICLE) and word not in _AR_NOT_ARTICLE)
    )


def _ar_join(words: list[str], article: Literal["drop", "l"]) -> list[str]:
    """Compounds, the article and particles (one round)."""
    joined: list[str] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        i += 1
        if word == _AR_ABD and i < n:
            word += words[i]
            i += 1
            if words[i - 1] == _AR_ARTICLE and i < n:  # عبد ال رحيم
                word += words[i]
                i += 1
        elif word in _AR_SUFFIXES and joined:
            joined[-1] += word
            continue
        joined.append(word)
    result: list[str] = []
    pending = ""
    for word in joined:
        if word.startswith(_AR_ARTICLE) and word not in _AR_NOT_ARTICLE:
            if len(word) == 2:  # a lone ال, typed apart from its word
                continue
            stripped = word
            while stripped.startswith(_AR_ARTICLE) and len(stripped) >= 4:
                stripped = stripped[2:]
            if stripped == _AR_ARTICLE:
                continue
            if article == "l" and stripped != word and stripped[0] not in _AR_SUN:
                stripped = "ل" + stripped
            word = stripped
        particle = _AR_PARTICLES.get(word)
        if particle is not None:
            pending += particle
            continue
        result.append(pending + word)
        pending = ""
    if pending:
        result.append(pending)
    return result


@lru_cache(maxsize=_CACHE_SIZE)
def normalise_ar(name: str) -> str:
    """The Arabic-script words of ``name``, folded for comparison (see the module)."""
    return " ".join(_ar_words(name, "drop"))


@lru_cache(maxsize=_CACHE_SIZE)
def to_buckwalter(name: str) -> str:
    """``normalise_ar(name)`` in Buckwalter: one ASCII character per letter, spaces kept."""
    return normalise_ar(name).translate(_BUCKWALTER)


# --- Latin -----------------------------------------------------------------------------

_LAT_PRE: Final = str.maketrans(
    {
        "ç": "s",  # Eç-Çaïdi: the cedilla says s, not k
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        **dict.fromkeys("’‘ʼʻ`´′", "'"),
    }
)
_LAT_L_APOSTROPHE: Final = re.compile(r"\bl'")  # L'Houcine: the article
_LAT_WORD: Final = re.compile("[a-z]+")
# Raw spellings of the article stuck to a word: "Elalaoui", "Ezzahra", "Echchaoui".
_LAT_EL_KEPT: Final = frozenset(
    {"eliane", "elisa", "elise", "elena", "elodie", "eloise", "eleonore", "elisabeth"}
)
_LAT_ASSIMILATED: Final = re.compile(r"e(?:([tdrzsnl])\1|ch)(?=[a-z]{3})")

_LAT_DOUBLE: Final = re.compile(r"(?<=([a-z]))\1+")
# Digraphs whose letters cannot be told apart by a French reader. Order matters: x
# gives ks before sh is read, q gives k before ck is.
_LAT_DIGRAPHS: Final = (
    ("x", "ks"),
    ("sh", "ch"),
    ("dj", "j"),
    ("ph", "f"),
    ("dh", "d"),
    ("q", "k"),
    ("ck", "k"),
    ("ee", "i"),
    ("oo", "u"),
)
_LAT_RH: Final = re.compile(r"(?<![aeiouy])rh")
_LAT_SOFT_C: Final = re.compile(r"c(?=[eiy])")
_LAT_HARD_C: Final = re.compile(r"c(?!h)")
_LAT_MUTE_E: Final = re.compile(r"(?<=[bcdfghjklmnpqrstvwz])e\b")
_LAT_VOWELS: Final = str.maketrans("eo", "au")
# w and y inside a word are vowels to a French reader (Kawtar/Kaoutar, Meryem/Mariam).
_LAT_INNER_W: Final = re.compile(r"\Bw")
_LAT_INNER_Y: Final = re.compile(r"\By")
_LAT_FIRST_W: Final = re.compile(r"\bu(?=[aiu])")  # Oualid, Ouafae: the w of Walid
_LAT_ABD: Final = re.compile(r"\babd[aiu]*+(l?)(?=([a-z])[a-z])")

# Word-level tables, in folded spelling (after the letters above).
_LAT_ARTICLES: Final = frozenset({"al", "l", "ul", "az", "as", "ad", "at", "ar", "an", "ach"})
_LAT_ABD_PARTS: Final = frozenset({"abd", "abda", "abdal", "abdul", "abdl"})
_LAT_SUFFIXES: Final = frozenset({"adin", "idin", "din", "alah", "lah", "ulah"})
_LAT_PARTICLES: Final = {
    "ban": "ban",  # Ben
    "bal": "bal",  # Bel (Bel Haj)
    "bin": "ban",
    "ibn": "ban",
    "uld": "uld",  # Ould
    "ulad": "uld",  # Ouled
    "ait": "ait",
    "aiat": "ait",  # Ayet
    "u": "u",  # Ou (Amazigh: son of)
    "abu": "abu",
    "bu": "bu",
}
_LAT_ABBREVIATIONS: Final = {"mad": "muhamad", "muhd": "muhamad", "mhd": "muhamad"}
_LAT_SPECIAL: Final = (
    _LAT_ARTICLES
    | _LAT_ABD_PARTS
    | _LAT_SUFFIXES
    | _LAT_PARTICLES.keys()
    | _LAT_ABBREVIATIONS.keys()
)
# The sun letters in folded Latin (ch for ش); l is left to the doubled-letter rule.
_LAT_SUN: Final = frozenset("tdrzsnc")


def _lat_abd(match: re.Match[str]) -> str:
    return "abda" if not match[1] or match[2] in _LAT_SUN else "abdal"


def _lat_digraphs(text: str) -> str:
    for digraph, letter in _LAT_DIGRAPHS:
        text = text.replace(digraph, letter)
    while "dj" in text or "dh" in text:  # Haddj, dhh: a digraph met again
        text = text.replace("dj", "j").replace("dh", "d")
    return text


def _lat_glides(text: str) -> str:
    if "w" in text:
        text = _LAT_INNER_W.sub("u", text)
    if "y" in text:
        text = _LAT_INNER_Y.sub("i", text)
    return _LAT_DOUBLE.sub("", text)


def _lat_raw_word(word: str) -> str:
    """The article stuck to a raw word, before its letters are folded."""
    if word.startswith("el") and len(word) >= 6 and word not in _LAT_EL_KEPT:
        return word[2:]
    if _LAT_ASSIMILATED.match(word) and not word.endswith(("din", "dine")):
        if word.startswith("ech"):
            return word[3:] if word.startswith("echch") else word[1:]
        return word[2:]
    return word


def _lat_join(words: list[str]) -> list[str]:
    """Compounds, articles and particles, on folded words (one round)."""
    joined: list[str] = []
    i, n = 0, len(words)
    while i < n:
        word = _LAT_ABBREVIATIONS.get(words[i], words[i])
        i += 1
        if word in _LAT_ABD_PARTS and i < n:
            following = words[i]
            if following in _LAT_ARTICLES and i + 1 < n:  # Abd El Kader
                following += words[i + 1]
                i += 1
            if len(following) >= 3:
                joined.append(word + following)
                i += 1
                continue
        elif word in _LAT_SUFFIXES and joined and joined[-1] + word not in _LAT_SPECIAL:
            joined[-1] += word  # Nour Eddine, Fath Allah
            continue
        elif (
            word in _LAT_ARTICLES
            and i < n
            and words[i] in _LAT_SUFFIXES
            and joined
            and joined[-1] + word + words[i] not in _LAT_SPECIAL
        ):
            joined[-1] += word + words[i]  # Nour Ed Dine
            i += 1
            continue
        joined.append(word)
    result: list[str] = []
    pending = ""
    last = len(joined) - 1
    for index, word in enumerate(joined):
        if index < last and word in _LAT_ARTICLES:
            continue
        particle = _LAT_PARTICLES.get(word)
        if index < last and particle is not None:
            pending += particle
            continue
        if pending and _lat_glides(_lat_digraphs(pending + word)) not in _LAT_SPECIAL:
            word = pending + word
        elif pending:
            result.append(pending)
        result.append(word)
        pending = ""
    return result


@lru_cache(maxsize=_CACHE_SIZE)
def normalise_lat(name: str) -> str:
    """The Latin-script words of ``name``, folded for comparison (see the module)."""
    text = name.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LAT_PRE))
        text = text.encode("ascii", "ignore").decode("ascii")
    if "'" in text or "`" in text:
        text = _LAT_L_APOSTROPHE.sub(" ", text.replace("`", "'")).replace("'", "")
    words = _LAT_WORD.findall(text)
    # Letters: digraphs, then the letters read from their neighbours, then vowels.
    text = _lat_digraphs(" ".join([_lat_raw_word(w) if w[0] == "e" else w for w in words]))
    if "c" in text:
        text = _LAT_HARD_C.sub("k", _LAT_SOFT_C.sub("s", text))
    if "rh" in text:  # Rhizlane, Amrhar: the French gh; Zerhouni, after a vowel, is r-h
        text = _LAT_RH.sub("gh", text)
    if "e" in text:
        text = _LAT_MUTE_E.sub("", text)
    text = _lat_glides(text.replace("ou", "u").translate(_LAT_VOWELS))
    # Words: compounds, articles, particles; then the letters met across a join.
    # Rounds until nothing changes: a join can make a particle meet another word.
    words = text.split()
    for _ in range(len(words)):
        if not any(word in _LAT_SPECIAL for word in words):
            break
        joined = _lat_join(words)
        if joined == words:
            break
        words = _lat_glides(_lat_digraphs(" ".join(joined))).split()
    text = " ".join(words)
    if "abd" in text:
        text = _LAT_DOUBLE.sub("", _LAT_ABD.sub(_lat_abd, text))
    if "u" in text:
        text = _LAT_FIRST_W.sub("w", text)
    return text


# --- Both scripts ----------------------------------------------------------------------

Script = Literal["ar", "lat", ""]


def script(name: str) -> Script:
    """``"ar"`` if ``name`` has an Arabic letter, else ``"lat"`` if it has a Latin one."""
    if _AR_ANY.search(name) and normalise_ar(name):
        return "ar"
    return "lat" if normalise_lat(name) else ""


# The skeleton leaves out what the two scripts do not write alike: vowels, and so
# ا و ي ع and the Latin w (Oualid/Walid/وليد, Oukili/الوكيلي, Ouali/Aouali/أوعلي);
# a word's first vowel (Brahim/إبراهيم, Smail/إسماعيل, Hmed/أحمد); a word's first l,
# the article that Latin spellings fuse (Lamrani/العمراني, Larbi, Lhoussaine), so
# Latifa and لطيفة lose it too. A word's first ي/y stays, as Y.
#
# Arabic: a final ه or ح is silent in Latin, which writes Fatima, Sarah, Salah,
# Abdellah alike (except after ا: حياة is Hayat, نجاة Najat); the article of a
# compound assimilates before a sun letter (عبد الرحيم: Abderrahim); ت ط + ح/ه, and
# س د + ح/ه inside a word, are the Latin th, sh, dh, which fold (فتحي: Fathi,
# التهامي: Thami, إسحاق: Ishak).
_AR_KEY_ABD_SUN: Final = re.compile("(?<=عبد)ال(?=[تثدذرزسشصضطظلن])")
_AR_KEY_SUFFIX: Final = re.compile(r"(?<=\w)ال(?=(?:دين|له)\b)")
_AR_KEY_FINAL_AT: Final = re.compile(r"(?<=\w)اه\b")
_AR_KEY_FINAL_H: Final = re.compile(r"(?<=\w\w)[هح]\b")
_AR_KEY_DIGRAPH: Final = re.compile(r"[تط][حه](?=\w)|(?<=\w)[سد][حه](?=\w)")
_AR_KEY_DIGRAPHS: Final = {"ت": "T", "ط": "T", "س": "C", "د": "D"}
_AR_KEY: Final = str.maketrans(
    {
        **dict.fromkeys("اويع ", None),
        **dict(zip("بتثجحخدذرزسشصضطظغفقكلمنهپچڤڭ", "BTTJHXDDRZSCSDTDGFKKLMNHBCFG", strict=True)),
    }
)
# Latin, from normalise_lat (where w and y are left only at the start of a word).
_LAT_KEY_FIRST_L: Final = re.compile(r"\bl")
_LAT_KEY_FINAL_H: Final = re.compile(r"(?<=[aiu])h\b")
_LAT_KEY_DIGRAPHS: Final = (("kh", "X"), ("ch", "C"), ("gh", "G"), ("th", "T"))
_LAT_KEY: Final = str.maketrans(
    {
        **dict.fromkeys("aeiouw ", None),
        **dict(zip("bcdfghjklmnpqrstvxyz", "BKDFGHJKLMNBKRSTFKYZ", strict=True)),
    }
)


def _ar_key(normalised: str) -> str:
    text = normalised
    if "ال" in text:  # only compounds keep their article
        text = _AR_KEY_SUFFIX.sub("", _AR_KEY_ABD_SUN.sub("", text))
    if "ه" in text or "ح" in text:
        text = _AR_KEY_FINAL_H.sub("", _AR_KEY_FINAL_AT.sub("T", text))
        text = _AR_KEY_DIGRAPH.sub(lambda m: _AR_KEY_DIGRAPHS[m[0][0]], text)
    words = text.split(" ")
    for index, word in enumerate(words):
        if word[:1] == "ل":
            words[index] = word[1:]
        elif word[:1] == "ي":
            words[index] = "Y" + word[1:]
    return "".join(words).translate(_AR_KEY)


def _lat_key(normalised: str) -> str:
    text = _LAT_KEY_FIRST_L.sub("", normalised) if "l" in normalised else normalised
    if "h" in text:
        text = _LAT_KEY_FINAL_H.sub("", text)
    for digraph, key in _LAT_KEY_DIGRAPHS:
        text = text.replace(digraph, key)
    return text.translate(_LAT_KEY)


@lru_cache(maxsize=_CACHE_SIZE)
def phonetic_key(name: str) -> str:
    """A consonant skeleton shared by both scripts; Arabic wins in a mixed name."""
    if _AR_ANY.search(name):
        arabic = normalise_ar(name)
        if arabic:
            return _ar_key(arabic)
    return _lat_key(normalise_lat(name))


# --- Romanisation ----------------------------------------------------------------------

# By rule, when the dictionary has nothing that agrees: consonants as a French reader
# writes them (ح and ه as H until the end), long vowels as written, ta marbuta as a.
_AR_TO_LATIN: Final = str.maketrans(
    dict(
        zip(
            "ابتثجحخدذرزسشصضطظعغفقكلمنهويپچڤڭ",
            "a b t th j H kh d d r z s ch s d t d a gh f k k l m n H ou i p tch v g".split(),
            strict=True,
        )
    )
)
_AR_FINAL_H: Final = re.compile(r"(?<=\w\w)ه\b")
_AR_FIRST_YA: Final = re.compile(r"\bي")
# An h after a consonant would make a digraph (rh, sh, kh): a vowel goes between.
_RULE_H: Final = re.compile("(?<=[b-df-su-z])H")

_ROMANISERS: dict[bool, Transliterator] = {}
_ROMANISER_LOCK: Final = threading.RLock()
_COUNTRY: Final = "MA"
_SCORE_FLOOR: Final = 0.01


def _romaniser(model: bool) -> Transliterator:
    with _ROMANISER_LOCK:
        if model not in _ROMANISERS:
            # Imported here: the dictionary takes a fifth of a second to open, and the
            # other keys never need it.
            from arabic_name_romanizer import Transliterator

            _ROMANISERS[model] = Transliterator(auto_load_model=model)
        return _ROMANISERS[model]


def _by_rule(normalised: str) -> str:
    text = _AR_FIRST_YA.sub("y", _AR_FINAL_H.sub("a", normalised)).translate(_AR_TO_LATIN)
    return normalise_lat(_RULE_H.sub("aH", text))


def _agreeing(name: str, candidates: Sequence[Candidate], limit: int) -> list[str]:
    """The likely candidates, through ``normalise_lat``, whose skeleton agrees with ``name``'s.

    Likely: a hundredth of the best score at least (the dictionary's stray rows score
    a thousandth: أحمد → "Hammadi").
    """
    keys = {_ar_key(normalise_ar(name)), _ar_key(" ".join(_ar_words(name, "l")))}
    floor = max((c.score for c in candidates), default=0.0) * _SCORE_FLOOR
    kept: list[str] = []
    for candidate in candidates:
        if candidate.score < floor:
            continue
        latin = normalise_lat(candidate.text)
        if latin and latin not in kept and _lat_key(latin) in keys:
            kept.append(latin)
            if len(kept) == limit:
                break
    return kept or [_by_rule(normalise_ar(name))]


@lru_cache(maxsize=_CACHE_SIZE)
def _romanise(name: str, limit: int, model: bool) -> tuple[str, ...]:
    if not normalise_ar(name):
        return ()
    with _ROMANISER_LOCK:
        candidates = _romaniser(model).transliterate(name, top_k=3 * limit, country=_COUNTRY)
    return tuple(_agreeing(name, candidates, limit))


def romanise_ar(name: str, *, limit: int = 4, model: bool = False) -> list[str]:
    """Up to ``limit`` Latin keys (``normalise_lat``) for an Arabic name, likeliest first.

    Spellings come from the romaniser's dictionary of attested names, Moroccan
    conventions first, and are kept only where their ``phonetic_key`` agrees with
    the Arabic one (the dictionary has stray rows: خديجة → "Chaouki"). A word the
    dictionary does not know is spelled by rule, or by the romaniser's neural model
    with ``model=True`` (about 2 ms a word on this project's machines, against
    0.1–0.2 ms a name from the dictionary). Empty for a name without Arabic letters.
    """
    return list(_romanise(name, limit, model))


def romanise_ar_many(
    names: Iterable[str | None], *, limit: int = 4, model: bool = False
) -> list[list[str] | None]:
    """``romanise_ar`` over a column: each distinct name once, in one romaniser batch."""
    names = list(names)
    distinct = sorted({n for n in names if n is not None and normalise_ar(n)})
    if distinct:
        with _ROMANISER_LOCK:
            batches = _romaniser(model).transliterate_many(
                distinct, top_k=3 * limit, country=_COUNTRY
            )
        found = {
            name: _agreeing(name, candidates, limit)
            for name, candidates in zip(distinct, batches, strict=True)
        }
    else:
        found = {}
    return [None if n is None else list(found.get(n, ())) for n in names]


# --- Columns ---------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def map_unique(function: Callable[[K], V], values: Iterable[K | None]) -> list[V | None]:
    """``function`` over ``values``, each distinct value computed once, ``None`` kept."""
    values = list(values)
    done: dict[K, V] = {}
    for value in values:
        if value is not None and value not in done:
            done[value] = function(value)
    return [None if v is None else done[v] for v in values]


def add_name_keys(
    frame: pl.DataFrame, column: str, *, romanise: bool = True, model: bool = False
) -> pl.DataFrame:
    """``frame`` with the keys of its ``column`` of names, in either script.

    Adds ``{column}_script`` (``ar``/``lat``/empty), ``{column}_ar`` (``normalise_ar``),
    ``{column}_bw`` (Buckwalter), ``{column}_lat`` (``normalise_lat``), ``{column}_phon``
    (``phonetic_key``) and, with ``romanise``, ``{column}_rom``: a list of Latin keys,
    the romanisations of an Arabic name or the one key of a Latin name, so that a
    Latin-only and an Arabic-only record can be compared on it. Nulls stay null;
    each distinct name is computed once.
    """
    import polars as pl

    names: list[str] = frame.get_column(column).drop_nulls().unique().to_list()
    scripts = [script(n) for n in names]
    latin = [normalise_lat(n) for n in names]
    columns: dict[str, list[str]] = {
        column: names,
        f"{column}_script": list(scripts),
        f"{column}_ar": [normalise_ar(n) for n in names],
        f"{column}_bw": [to_buckwalter(n) for n in names],
        f"{column}_lat": latin,
        f"{column}_phon": [phonetic_key(n) for n in names],
    }
    table = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String()))
    if romanise:
        arabic = [n for n, s in zip(names, scripts, strict=True) if s == "ar"]
        romanised = dict(zip(arabic, romanise_ar_many(arabic, model=model), strict=True))
        candidates = [
            romanised[n] if s == "ar" else ([lat] if lat else [])
            for n, s, lat in zip(names, scripts, latin, strict=True)
        ]
        table = table.with_columns(
            pl.Series(f"{column}_rom", candidates, dtype=pl.List(pl.String()))
        )
    return frame.join(table, on=column, how="left", maintain_order="left", nulls_equal=False)
