"""Names made comparable across records and scripts (himaya.linkage.names).

Every name here is a common Moroccan first or family name, not a person's record.
"""

from __future__ import annotations

import re
from itertools import combinations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from himaya.cases.names import normalise as search_normalise
from himaya.linkage.names import (
    add_name_keys,
    map_unique,
    normalise_ar,
    normalise_lat,
    phonetic_key,
    romanise_ar,
    romanise_ar_many,
    script,
    to_buckwalter,
)

# --- The same name in both scripts ------------------------------------------------------

# Each Arabic name with Latin spellings found in French-language records.
SAME_NAME: list[tuple[str, list[str]]] = [
    # First names.
    ("محمد", ["Mohamed", "Mohammed", "Mouhamad", "Muhammad"]),
    ("أحمد", ["Ahmed", "Ahmad"]),
    ("يوسف", ["Youssef", "Yousef", "Youcef", "Yusuf"]),
    ("خديجة", ["Khadija", "Khadidja"]),
    ("فاطمة", ["Fatima", "Fatema"]),
    ("فاطمة الزهراء", ["Fatima Zahra", "Fatima-Ezzahra", "Fatimazahra"]),
    ("عبد الرحيم", ["Abderrahim", "Abdelrahim", "Abd Errahim"]),
    ("عبدالله", ["Abdellah", "Abdallah", "Abdullah"]),
    ("عبد القادر", ["Abdelkader", "Abd El Kader"]),
    ("عبد الإله", ["Abdelilah"]),
    ("شيماء", ["Chaimae", "Shaimaa", "Chaima"]),
    ("غزلان", ["Ghizlane", "Rhizlane"]),
    ("سعيد", ["Said", "Saïd"]),
    ("سعد", ["Saad", "Saâd"]),
    ("فتيحة", ["Fatiha"]),
    ("هشام", ["Hicham", "Hichem"]),
    ("رشيد", ["Rachid"]),
    ("مريم", ["Meryem", "Maryam", "Mariam"]),
    ("زكرياء", ["Zakaria", "Zakariae", "Zakariya"]),
    ("نور الدين", ["Noureddine", "Nour-Eddine", "Nourdine"]),
    ("صلاح الدين", ["Salaheddine", "Salah Eddine"]),
    ("عثمان", ["Othmane", "Otmane"]),
    ("إبراهيم", ["Ibrahim", "Brahim"]),
    ("إسماعيل", ["Ismail", "Smail"]),
    ("إدريس", ["Driss", "Idriss"]),
    ("الحسين", ["El Houssine", "Lhoussaine", "Houcine", "L'Houcine"]),
    ("المهدي", ["El Mehdi", "Mehdi", "Elmehdi"]),
    ("أيوب", ["Ayoub", "Ayyoub"]),
    ("ياسين", ["Yassine", "Yacine"]),
    ("حمزة", ["Hamza"]),
    ("وليد", ["Walid", "Oualid"]),
    ("وئام", ["Wiam", "Ouiam"]),
    ("كوثر", ["Kaoutar", "Kawtar"]),
    ("سكينة", ["Soukaina", "Soukayna"]),
    ("هاجر", ["Hajar", "Hadjar"]),
    ("عائشة", ["Aicha", "Aïcha", "Aisha"]),
    ("زينب", ["Zineb", "Zaynab"]),
    ("نهى", ["Noha"]),
    ("أسماء", ["Asmae", "Asmaa"]),
    ("حسناء", ["Hasnae", "Hasna"]),
    ("إكرام", ["Ikram"]),
    ("مروان", ["Marouane", "Marwane"]),
    ("رضوان", ["Redouane", "Radouane"]),
    ("مصطفى", ["Mustapha", "Moustafa"]),
    ("بوشعيب", ["Bouchaib"]),
    ("التهامي", ["Thami"]),
    ("فتحي", ["Fathi"]),
    ("طه", ["Taha"]),
    ("حياة", ["Hayat"]),
    ("نجاة", ["Najat"]),
    ("صالح", ["Saleh", "Salah"]),
    # Family names.
    ("العلوي", ["El Alaoui", "Elalaoui", "Al-Alaoui", "Alaoui"]),
    ("الإدريسي", ["El Idrissi", "Idrissi", "Drissi"]),
    ("بن علي", ["Benali", "Ben Ali", "Ibn Ali"]),
    ("بنعلي", ["Benali"]),
    ("آيت بن حدو", ["Ait Benhaddou", "Aït Ben Haddou"]),
    ("بناني", ["Bennani"]),
    ("الفاسي", ["El Fassi", "Fassi"]),
    ("التازي", ["Tazi"]),
    ("الشرايبي", ["Chraibi"]),
    ("العمراني", ["El Amrani", "Lamrani", "Amrani"]),
    ("العربي", ["Larbi"]),
    ("الوزاني", ["Ouazzani", "El Ouazzani"]),
    ("الشرقاوي", ["Cherkaoui", "Charkaoui"]),
    ("الغزواني", ["Ghazouani", "El Ghazouani"]),
    ("الصحراوي", ["Sahraoui"]),
    ("الخطابي", ["El Khattabi"]),
    ("الدكالي", ["Doukkali"]),
    ("الزموري", ["Zemmouri"]),
    ("الشاوي", ["Chaoui", "Echchaoui"]),
    ("أوحمو", ["Ouhammou"]),
    ("أمزيان", ["Amziane"]),
    ("بلحاج", ["Belhaj", "Bel Haj"]),
    ("الناصري", ["Naciri", "Nasiri"]),
    ("القادري", ["Kadiri", "Qadiri"]),
    ("الصديقي", ["Seddiki", "Essadiki"]),
    ("الزهراوي", ["Zahraoui", "Ez-Zahraoui"]),
    ("بوطالب", ["Boutaleb"]),
    ("السوسي", ["Soussi"]),
    ("الرحماني", ["Rahmani", "Errahmani"]),
    ("الكتاني", ["Kettani", "El Kettani"]),
    ("الزياني", ["Zayani", "Ziani"]),
    ("الجراري", ["Jirari"]),
    ("الحداد", ["Haddad"]),
]
PAIRS = [(arabic, latin) for arabic, spellings in SAME_NAME for latin in spellings]


