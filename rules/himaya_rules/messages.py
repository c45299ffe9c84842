"""Words the engine says to people, in French (the default), Arabic and English."""

from __future__ import annotations

LANGUAGES = ("fr", "ar", "en")

#: Why a field is rejected. ``{detail}`` is the offending code or a date.
REASONS: dict[str, dict[str, str]] = {
    "required": {
        "fr": "valeur obligatoire manquante",
        "ar": "قيمة إلزامية مفقودة",
        "en": "a value is required",
    },
    "bad_date": {
        "fr": "date invalide (format attendu AAAA-MM-JJ)",
        "ar": "تاريخ غير صالح (الصيغة المطلوبة YYYY-MM-DD)",
        "en": "not a valid date (expected YYYY-MM-DD)",
    },
    "birth_after_observation": {
        "fr": "la date de naissance est postérieure à la date d'observation",
        "ar": "تاريخ الازدياد لاحق لتاريخ الملاحظة",
        "en": "the birth date is after the observation date",
    },
    "before_ruleset": {
        "fr": "date antérieure à l'entrée en vigueur des règles ({detail})",
        "ar": "تاريخ سابق لدخول القواعد حيز التنفيذ ({detail})",
        "en": "before the rules came into force ({detail})",
    },
    "bad_integer": {
        "fr": "l'âge doit être un nombre entier d'années",
        "ar": "يجب أن يكون السن عددا صحيحا من السنوات",
        "en": "the age must be a whole number of years",
    },
    "age_out_of_range": {
        "fr": "âge impossible (de 0 à 120 ans)",
        "ar": "سن غير ممكن (من 0 إلى 120 سنة)",
        "en": "impossible age (0 to 120 years)",
    },
    "bad_number": {
        "fr": "nombre d'heures invalide",
        "ar": "عدد ساعات غير صالح",
        "en": "not a valid number of hours",
    },
    "hours_negative": {
        "fr": "nombre d'heures négatif",
        "ar": "عدد ساعات سالب",
        "en": "negative number of hours",
    },
    "hours_over_week": {
        "fr": "plus de 168 heures par semaine",
        "ar": "أكثر من 168 ساعة في الأسبوع",
        "en": "more than 168 hours in a week",
    },
    "bad_sex": {
        "fr": "sexe invalide (F ou M)",
        "ar": "جنس غير صالح (F أو M)",
        "en": "not a valid sex (F or M)",
    },
    "bad_boolean": {
        "fr": "valeur invalide (true/false, yes/no ou 1/0)",
        "ar": "قيمة غير صالحة (true/false أو yes/no أو 1/0)",
        "en": "not a valid yes/no value (true/false, yes/no or 1/0)",
    },
    "unknown_code": {
        "fr": "code inconnu « {detail} »",
        "ar": "رمز غير معروف «{detail}»",
        "en": "unknown code '{detail}'",
    },
    "bad_time": {
        "fr": "heure invalide (format attendu HH:MM, de 00:00 à 23:59)",
        "ar": "توقيت غير صالح (الصيغة المطلوبة HH:MM، من 00:00 إلى 23:59)",
        "en": "not a valid time (expected HH:MM, 00:00 to 23:59)",
    },
}

VERDICT_LABELS: dict[str, dict[str, str]] = {
    "insufficient_information": {
        "fr": "Informations insuffisantes",
        "ar": "معلومات غير كافية",
        "en": "Insufficient information",
    },
    "not_working": {"fr": "Ne travaille pas", "ar": "لا يشتغل", "en": "Not working"},
    "permitted_work": {"fr": "Travail autorisé", "ar": "شغل مسموح به", "en": "Permitted work"},
    "child_labour": {"fr": "Travail des enfants", "ar": "تشغيل الأطفال", "en": "Child labour"},
    "hazardous": {"fr": "Travail dangereux", "ar": "شغل خطير", "en": "Hazardous work"},
    "worst_form": {
        "fr": "Pire forme de travail des enfants",
        "ar": "شكل من أسوأ أشكال تشغيل الأطفال",
        "en": "Worst form of child labour",
    },
    "not_child_labour": {
        "fr": "Pas de travail des enfants",
        "ar": "ليس تشغيلا للأطفال",
        "en": "Not child labour",
    },
    "out_of_scope": {
        "fr": "Hors du champ (5 à 17 ans)",
        "ar": "خارج النطاق (من 5 إلى 17 سنة)",
        "en": "Out of scope (ages 5 to 17)",
    },
}


def reason_text(code: str, detail: str = "", language: str = "fr") -> str:
    return REASONS[code][language].format(detail=detail)
