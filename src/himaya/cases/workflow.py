"""The case's state machine and the closure rule, without Django.

States follow the child's path: identified → assessed → referred →
in remediation → monitoring → closed. Each transition names the roles that may
make it; services check it before changing anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

IDENTIFIED = "identified"
ASSESSED = "assessed"
REFERRED = "referred"
IN_REMEDIATION = "in_remediation"
MONITORING = "monitoring"
CLOSED = "closed"
STATES = (IDENTIFIED, ASSESSED, REFERRED, IN_REMEDIATION, MONITORING, CLOSED)
OPEN_STATES = STATES[:-1]

INSPECTOR, SOCIAL_WORKER, SUPERVISOR, PROVIDER = (
    "inspector",
    "social_worker",
    "supervisor",
    "provider",
)
CASEWORKERS = frozenset({INSPECTOR, SOCIAL_WORKER, SUPERVISOR})

#: (from, to) → the roles that may make the transition, and what it means.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    # A supervisor approves the assessment a caseworker recorded.
    (IDENTIFIED, ASSESSED): frozenset({SUPERVISOR}),
    # The first referral sent (consent recorded first).
    (ASSESSED, REFERRED): CASEWORKERS,
    # A provider accepts a referral.
    (REFERRED, IN_REMEDIATION): frozenset({PROVIDER}),
    # A provider records the service delivered, or a caseworker starts monitoring.
    (REFERRED, MONITORING): frozenset({PROVIDER}),
    (IN_REMEDIATION, MONITORING): frozenset({PROVIDER}) | CASEWORKERS,
    # A supervisor approves a closure a caseworker requested.
    **{(state, CLOSED): frozenset({SUPERVISOR}) for state in OPEN_STATES},
}

#: Verdicts of the classification engine that mean "in child labour".
CHILD_LABOUR_VERDICTS = frozenset({"child_labour", "hazardous", "worst_form"})

# Closure reasons.
OUT_OF_CHILD_LABOUR = "out_of_child_labour"
TURNED_18 = "turned_18"
MOVED = "moved"
LOST_TO_FOLLOW_UP = "lost_to_follow_up"
#: Not requested by a caseworker: a case closed when its child is merged into another
#: record of the same child whose case goes on (himaya.linkage.services).
MERGED = "merged"
CLOSURE_REASONS = (OUT_OF_CHILD_LABOUR, TURNED_18, MOVED, LOST_TO_FOLLOW_UP)


class TransitionRefused(Exception):
    """The transition does not exist, or the role may not make it."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def check_transition(source: str, target: str, role: str) -> None:
    roles = TRANSITIONS.get((source, target))
    if roles is None:
        raise TransitionRefused("transition_not_allowed")
    if role not in roles:
        raise TransitionRefused("role_not_allowed")


def allowed_targets(source: str, role: str) -> list[str]:
    return [t for (s, t), roles in TRANSITIONS.items() if s == source and role in roles]


@dataclass(frozen=True)
class Visit:
    """What a follow-up found."""

    on: date
    verdict: str
    in_school_or_training: bool

    @property
    def good(self) -> bool:
        return (
            self.verdict not in CHILD_LABOUR_VERDICTS
            and self.verdict != ("insufficient_information")
            and self.in_school_or_training
        )


def out_of_child_labour_reached(
    visits: Sequence[Visit], *, required: int = 2, min_days: int = 30
) -> bool:
    """True when the last ``required`` follow-ups, each at least ``min_days``
    after the one before, all found the child out of child labour and in school
    or training. Visits are taken in date order; a bad visit breaks the run.
    """
    if required < 1:
        return True
    ordered = sorted(visits, key=lambda v: v.on)
    last = ordered[-required:]
    if len(last) < required or not all(v.good for v in last):
        return False
    return all((b.on - a.on).days >= min_days for a, b in zip(last, last[1:], strict=False))


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