def test_there_are_enough_pairs() -> None:
    assert len(SAME_NAME) >= 80
    assert len(PAIRS) >= 150


@pytest.mark.parametrize(("arabic", "latin"), PAIRS)
def test_the_same_name_in_both_scripts_has_one_phonetic_key(arabic: str, latin: str) -> None:
    assert phonetic_key(arabic) == phonetic_key(latin) != ""


def test_romanisations_meet_most_latin_spellings() -> None:
    found = [normalise_lat(latin) in romanise_ar(arabic) for arabic, latin in PAIRS]
    # Measured: 158 of 161. The misses are a vowel away (Drissi: idrisi; Lhoussaine:
    # lhusin, lahusin).
    assert sum(found) / len(found) >= 0.9


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("محمد", "muhamad"),
        ("العلوي", "alaui"),
        ("عبد الرحيم", "abdarahim"),
        ("خديجة", "khadija"),
        ("يوسف", "yusaf"),
        ("فاطمة الزهراء", "fatima zahra"),
        ("آيت بن حدو", "aitbanhadu"),
    ],
)
def test_the_likeliest_romanisation_comes_first(arabic: str, expected: str) -> None:
    assert romanise_ar(arabic)[0] == expected


def test_stray_dictionary_rows_are_left_out() -> None:
    # The romaniser's dictionary also offers خديجة → "Chaouki", أحمد → "Chaima",
    # فتيحة → "Fatima", محمد → "Ahmed": their skeletons or scores give them away.
    assert "chauki" not in romanise_ar("خديجة")
    assert "chaima" not in romanise_ar("أحمد")
    assert "fatima" not in romanise_ar("فتيحة")
    assert "ahmad" not in romanise_ar("محمد")


