"""Visits: planned, recorded with their checklist, and the children found in them.

A child found in a visit is recorded through the platform's own
``cases.services.identification_record``: the same classification by the
engine, the same case opened in the same workflow. The breaches the verdict
establishes become violations (``enforcement.violations_found``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases import services as case_services
from himaya.cases.models import Case, CaseEvent, Child, RiskLevel
from himaya.cases.services import (
    FUTURE_DATE,
    REQUIRED,
    UNKNOWN_CODE,
    ChildIn,
    HouseholdIn,
    ObservationIn,
    identification_record,
    today,
)
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection.models import (
    CHECKLIST,
    ChecklistAnswer,
    FoundChild,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.selectors import establishment_visible_to, visit_get_for_user
from himaya.inspection.services.enforcement import violations_found
from himaya.inspection.services.establishments import NUL_CHARACTER, require_inspection_staff
from himaya_rules.sanctions import skips_advice

ESTABLISHMENT_UNKNOWN = _("Choose an establishment of your register.")
INSPECTOR_REQUIRED = _("Name at least one inspector.")
INSPECTOR_UNKNOWN = _("Choose inspectors of your office.")
INSPECTOR_OUT_OF_TERRITORY = _("%(name)s does not work in the territory of this establishment.")
PARTNERS_REQUIRED = _("A joint visit names its partners.")
PARTNERS_TOO_LONG = _("At most 300 characters.")
VISIT_CANCELLED = _("This visit was cancelled.")
VISIT_NOT_PLANNED = _("Only a planned visit can be cancelled.")
VISIT_HAS_CHILDREN = _(
    "Children were recorded on this date: the date of the visit can no longer change."
)
VISIT_NOT_RECORDED = _("Record the visit (its date and checklist) before the children found.")
CHECK_REQUIRED = _("Answer this question.")
CHECK_UNKNOWN = _("Unknown answer.")
#: The note of the urgent referral of a child removed from work (in the inspector's language).
REMOVAL_NOTE = _("Removed from work at once by the labour inspection (%(name)s, visit of %(day)s).")


def office_inspectors(office_id: int) -> QuerySet[User]:
    """The labour inspectors of an office, who may be sent on its visits."""
    return User.objects.filter(
        organisation_id=office_id, role=Role.INSPECTOR, is_active=True
    ).order_by("last_name", "first_name", "username")


def _require_office(actor: User, visit: Visit) -> None:
    """Callers fetch visits through the scoped selectors; refuse another
    office's visit all the same (defence in depth)."""
    if visit.office_id != require_inspection_staff(actor):
        raise NotFound()


def _clean_text(value: str, name: str, errors: dict[str, list[Any]]) -> str:
    value = value.strip()
    if "\x00" in value:
        errors.setdefault(name, []).append(NUL_CHARACTER)
    return value


# --- Planning ---------------------------------------------------------------------


@dataclass
class VisitIn:
    establishment_id: int | None
    kind: str
    scheduled_on: date | None
    inspector_ids: list[int] = field(default_factory=list)
    partners: str = ""


@transaction.atomic
def visit_plan(*, actor: User, data: VisitIn) -> Visit:
    """Put a visit of an establishment of the register in the office's diary."""
    office_id = require_inspection_staff(actor)
    errors: dict[str, list[Any]] = {}
    establishment = None
    if data.establishment_id is None:
        errors["establishment"] = [REQUIRED]
    else:
        establishment = (
            establishment_visible_to(actor)
            .select_related("commune")
            .filter(pk=data.establishment_id)
            .first()
        )
        if establishment is None:
            errors["establishment"] = [ESTABLISHMENT_UNKNOWN]
    if not data.kind:
        errors["kind"] = [REQUIRED]
    elif data.kind not in VisitKind.values:
        errors["kind"] = [UNKNOWN_CODE % {"value": data.kind}]
    if data.scheduled_on is None:
        errors["scheduled_on"] = [REQUIRED]
    wanted = set(data.inspector_ids)
    inspectors = list(office_inspectors(office_id).filter(pk__in=wanted))
    if not wanted:
        errors["inspectors"] = [INSPECTOR_REQUIRED]
    elif len(inspectors) != len(wanted):
        errors["inspectors"] = [INSPECTOR_UNKNOWN]
    elif establishment is not None:
        for inspector in inspectors:
            if not establishment.commune.lies_within(inspector.territory_code):
                name = inspector.get_full_name() or inspector.username
                errors.setdefault("inspectors", []).append(
                    INSPECTOR_OUT_OF_TERRITORY % {"name": name}
                )
    partners = _clean_text(data.partners, "partners", errors)
    if len(partners) > 300:
        errors.setdefault("partners", []).append(PARTNERS_TOO_LONG)
    if data.kind == VisitKind.JOINT and not partners:
        errors.setdefault("partners", []).append(PARTNERS_REQUIRED)
    if errors or establishment is None or data.scheduled_on is None:
        raise InvalidInput(errors)
    visit = Visit(
        office_id=office_id,
        establishment=establishment,
        kind=data.kind,
        scheduled_on=data.scheduled_on,
        partners=partners,
        created_by=actor,
    )
    visit.place_at(establishment.commune)
    visit.save()
    visit.inspectors.set(inspectors)
    audit_record(
        event=AuditEvent.VISIT_PLANNED,
        actor=actor,
        obj=visit,
        detail={"establishment": establishment.pk, "on": data.scheduled_on.isoformat()},
    )
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit) -> Visit:
    _require_office(actor, visit)
    if visit.status != VisitStatus.PLANNED:
        raise ApplicationError(VISIT_NOT_PLANNED, code="visit_not_planned")
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status", "updated_at"])
    audit_record(event=AuditEvent.VISIT_CANCELLED, actor=actor, obj=visit)
    return visit


