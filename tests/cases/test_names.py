"""Name normalisation, and the case list's search by name in either script."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya.cases import services
from himaya.cases.names import normalise, search_text
from himaya.cases.selectors import CaseFilters, case_list_for_user

# --- Arabic -----------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"])
def test_alef_with_hamza_or_madda_is_plain_alef(variant: str) -> None:
    assert normalise(variant) == "احمد"


def test_hamza_on_waw_and_ya_is_folded() -> None:
    assert normalise("مؤمن") == normalise("مومن")
    assert normalise("هانئ") == normalise("هاني")


def test_ta_marbuta_is_ha() -> None:
    assert normalise("فاطمة") == normalise("فاطمه") == "فاطمه"


def test_alef_maqsura_is_ya() -> None:
    assert normalise("مصطفى") == normalise("مصطفي") == "مصطفي"


def test_tashkeel_is_dropped() -> None:
    assert normalise("مُحَمَّد") == "محمد"
    assert normalise("يُوسُفُ") == "يوسف"
    assert normalise("كِتَابٌ") == "كتاب"
    assert normalise("هٰذا") == "هذا"  # superscript alef


def test_tatweel_is_dropped() -> None:
    assert normalise("محـــمد") == "محمد"


def test_every_fold_at_once() -> None:
    assert normalise("  فاطِمَة   الزَّهْراء  ") == normalise("فاطمه الزهراء")
    assert normalise("عبد الله") == "عبد الله"


def test_presentation_forms_fold_like_ordinary_letters() -> None:
    # Arabic copied out of a PDF often comes in presentation forms.
    assert normalise("ﺃﺣﻤﺪ") == normalise("احمد")
    assert normalise("ﻓﺎﻃﻤﺔ") == normalise("فاطمه")


# --- Latin ------------------------------------------------------------------------------


def test_case_and_accents() -> None:
    assert normalise("Aïcha") == "aicha"
    assert normalise("ÉLODIE") == "elodie"
    assert normalise("Hajar Eç-Çaïdi") == "hajar ec caidi"
    assert normalise("Zoé") == normalise("ZOE") == "zoe"


def test_hyphens_and_dots_separate_words() -> None:
    assert normalise("El-Amrani") == "el amrani"
    assert normalise("EL-AMRANI") == normalise("el amrani")
    assert normalise("Moh. Ali") == "moh ali"


@pytest.mark.parametrize("spelling", ["M'Barek", "M’barek", "Mbarek", "MBAREK", "Mʼbarek"])
def test_apostrophes_vanish_so_every_spelling_matches(spelling: str) -> None:
    assert normalise(spelling) == "mbarek"


def test_spaces_collapse() -> None:
    assert normalise("  Youssef \t  El\nAmrani ") == "youssef el amrani"
    assert normalise("") == ""


@given(st.text(max_size=30))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once


def test_search_text_joins_the_normalised_names_and_skips_blanks() -> None:
    assert search_text("يوسف", "", "El-Amrani") == "يوسف | el amrani"


# --- Search in the case list ---------------------------------------------------------------


@pytest.fixture
def youssef(world: Any) -> Any:
    return world.identify().case


@pytest.mark.parametrize(
    "query",
    [
        "يوسف",
        "العمراني",
        "يُوسُف",
        "Youssef",
        "youssef",
        "el amrani",
        "EL-AMRANI",
        "El Amrani",
        "amrani",
        "Youssef العمراني",
        "  youssef   ",
    ],
)
def test_the_case_list_finds_the_child_by_either_name(world: Any, youssef: Any, query: str) -> None:
    found = list(case_list_for_user(user=world.worker, filters=CaseFilters(q=query)))
    assert found == [youssef]


@pytest.mark.parametrize("query", ["Karim", "كريم", "youssef karim", "amranii"])
def test_the_case_list_finds_nothing_for_another_name(world: Any, youssef: Any, query: str) -> None:
    assert not case_list_for_user(user=world.worker, filters=CaseFilters(q=query)).exists()


def test_search_picks_one_child_among_several(world: Any, youssef: Any) -> None:
    other = services.identification_record(
        actor=world.worker,
        household=services.HouseholdIn(commune=world.commune.code, guardian_name="Khadija"),
        child=services.ChildIn(
            first_name_ar="فاطمة",
            family_name_ar="الزهراء",
            first_name_latin="Fatima-Zahra",
            family_name_latin="Aït Ali",
            sex="F",
            birth_date=services.today() - datetime.timedelta(days=12 * 366),
        ),
        observation=services.ObservationIn(
            observed_on=services.today(), economic_hours_week=10.0, sector="agriculture"
        ),
    ).case
    assert other is not None

    def search(q: str) -> list[Any]:
        return list(case_list_for_user(user=world.worker, filters=CaseFilters(q=q)))

    assert search("فاطمه") == [other]
    assert search("fatima zahra") == [other]
    assert search("ait ali") == [other]
    assert search("AÏT-ALI") == [other]
    assert search("youssef") == [youssef]
    assert set(search("")) == {youssef, other}


def test_search_never_crosses_scope(world: Any, youssef: Any) -> None:
    for user in (world.other_org_worker, world.other_territory_worker, world.analyst):
        assert not case_list_for_user(user=user, filters=CaseFilters(q="Youssef")).exists()