def test_a_name_the_dictionary_does_not_know_is_spelled_by_rule() -> None:
    # An invented name: the romaniser spells it letter by letter.
    (spelling,) = romanise_ar("زغلوفي")
    assert spelling == normalise_lat(spelling)
    assert phonetic_key(spelling) == phonetic_key("زغلوفي") == "ZGLF"


def test_the_neural_model_answers_for_an_unknown_name() -> None:
    spellings = romanise_ar("زغلوفي", model=True)
    assert spellings
    assert all(s == normalise_lat(s) for s in spellings)


def test_romanise_takes_only_arabic() -> None:
    assert romanise_ar("Mohamed") == []
    assert romanise_ar("") == []
    assert romanise_ar_many(["محمد", None, "Mohamed", "محمد"]) == [
        ["muhamad"],
        None,
        [],
        ["muhamad"],
    ]


def test_romanise_many_agrees_with_romanise_one_by_one() -> None:
    names = [arabic for arabic, _ in SAME_NAME[:30]]
    assert romanise_ar_many(names) == [romanise_ar(n) for n in names]


# --- Latin variants ---------------------------------------------------------------------

LATIN_VARIANTS: list[list[str]] = [
    ["Mohamed", "Mohammed", "Mouhamad", "Muhammad", "MOHAMED", "Mohamad"],
    ["El Alaoui", "Elalaoui", "Al-Alaoui", "Alaoui", "EL ALAOUI", "El-Alaoui", "Alawi"],
    ["Ait Benhaddou", "Aït Ben Haddou", "Ait Ben-Haddou", "AIT BENHADDOU"],
    ["Chaimae", "Shaimaa", "Chaima", "Chaymae"],
    ["Khadija", "Khadidja"],
    ["Youssef", "Yousef", "Youcef"],
    ["Ghizlane", "Rhizlane", "Ghizlan"],
    ["Fatima Zahra", "Fatima-Zahra", "Fatima Ezzahra", "Fatima Ez-Zahra"],
    ["Abderrahim", "Abdelrahim", "Abd Errahim", "Abderahim", "Abdurrahim"],
    ["Abdellah", "Abdallah", "Abdullah", "Abd Allah"],
    ["Abdelkader", "Abd El Kader", "Abdelqader", "Abdel Kader"],
    ["Noureddine", "Nour Eddine", "Nour-Eddine", "Nouredine"],
    ["Oualid", "Walid"],
    ["Ouafae", "Wafae", "Wafaa", "Wafa"],
    ["Meryem", "Maryam", "Mariam", "Meriem"],
    ["Zakaria", "Zakariae", "Zakariya", "Zakariyae", "Zakarya"],
    ["Kaoutar", "Kawtar"],
    ["Redouane", "Radwan", "Redwane"],
    ["Hicham", "Hichem", "Hisham"],
    ["Saïd", "Said", "SAID", "Saeed"],
    ["Saad", "Saâd", "Sad"],
    ["Aicha", "Aïcha", "Aisha"],
    ["Ayoub", "Ayyoub"],
    ["Amine", "Amin"],
    ["Yassine", "Yacine", "Yassin"],
    ["Hajar", "Hadjar", "Hajjar"],
    ["Benali", "Ben Ali", "Ben-Ali", "Ibn Ali", "Bin Ali"],
    ["Mbarek", "M'barek", "M’Barek"],
    ["L'Houcine", "El Houcine", "Elhoucine", "Houcine"],
    ["Med Amine", "Mohamed Amine", "Mohamed-Amine"],
    ["Echchaoui", "Ech-Chaoui", "Chaoui"],
    ["Zahraoui", "Ez-Zahraoui", "Ezzahraoui"],
]