# --- Recording ----------------------------------------------------------------------


@dataclass
class VisitRecordIn:
    visited_on: date | None
    checklist: dict[str, str] = field(default_factory=dict)
    notes: str = ""


def checklist_errors(answers: dict[str, str]) -> dict[str, list[Any]]:
    """Every question answered with yes, no or not applicable (keys ``check_<item>``)."""
    errors: dict[str, list[Any]] = {}
    for code, _label in CHECKLIST:
        answer = answers.get(code, "")
        if not answer:
            errors[f"check_{code}"] = [CHECK_REQUIRED]
        elif answer not in ChecklistAnswer.values:
            errors[f"check_{code}"] = [CHECK_UNKNOWN]
    return errors


@transaction.atomic
def visit_record(*, actor: User, visit: Visit, data: VisitRecordIn) -> Visit:
    """Record what the visit found: its date, the checklist, the findings.

    A visit already recorded may be corrected, but its date is fixed once
    children were recorded on it (their identifications carry that date)."""
    _require_office(actor, visit)
    if visit.status == VisitStatus.CANCELLED:
        raise ApplicationError(VISIT_CANCELLED, code="visit_cancelled")
    errors = checklist_errors(data.checklist)
    notes = _clean_text(data.notes, "notes", errors)
    if data.visited_on is None:
        errors["visited_on"] = [REQUIRED]
    elif data.visited_on > today():
        errors["visited_on"] = [FUTURE_DATE]
    elif (
        visit.visited_on is not None
        and data.visited_on != visit.visited_on
        and visit.found.exists()
    ):
        errors["visited_on"] = [VISIT_HAS_CHILDREN]
    if errors or data.visited_on is None:
        raise InvalidInput(errors)
    visit.visited_on = data.visited_on
    visit.checklist = {code: data.checklist[code] for code, _label in CHECKLIST}
    visit.notes = notes
    visit.status = VisitStatus.DONE
    visit.save(update_fields=["visited_on", "checklist", "notes", "status", "updated_at"])
    establishment = visit.establishment
    if establishment.last_visit_on is None or establishment.last_visit_on < data.visited_on:
        establishment.last_visit_on = data.visited_on
        establishment.save(update_fields=["last_visit_on", "updated_at"])
    audit_record(
        event=AuditEvent.VISIT_RECORDED,
        actor=actor,
        obj=visit,
        detail={"on": data.visited_on.isoformat(), "checklist": visit.checklist},
    )
    return visit


# --- Children found -------------------------------------------------------------------


@transaction.atomic
def visit_child_found(
    *,
    actor: User,
    visit: Visit,
    household: HouseholdIn | None = None,
    child: ChildIn | None = None,
    existing_child: Child | None = None,
    observation: ObservationIn,
) -> FoundChild:
    """Record a child found at work in the visit.

    The observation is dated on the visit and placed at the establishment; it is
    classified, and a case opened, by the platform's identification service.
    Each breach the verdict establishes is added to the visit's violations; a
    worst form or hazardous work removes the child at once (the case's
    timeline says so) and sends the breach straight to the violation report."""
    _require_office(actor, visit)
    if visit.status != VisitStatus.DONE or visit.visited_on is None:
        raise ApplicationError(VISIT_NOT_RECORDED, code="visit_not_recorded")
    establishment = visit.establishment
    observation.observed_on = visit.visited_on
    observation.commune = visit.commune_id
    observation.place = observation.place or establishment.name
    observation.sector = observation.sector or establishment.sector
    result = identification_record(
        actor=actor,
        household=household,
        child=child,
        existing_child=existing_child,
        observation=observation,
    )
    violations = violations_found(
        actor=actor,
        visit=visit,
        rules=result.classification.rules,
        citations=result.classification.citations,
        ruleset_version=result.observation.ruleset_version,
    )
    removed = any(skips_advice(v.breach, visit.visited_on) for v in violations)
    found = FoundChild.objects.create(
        visit=visit,
        observation=result.observation,
        child=result.child,
        case=result.case,
        verdict=result.classification.verdict,
        removed=removed,
    )
    if removed and result.case is not None:
        _record_removal(actor, result.case, visit)
    if result.observation.in_child_labour:
        establishment.children_found += 1
        establishment.save(update_fields=["children_found", "updated_at"])
    audit_record(
        event=AuditEvent.CHILD_FOUND,
        actor=actor,
        obj=visit,
        child_id=result.child.pk,
        detail={
            "verdict": found.verdict,
            "removed": removed,
            "breaches": [v.breach for v in violations],
        },
    )
    return found


def _record_removal(actor: User, case: Case, visit: Visit) -> None:
    """The child is removed from work at once: the case is marked high risk, its
    timeline records the removal, and the child is referred at once to the child
    protection unit (and, for a worst form, to the court) of its commune."""
    event = CaseEvent.objects.create(
        case=case, actor=actor, kind="removed", detail={"visit": visit.pk}
    )
    if case.risk_level != RiskLevel.HIGH:
        case.risk_level = RiskLevel.HIGH
        case.save(update_fields=["risk_level", "updated_at"])
    note = REMOVAL_NOTE % {"name": visit.establishment.name, "day": visit.day.isoformat()}
    if not case_services.referral_send_urgent(actor=actor, case=case, note=str(note)):
        event.detail["unreferred"] = True  # no provider in the directory: refer by hand
        event.save(update_fields=["detail"])


def visit_view(*, user: User, visit_id: int) -> Visit:
    """A visit read by a user in scope (it lists the children found): audited."""
    visit = visit_get_for_user(user=user, visit_id=visit_id)
    audit_record(event=AuditEvent.VISIT_VIEWED, actor=user, obj=visit)
    return visit
