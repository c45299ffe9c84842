"""The vocabulary of an observation: codes, verdicts and their order of seriousness.

Everything here comes from ``child-labour-rules.md``; nothing depends on a ruleset.
"""

from __future__ import annotations

from enum import IntEnum

SECTORS: tuple[str, ...] = (
    "agriculture",
    "fishing",
    "mining_quarrying",
    "manufacturing",
    "construction",
    "trade",
    "hospitality",
    "transport",
    "domestic_work",
    "street_work",
    "other",
)
#: Sector codes as stored in arrays: 0 means "not given".
SECTOR_CODE: dict[str, int] = {name: i + 1 for i, name in enumerate(SECTORS)}

#: Hazard codes, grouped by ILO Recommendation R190 §3.
HAZARDS: tuple[str, ...] = (
    "abuse",
    "underground",
    "underwater",
    "heights",
    "confined_space",
    "dangerous_machinery",
    "sharp_tools",
    "heavy_loads",
    "pesticides_chemicals",
    "dust_fumes",
    "extreme_temperature",
    "noise_vibration",
    "fire_gas_explosives",
    "radiation",
    "long_hours",
    "confined_to_premises",
)
WORST_FORMS: tuple[str, ...] = (
    "trafficking",
    "forced_labour",
    "debt_bondage",
    "sexual_exploitation",
    "illicit_activities",
    "armed_recruitment",
)
#: A list of codes is stored as a bit mask: bit i is set when code i is present.
HAZARD_BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(HAZARDS)}
WORST_FORM_BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(WORST_FORMS)}


class Verdict(IntEnum):
    """Verdict codes as stored in arrays. ``rank`` orders them by seriousness."""

    INSUFFICIENT_INFORMATION = 0
    NOT_WORKING = 1
    PERMITTED_WORK = 2
    CHILD_LABOUR = 3
    HAZARDOUS = 4
    WORST_FORM = 5
    NOT_CHILD_LABOUR = 6
    OUT_OF_SCOPE = 7

    @property
    def slug(self) -> str:
        return self.name.lower()

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Verdict.INSUFFICIENT_INFORMATION: 0,
    Verdict.NOT_WORKING: 1,
    Verdict.NOT_CHILD_LABOUR: 1,
    Verdict.OUT_OF_SCOPE: 1,
    Verdict.PERMITTED_WORK: 2,
    Verdict.CHILD_LABOUR: 3,
    Verdict.HAZARDOUS: 4,
    Verdict.WORST_FORM: 5,
}

#: Tri-state of "is the child working?", as stored in arrays.
WORKING_UNKNOWN, NOT_WORKING, WORKING = -1, 0, 1