@pytest.mark.parametrize("spellings", LATIN_VARIANTS, ids=lambda s: s[0])
def test_latin_variants_fold_to_one_form(spellings: list[str]) -> None:
    assert len({normalise_lat(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Mohamed", "muhamad"),
        ("El Alaoui", "alaui"),
        ("Aït Ben Haddou", "aitbanhadu"),
        ("Abderrahim", "abdarahim"),
        ("Abdelkader", "abdalkadar"),
        ("Fatima-Ezzahra", "fatima zahra"),
        ("Youcef", "yusaf"),
        ("Oualid", "walid"),
        ("Eç-Çaïdi", "saidi"),
        ("  Mohamed    AMINE ", "muhamad amin"),
    ],
)
def test_the_folded_form(spelling: str, expected: str) -> None:
    assert normalise_lat(spelling) == expected


def test_soft_and_hard_c() -> None:
    assert normalise_lat("Youcef") == normalise_lat("Youssef")
    assert normalise_lat("Lahcen") == normalise_lat("Lahsen")
    assert normalise_lat("Cherkaoui") != normalise_lat("Serkaoui")  # ch is ش, never s
    assert normalise_lat("Kacem") == normalise_lat("Qasem")  # hard c, q and k: ق


def test_rh_is_gh_except_after_a_vowel() -> None:
    assert normalise_lat("Rhita") == normalise_lat("Ghita")
    assert normalise_lat("Amrhar") == normalise_lat("Amghar")
    assert normalise_lat("Zerhouni") == "zarhuni"  # ر ه, not غ


def test_names_that_begin_like_the_article_keep_it() -> None:
    assert normalise_lat("Elias") == "alias"
    assert normalise_lat("Elham") == "alham"
    assert normalise_lat("Essa") == "asa"
    assert normalise_lat("Ezzeddine") == normalise_lat("Azzeddine")


def test_latin_drops_other_scripts_digits_and_punctuation() -> None:
    assert normalise_lat("Mohamed محمد 1990 (R.)") == "muhamad r"
    assert normalise_lat("") == normalise_lat("--- ...") == ""


# --- Names that must not meet ----------------------------------------------------------

DIFFERENT_NAMES: list[tuple[str, str]] = [
    ("Mohamed", "Ahmed"),
    ("Fatima", "Fatiha"),
    ("Said", "Saad"),
    ("Khalid", "Khadija"),
    ("Youssef", "Younes"),
    ("Hicham", "Hakim"),
    ("Hassan", "Hasna"),
    ("Amine", "Amina"),
    ("Karim", "Karima"),
    ("Rachid", "Rachida"),
    ("Hamza", "Hamid"),
    ("Zineb", "Zahra"),
    ("Salma", "Selim"),
    ("Imane", "Amina"),
    ("Nabil", "Nabila"),
    ("Mhamed", "Mohamed"),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT_NAMES)
def test_different_names_keep_different_latin_forms(one: str, other: str) -> None:
    assert normalise_lat(one) != normalise_lat(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("محمد", "أحمد"),
        ("فاطمة", "فتيحة"),
        ("خالد", "خديجة"),
        ("يوسف", "يونس"),
        ("Mohamed", "Ahmed"),
        ("Fatima", "Fatiha"),
        ("Khalid", "Khadija"),
        ("Hicham", "Hakim"),
    ],
)
def test_different_names_keep_different_phonetic_keys(one: str, other: str) -> None:
    assert phonetic_key(one) != phonetic_key(other)


def test_the_phonetic_key_is_coarse_where_the_scripts_are() -> None:
    # Arabic does not write short vowels: سعيد and سعد share a skeleton, and so do
    # their Latin spellings. The other keys still tell them apart.
    assert phonetic_key("سعيد") == phonetic_key("سعد") == phonetic_key("Said") == "SD"
    assert normalise_ar("سعيد") != normalise_ar("سعد")
    assert normalise_lat("Said") != normalise_lat("Saad")
    assert not set(romanise_ar("سعيد")) & set(romanise_ar("سعد"))
    assert phonetic_key("Hassan") == phonetic_key("Hasna") == "HSN"


def test_a_name_of_vowels_has_an_empty_key() -> None:
    assert phonetic_key("Aya") == phonetic_key("آية") == ""


# --- Arabic normalisation ---------------------------------------------------------------


@pytest.mark.parametrize("variant", ["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد", "أَحْمَد", "أحـــمد"])
def test_alef_forms_diacritics_and_tatweel(variant: str) -> None:
    assert normalise_ar(variant) == "احمد"


