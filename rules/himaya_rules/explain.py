"""Explanations a person can read, in French, Arabic and English.

One template per rule id (and per reason for insufficient information), filled
with the child's facts and the parameters in force on the observation's date,
so the figures quoted are the ones the rule applied.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .codes import HAZARDS, SECTOR_CODE, WORST_FORMS
from .variables.observation import overlaps_night

CODE_LABELS: dict[str, dict[str, str]] = {
    "abuse": {"fr": "maltraitance", "ar": "سوء المعاملة", "en": "abuse"},
    "underground": {"fr": "travail souterrain", "ar": "العمل تحت الأرض", "en": "underground work"},
    "underwater": {"fr": "travail sous l'eau", "ar": "العمل تحت الماء", "en": "underwater work"},
    "heights": {"fr": "travail en hauteur", "ar": "العمل في المرتفعات", "en": "work at heights"},
    "confined_space": {"fr": "espace confiné", "ar": "فضاء مغلق", "en": "confined space"},
    "dangerous_machinery": {
        "fr": "machines dangereuses",
        "ar": "آلات خطيرة",
        "en": "dangerous machinery",
    },
    "sharp_tools": {"fr": "outils tranchants", "ar": "أدوات حادة", "en": "sharp tools"},
    "heavy_loads": {"fr": "charges lourdes", "ar": "حمولات ثقيلة", "en": "heavy loads"},
    "pesticides_chemicals": {
        "fr": "pesticides et produits chimiques",
        "ar": "مبيدات ومواد كيميائية",
        "en": "pesticides and chemicals",
    },
    "dust_fumes": {"fr": "poussières et fumées", "ar": "غبار وأدخنة", "en": "dust and fumes"},
    "extreme_temperature": {
        "fr": "températures extrêmes",
        "ar": "درجات حرارة قصوى",
        "en": "extreme temperatures",
    },
    "noise_vibration": {
        "fr": "bruit et vibrations",
        "ar": "ضجيج واهتزازات",
        "en": "noise and vibration",
    },
    "fire_gas_explosives": {
        "fr": "feu, gaz et explosifs",
        "ar": "نار وغاز ومتفجرات",
        "en": "fire, gas and explosives",
    },
    "radiation": {"fr": "rayonnements", "ar": "إشعاعات", "en": "radiation"},
    "long_hours": {"fr": "longues heures", "ar": "ساعات طويلة", "en": "long hours"},
    "confined_to_premises": {
        "fr": "confinement sur le lieu de travail",
        "ar": "الحجز في مكان العمل",
        "en": "confined to the premises",
    },
    "trafficking": {"fr": "traite", "ar": "الاتجار بالبشر", "en": "trafficking"},
    "forced_labour": {"fr": "travail forcé", "ar": "العمل القسري", "en": "forced labour"},
    "debt_bondage": {"fr": "servitude pour dettes", "ar": "عبودية الدين", "en": "debt bondage"},
    "sexual_exploitation": {
        "fr": "exploitation sexuelle",
        "ar": "الاستغلال الجنسي",
        "en": "sexual exploitation",
    },
    "illicit_activities": {
        "fr": "activités illicites",
        "ar": "أنشطة غير مشروعة",
        "en": "illicit activities",
    },
    "armed_recruitment": {
        "fr": "recrutement armé",
        "ar": "التجنيد المسلح",
        "en": "armed recruitment",
    },
}

T = dict[str, str]
TEMPLATES: dict[str, T] = {
    "ma.worst_form": {
        "fr": "Cet enfant a {age} ans et se trouve dans une pire forme de travail des enfants ({worst}) ; elle est interdite avant {majority} ans (C182, art. 3 ; Code pénal).",
        "ar": "يبلغ هذا الطفل {age} سنة ويوجد في شكل من أسوأ أشكال تشغيل الأطفال ({worst})؛ وهو محظور قبل سن {majority} سنة (الاتفاقية 182، المادة 3؛ القانون الجنائي).",
        "en": "This child is {age} and is in a worst form of child labour ({worst}); it is forbidden under {majority} (C182, art. 3; Penal Code).",
    },
    "ma.hazardous": {
        "fr": "Cet enfant a {age} ans et travaille dans des conditions dangereuses ({hazards}) ; ce travail est interdit avant {hazardous_age} ans (Code du travail, art. 179 à 181 ; décret 2-10-183).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل في ظروف خطيرة ({hazards})؛ وهذا الشغل محظور قبل سن {hazardous_age} سنة (مدونة الشغل، المواد 179 إلى 181؛ المرسوم 2.10.183).",
        "en": "This child is {age} and works in hazardous conditions ({hazards}); such work is forbidden under {hazardous_age} (Labour Code, arts. 179–181; Decree 2-10-183).",
    },
    "ma.below_minimum_age": {
        "fr": "Cet enfant a {age} ans ; l'âge minimum d'admission à l'emploi est {employment_age} ans (Code du travail, art. 143).",
        "ar": "يبلغ هذا الطفل {age} سنة؛ والحد الأدنى لسن التشغيل هو {employment_age} سنة (مدونة الشغل، المادة 143).",
        "en": "This child is {age}; the minimum age for admission to employment is {employment_age} (Labour Code, art. 143).",
    },
    "ma.domestic_below_age": {
        "fr": "Cet enfant a {age} ans et travaille comme domestique ; l'âge minimum du travail domestique est de {domestic_age} ans à cette date (loi 19-12).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل عاملا منزليا؛ والحد الأدنى لسن العمل المنزلي هو {domestic_age} سنة في هذا التاريخ (القانون 19.12).",
        "en": "This child is {age} and works as a domestic worker; the minimum age for domestic work is {domestic_age} on that date (Law 19-12).",
    },
    "ma.domestic_no_authorisation": {
        "fr": "Cet enfant de {age} ans travaille comme domestique sans l'autorisation écrite et légalisée de son tuteur, exigée avant {majority} ans pendant la période transitoire (loi 19-12).",
        "ar": "يشتغل هذا الطفل البالغ {age} سنة عاملا منزليا دون إذن كتابي مصادق عليه من وليه، وهو إذن واجب قبل سن {majority} سنة خلال الفترة الانتقالية (القانون 19.12).",
        "en": "This {age}-year-old works as a domestic worker without the written, legalised authorisation of the guardian, required under {majority} during the transition (Law 19-12).",
    },
    "ma.domestic_hours": {
        "fr": "Cet enfant de {age} ans travaille comme domestique {hours} heures par semaine ; la limite est de {domestic_cap} heures avant {majority} ans (loi 19-12).",
        "ar": "يشتغل هذا الطفل البالغ {age} سنة عاملا منزليا {hours} ساعة في الأسبوع؛ والحد الأقصى هو {domestic_cap} ساعة قبل سن {majority} سنة (القانون 19.12).",
        "en": "This {age}-year-old works as a domestic worker {hours} hours a week; the limit is {domestic_cap} hours under {majority} (Law 19-12).",
    },
    "ma.night_work": {
        "fr": "Cet enfant a {age} ans et travaille la nuit ({night}) ; le travail de nuit est interdit avant {night_age} ans (Code du travail, art. 172).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل ليلا ({night})؛ والشغل الليلي محظور قبل سن {night_age} سنة (مدونة الشغل، المادة 172).",
        "en": "This child is {age} and works at night ({night}); night work is forbidden under {night_age} (Labour Code, art. 172).",
    },
    "ma.permitted": {
        "fr": "Cet enfant a {age} ans et travaille ; aucune règle sur le travail des enfants n'est enfreinte (Code du travail, art. 143).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل؛ ولا تُخرق أي قاعدة من قواعد تشغيل الأطفال (مدونة الشغل، المادة 143).",
        "en": "This child is {age} and works; no rule on child labour is broken (Labour Code, art. 143).",
    },
    "ma.adult": {
        "fr": "Cette personne a {age} ans : elle est majeure, hors du champ du droit du travail des enfants.",
        "ar": "يبلغ هذا الشخص {age} سنة: فهو راشد وخارج نطاق قانون تشغيل الأطفال.",
        "en": "This person is {age}: an adult, outside the scope of child-labour law.",
    },
    "ilo.worst_form": {
        "fr": "Cet enfant a {age} ans et se trouve dans une pire forme de travail des enfants ({worst}) (C182, art. 3).",
        "ar": "يبلغ هذا الطفل {age} سنة ويوجد في شكل من أسوأ أشكال تشغيل الأطفال ({worst}) (الاتفاقية 182، المادة 3).",
        "en": "This child is {age} and is in a worst form of child labour ({worst}) (C182, art. 3).",
    },
    "ilo.hazardous": {
        "fr": "Cet enfant a {age} ans et son travail est dangereux ({ilo_hazards}) ; il est interdit avant {hazardous_age} ans (C138, art. 3 ; R190, §3).",
        "ar": "يبلغ هذا الطفل {age} سنة وشغله خطير ({ilo_hazards})؛ وهو محظور قبل سن {hazardous_age} سنة (الاتفاقية 138، المادة 3؛ التوصية 190، الفقرة 3).",
        "en": "This child is {age} and the work is hazardous ({ilo_hazards}); it is forbidden under {hazardous_age} (C138, art. 3; R190, §3).",
    },
    "ilo.below_light_work_age": {
        "fr": "Cet enfant a {age} ans ; même les travaux légers ne sont admis qu'à partir de {light_age} ans (C138, art. 7).",
        "ar": "يبلغ هذا الطفل {age} سنة؛ ولا تُقبل حتى الأشغال الخفيفة إلا ابتداء من سن {light_age} سنة (الاتفاقية 138، المادة 7).",
        "en": "This child is {age}; even light work is allowed only from {light_age} (C138, art. 7).",
    },
    "ilo.beyond_light_work": {
        "fr": "Cet enfant a {age} ans et travaille {hours} heures par semaine ; de {light_age} à {minimum_age} ans, seuls des travaux légers de moins de {light_hours} heures par semaine sont admis (C138, art. 7).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل {hours} ساعة في الأسبوع؛ ومن {light_age} إلى {minimum_age} سنة لا تُقبل إلا أشغال خفيفة تقل عن {light_hours} ساعة في الأسبوع (الاتفاقية 138، المادة 7).",
        "en": "This child is {age} and works {hours} hours a week; from {light_age} to {minimum_age}, only light work of under {light_hours} hours a week is allowed (C138, art. 7).",
    },
    "ilo.apprenticeship": {
        "fr": "Cet enfant a {age} ans et travaille dans un apprentissage reconnu, admis dès {apprenticeship_age} ans (C138, art. 6).",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل في إطار تمرس مهني معترف به، مقبول ابتداء من سن {apprenticeship_age} سنة (الاتفاقية 138، المادة 6).",
        "en": "This child is {age} and works in a recognised apprenticeship, allowed from {apprenticeship_age} (C138, art. 6).",
    },
    "ilo.permitted": {
        "fr": "Cet enfant a {age} ans ; son travail respecte les âges minimums (C138, art. 2 et 7).",
        "ar": "يبلغ هذا الطفل {age} سنة؛ وشغله يحترم الحد الأدنى للسن (الاتفاقية 138، المادتان 2 و7).",
        "en": "This child is {age}; the work respects the minimum ages (C138, arts. 2 and 7).",
    },
    "ilo.adult": {
        "fr": "Cette personne a {age} ans : elle est adulte, hors du champ des conventions sur le travail des enfants.",
        "ar": "يبلغ هذا الشخص {age} سنة: فهو راشد وخارج نطاق اتفاقيات تشغيل الأطفال.",
        "en": "This person is {age}: an adult, outside the scope of the child-labour conventions.",
    },
    "sdg.economic_activity": {
        "fr": "Cet enfant a {age} ans et a eu {hours} heures d'activité économique dans la semaine, au moins le seuil de {economic_threshold} heures de son groupe d'âge (ODD 8.7.1).",
        "ar": "يبلغ هذا الطفل {age} سنة وزاول نشاطا اقتصاديا لمدة {hours} ساعة في الأسبوع، أي ما لا يقل عن عتبة {economic_threshold} ساعة لفئته العمرية (مؤشر التنمية المستدامة 8.7.1).",
        "en": "This child is {age} and did {hours} hours of economic activity in the week, at least the threshold of {economic_threshold} hours for the age group (SDG 8.7.1).",
    },
    "sdg.household_chores": {
        "fr": "Cet enfant a {age} ans et a fait {chores} heures de tâches ménagères dans la semaine, au moins le seuil de {chores_threshold} heures de son groupe d'âge (ODD 8.7.1).",
        "ar": "يبلغ هذا الطفل {age} سنة وقام بأشغال منزلية لمدة {chores} ساعة في الأسبوع، أي ما لا يقل عن عتبة {chores_threshold} ساعة لفئته العمرية (مؤشر التنمية المستدامة 8.7.1).",
        "en": "This child is {age} and did {chores} hours of household chores in the week, at least the threshold of {chores_threshold} hours for the age group (SDG 8.7.1).",
    },
    "sdg.hazardous_conditions": {
        "fr": "Cet enfant a {age} ans et travaille dans des conditions dangereuses ({hazards}), ce qui suffit dans la définition MICS5.",
        "ar": "يبلغ هذا الطفل {age} سنة ويشتغل في ظروف خطيرة ({hazards})، وهذا يكفي حسب تعريف MICS5.",
        "en": "This child is {age} and works in hazardous conditions ({hazards}), which is enough in the MICS5 definition.",
    },
    "sdg.below_thresholds": {
        "fr": "Cet enfant a {age} ans ; ni ses heures d'activité économique ({hours}) ni ses tâches ménagères ({chores}) n'atteignent les seuils de son groupe d'âge ({economic_threshold} et {chores_threshold} heures).",
        "ar": "يبلغ هذا الطفل {age} سنة؛ ولا تبلغ ساعات نشاطه الاقتصادي ({hours}) ولا أشغاله المنزلية ({chores}) عتبات فئته العمرية ({economic_threshold} و{chores_threshold} ساعة).",
        "en": "This child is {age}; neither the hours of economic activity ({hours}) nor the household chores ({chores}) reach the age group's thresholds ({economic_threshold} and {chores_threshold} hours).",
    },
    "sdg.out_of_scope": {
        "fr": "Cette personne a {age} ans ; l'indicateur ne couvre que les enfants de {sdg_min} à {sdg_max} ans.",
        "ar": "يبلغ هذا الشخص {age} سنة؛ ولا يشمل المؤشر إلا الأطفال من {sdg_min} إلى {sdg_max} سنة.",
        "en": "This person is {age}; the indicator covers only children aged {sdg_min} to {sdg_max}.",
    },
    "not_working": {
        "fr": "Cet enfant a {age} ans et ne travaille pas (aucune heure d'activité économique).",
        "ar": "يبلغ هذا الطفل {age} سنة ولا يشتغل (لا ساعات نشاط اقتصادي).",
        "en": "This child is {age} and does not work (no hours of economic activity).",
    },
    "unknown_age": {
        "fr": "L'âge est inconnu : indiquez la date de naissance ou l'âge.",
        "ar": "السن غير معروف: يرجى إدخال تاريخ الازدياد أو السن.",
        "en": "The age is unknown: give the birth date or the age.",
    },
    "unknown_working": {
        "fr": "Cet enfant a {age} ans, mais on ne sait pas s'il travaille : indiquez ses heures d'activité économique ou son secteur.",
        "ar": "يبلغ هذا الطفل {age} سنة، لكن لا يُعرف هل يشتغل: يرجى إدخال ساعات نشاطه الاقتصادي أو قطاع عمله.",
        "en": "This child is {age}, but it is not known whether the child works: give the hours of economic activity or the sector.",
    },
    "unknown_hours": {
        "fr": "Cet enfant a {age} ans, l'âge des travaux légers : ses heures de travail hebdomadaires sont nécessaires pour décider (C138, art. 7).",
        "ar": "يبلغ هذا الطفل {age} سنة، وهو سن الأشغال الخفيفة: يلزم عدد ساعات شغله الأسبوعية للبت (الاتفاقية 138، المادة 7).",
        "en": "This child is {age}, of light-work age: the weekly hours of work are needed to decide (C138, art. 7).",
    },
}

WORDS: dict[str, T] = {
    "night_flag": {
        "fr": "signalé par l'observateur",
        "ar": "حسب الملاحظ",
        "en": "as reported by the observer",
    },
    "night_times": {
        "fr": "de {start} à {end}, la nuit allant de {night_start} à {night_end}",
        "ar": "من {start} إلى {end}، والليل من {night_start} إلى {night_end}",
        "en": "from {start} to {end}, night being {night_start} to {night_end}",
    },
    "long_hours": {
        "fr": "{hours} heures par semaine, au moins {long_hours}",
        "ar": "{hours} ساعة في الأسبوع، أي ما لا يقل عن {long_hours}",
        "en": "{hours} hours a week, at least {long_hours}",
    },
    "night": {"fr": "travail de nuit", "ar": "شغل ليلي", "en": "night work"},
    "no_threshold": {"fr": "aucun", "ar": "لا عتبة", "en": "none"},
    "unknown": {"fr": "inconnu", "ar": "غير معروف", "en": "unknown"},
}


def _number(value: float, language: str) -> str:
    if math.isnan(value):
        return WORDS["unknown"][language]
    if math.isinf(value):
        return WORDS["no_threshold"][language]
    text = f"{value:g}"
    return text.replace(".", ",") if language in ("fr", "ar") else text


def _overlaps(start: int, end: int, night_start: str, night_end: str) -> bool:
    return bool(overlaps_night(np.array([start]), np.array([end]), night_start, night_end)[0])


def _time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _labels(mask: int, codes: tuple[str, ...], language: str) -> str:
    separator = "، " if language == "ar" else ", "
    return separator.join(
        CODE_LABELS[code][language] for i, code in enumerate(codes) if mask >> i & 1
    )


def facts(
    inputs: dict[str, Any], age: int, parameters: Any, ruleset_root: str, language: str
) -> dict[str, str]:
    """Every value a template may quote, formatted for ``language``."""
    hours = float(inputs["economic_hours_week"])
    values: dict[str, Any] = {
        "age": age,
        "hours": _number(hours, language),
        "chores": _number(float(inputs["chores_hours_week"]), language),
        "hazards": _labels(int(inputs["hazards"]), HAZARDS, language),
        "worst": _labels(int(inputs["worst_forms"]), WORST_FORMS, language),
    }
    start, end = int(inputs["usual_start"]), int(inputs["usual_end"])
    if ruleset_root == "ma":
        p = parameters.ma
        agriculture = int(inputs["sector"]) == SECTOR_CODE["agriculture"]
        night = p.night_period.agriculture if agriculture else p.night_period.other
        values.update(
            majority=p.minimum_age.majority,
            hazardous_age=p.minimum_age.hazardous_work,
            employment_age=p.minimum_age.employment,
            night_age=p.minimum_age.night_work,
        )
        if p.domestic_work.in_force:
            values.update(
                domestic_age=p.domestic_work.minimum_age,
                domestic_cap=p.domestic_work.weekly_hours_cap_minors,
            )
        night_start, night_end = night.start, night.end
    elif ruleset_root == "ilo":
        p = parameters.ilo
        minimum = p.minimum_age.general
        values.update(
            hazardous_age=p.minimum_age.hazardous_work,
            minimum_age=minimum,
            light_age=minimum - p.light_work.years_below_minimum_age,
            light_hours=p.light_work.max_hours_week,
            apprenticeship_age=p.minimum_age.apprenticeship,
        )
        night_start, night_end = p.hazardous.night_start, p.hazardous.night_end
        reasons = [values["hazards"]] if values["hazards"] else []
        if hours >= p.hazardous.long_hours_week:
            reasons.append(
                WORDS["long_hours"][language].format(
                    hours=values["hours"], long_hours=p.hazardous.long_hours_week
                )
            )
        values["ilo_hazards"] = "; ".join(reasons)
    else:
        p = parameters.sdg
        group = 0 if age < p.age.second_group_from else 1 if age < p.age.third_group_from else 2
        key = ("ages_05_11", "ages_12_14", "ages_15_17")[group]
        values.update(
            sdg_min=p.age.minimum,
            sdg_max=p.age.maximum,
            economic_threshold=_number(float(p.economic_activity[key]), language),
            chores_threshold=_number(float(p.household_chores[key]), language),
        )
        night_start = night_end = ""
    if night_start:
        if start >= 0 and end >= 0 and start != end:
            values["night"] = WORDS["night_times"][language].format(
                start=_time(start), end=_time(end), night_start=night_start, night_end=night_end
            )
        else:
            values["night"] = WORDS["night_flag"][language]
        if ruleset_root == "ilo" and (
            bool(inputs["night_work"]) or _overlaps(start, end, night_start, night_end)
        ):
            values["ilo_hazards"] = "; ".join(
                filter(
                    None, [values["ilo_hazards"], f"{WORDS['night'][language]} ({values['night']})"]
                )
            )
    return {key: str(value) for key, value in values.items()}


def sentences(keys: list[str], values: dict[str, str], language: str) -> list[str]:
    return [TEMPLATES[key][language].format_map(_Missing(values)) for key in keys]


class _Missing(dict):  # type: ignore[type-arg]
    """Leaves an unknown placeholder visible rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