def test_hamza_ta_marbuta_and_alef_maqsura() -> None:
    assert normalise_ar("مؤمن") == normalise_ar("مومن") == "مومن"
    assert normalise_ar("عائشة") == normalise_ar("عايشه") == "عايشه"
    assert normalise_ar("أسماء") == normalise_ar("اسما") == "اسما"
    assert normalise_ar("فاطمة") == normalise_ar("فاطمه") == "فاطمه"
    assert normalise_ar("مصطفى") == normalise_ar("مصطفي") == "مصطفي"


def test_the_article_is_dropped_from_every_word() -> None:
    assert normalise_ar("العلوي") == normalise_ar("علوي") == "علوي"
    assert normalise_ar("الإدريسي") == "ادريسي"
    assert normalise_ar("المهدي") == "مهدي"
    assert normalise_ar("فاطمة الزهراء") == "فاطمه زهرا"
    assert normalise_ar("ال علوي") == "علوي"  # typed apart


def test_words_that_only_look_like_the_article() -> None:
    assert normalise_ar("إلياس") == normalise_ar("الياس") == "الياس"
    assert normalise_ar("إلهام") == "الهام"


@pytest.mark.parametrize(
    ("spaced", "joined"),
    [
        ("عبد الله", "عبدالله"),
        ("عبد الرحيم", "عبدالرحيم"),
        ("عبد ال رحيم", "عبدالرحيم"),
        ("نور الدين", "نورالدين"),
        ("فتح الله", "فتحالله"),
        ("بن علي", "بنعلي"),
        ("ابن علي", "بنعلي"),
        ("آيت بن حدو", "ايتبنحدو"),
        ("أبو بكر", "ابوبكر"),
        ("بن الطيب", "بنطيب"),
    ],
)
def test_compounds_and_particles_are_one_word(spaced: str, joined: str) -> None:
    assert normalise_ar(spaced) == normalise_ar(joined) == joined


def test_presentation_forms_fold_like_letters() -> None:
    assert normalise_ar("ﺃﺣﻤﺪ") == "احمد"
    assert normalise_ar("ﻓﺎﻃﻤﺔ") == "فاطمه"


def test_arabic_drops_other_scripts_digits_and_punctuation() -> None:
    assert normalise_ar("محمد (Mohamed) ١٢ - العلوي") == "محمد علوي"
    assert normalise_ar("Mohamed") == ""


@pytest.mark.parametrize("arabic", [arabic for arabic, _ in SAME_NAME])
def test_linkage_folds_what_search_folds(arabic: str) -> None:
    assert normalise_ar(search_normalise(arabic)) == normalise_ar(arabic)


# --- Buckwalter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("محمد", "mHmd"),
        ("عبد الله", "EbdAllh"),
        ("شيماء", "$ymA"),
        ("غزلان", "gzlAn"),
        ("العلوي", "Elwy"),
        ("فاطمة الزهراء", "fATmh zhrA"),
        ("ثريا", "vryA"),
        ("ذهبي", "*hby"),
        ("ڭسوس", "Gsws"),
    ],
)
def test_buckwalter(arabic: str, expected: str) -> None:
    assert to_buckwalter(arabic) == expected


def test_buckwalter_of_latin_is_empty() -> None:
    assert to_buckwalter("Mohamed") == ""


# --- Properties -------------------------------------------------------------------------

# Pieces of names, so that the examples look like names often enough to reach the
# rules (articles, compounds, particles, digraphs), and random text besides.
LATIN_PIECES = (
    "abd el al ou ben bel ait ayt ch dj sh kh gh rh th dh ph ck ee oo mm ss tt din lah "
    "allah eddine ez zz bou abou med ould ouled bin ibn echch ech ll a e i o u y w l c q "
    "x t d r n s z h m b f k j g p ' - ç ï é â"
).split() + [" "]
ARABIC_PIECES = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآؤئىةـ") + [
    "ال",
    "عبد",
    "بن",
    "ابن",
    "ايت",
    "آيت",
    "او",
    "أو",
    "ابو",
    "بو",
    "ولد",
    "الله",
    "الدين",
    " ",
    "\u064e",
    "\u0651",
]
latin_names = st.lists(st.sampled_from(LATIN_PIECES), max_size=12).map("".join)
arabic_names = st.lists(st.sampled_from(ARABIC_PIECES), max_size=12).map("".join)
any_names = st.one_of(st.text(), latin_names, arabic_names)


@settings(max_examples=500)
@given(st.one_of(st.text(), latin_names))
def test_normalise_lat_is_idempotent(name: str) -> None:
    once = normalise_lat(name)
    assert normalise_lat(once) == once
    assert re.fullmatch("[a-z]+( [a-z]+)*|", once)


@settings(max_examples=500)
@given(st.one_of(st.text(), arabic_names))
def test_normalise_ar_is_idempotent(name: str) -> None:
    once = normalise_ar(name)
    assert normalise_ar(once) == once


@settings(max_examples=300)
@given(arabic_names)
def test_linkage_folds_what_search_folds_on_any_arabic(name: str) -> None:
    assert normalise_ar(search_normalise(name)) == normalise_ar(name)


@settings(max_examples=500)
@given(any_names)
def test_buckwalter_is_ascii_one_character_per_letter(name: str) -> None:
    arabic = normalise_ar(name)
    latin = to_buckwalter(name)
    assert latin.isascii()
    assert len(latin) == len(arabic)
    assert [c == " " for c in latin] == [c == " " for c in arabic]
    # One letter, one character, always the same one: the transliteration is reversible.
    pairs = set(zip(arabic, latin, strict=True))
    assert len({a for a, _ in pairs}) == len({b for _, b in pairs}) == len(pairs)


@settings(max_examples=500)
@given(any_names)
def test_phonetic_key_is_upper_case_ascii_and_survives_normalisation(name: str) -> None:
    key = phonetic_key(name)
    assert re.fullmatch("[A-Z]*", key)
    if script(name) == "ar":
        assert phonetic_key(normalise_ar(name)) == key
    else:
        assert phonetic_key(normalise_lat(name)) == key


@settings(max_examples=30)
@given(arabic_names)
def test_romanisations_are_latin_keys(name: str) -> None:
    for spelling in romanise_ar(name):
        assert normalise_lat(spelling) == spelling


def test_script() -> None:
    assert script("محمد") == "ar"
    assert script("Mohamed") == "lat"
    assert script("Mohamed محمد") == "ar"
    assert script("٣٤ - ؟") == script("") == script("1990") == ""


# --- Columns ----------------------------------------------------------------------------


def test_map_unique_computes_each_value_once() -> None:
    calls: list[str] = []

    def spy(name: str) -> str:
        calls.append(name)
        return normalise_lat(name)

    assert map_unique(spy, ["Said", None, "Said", "Saad"]) == ["said", None, "said", "sad"]
    assert calls == ["Said", "Saad"]


def test_add_name_keys() -> None:
    frame = pl.DataFrame({"id": [1, 2, 3, 4], "name": ["Mohamed", "محمد", None, "Mohamed"]})
    keyed = add_name_keys(frame, "name")
    assert keyed["id"].to_list() == [1, 2, 3, 4]
    assert keyed.row(0, named=True) == {
        "id": 1,
        "name": "Mohamed",
        "name_script": "lat",
        "name_ar": "",
        "name_bw": "",
        "name_lat": "muhamad",
        "name_phon": "MHMD",
        "name_rom": ["muhamad"],
    }
    assert keyed.row(1, named=True) == {
        "id": 2,
        "name": "محمد",
        "name_script": "ar",
        "name_ar": "محمد",
        "name_bw": "mHmd",
        "name_lat": "",
        "name_phon": "MHMD",
        "name_rom": ["muhamad"],
    }
    assert keyed.row(2) == (3, None, None, None, None, None, None, None)
    assert add_name_keys(frame, "name", romanise=False).columns == keyed.columns[:-1]


def test_every_pair_of_latin_variants_meets_on_the_phonetic_key() -> None:
    for spellings in LATIN_VARIANTS:
        for one, other in combinations(spellings, 2):
            assert phonetic_key(one) == phonetic_key(other), (one, other)
