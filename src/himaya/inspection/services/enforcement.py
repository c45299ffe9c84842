"""Graduated enforcement: violations, formal notices, follow-ups, violation reports.

"Prevention before repression" (Code du travail arts. 532, 539): a breach is
first met with advice; then a formal notice with a deadline; the follow-up
visit finds it corrected (closed) or persisting (violation report for the
court). The worst forms and hazardous work skip advice: the breach goes
straight to the report. Fines, repeat offences and the escalation rule come
from ``himaya_rules.sanctions`` (dated parameters, each with its article), so
every figure stored here can be traced to its text.

Formal notices and violation reports are numbered per office, kind and year
(``MD-2026-007-00012``, ``PV-…``) and their content is frozen when issued
(``EnforcementDocument.snapshot``); ``documents`` draws the PDF from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.services import today
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection.documents import DocumentSnapshot, ViolationLine, render_pdf
from himaya.inspection.models import (
    BREACH_CHOICES,
    EnforcementDocument,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services.establishments import require_inspection_staff
from himaya_rules.sanctions import (
    BREACH_OF_RULE,
    breaches_of,
    fine_for,
    is_repeat,
    skips_advice,
)

NOTHING_TO_NOTIFY = _("Choose at least one breach still at the advice stage.")
NOT_AT_ADVICE = _("Only a breach at the advice stage can be given a formal notice.")
DEADLINE_TOO_EARLY = _("The deadline must fall after the date of the visit.")
NOTHING_TO_REPORT = _("No breach of this establishment awaits a violation report.")
NOTHING_TO_CONCLUDE = _("No breach of this establishment awaits this follow-up visit.")
VISIT_NOT_DONE = _("Record the visit (its date and checklist) first.")
NOT_OF_THIS_ESTABLISHMENT = _("These breaches are not of this establishment.")
UNKNOWN_LANGUAGE = _("Documents are issued in French or in Arabic.")

#: Document number prefixes: mise en demeure, procès-verbal.
PREFIX: dict[str, str] = {
    EnforcementDocument.Kind.FORMAL_NOTICE: "MD",
    EnforcementDocument.Kind.VIOLATION_REPORT: "PV",
}
_RULE_OF_BREACH = {breach: rule for rule, breach in BREACH_OF_RULE.items()}
OPEN_STAGES = (Stage.ADVICE, Stage.FORMAL_NOTICE, Stage.VIOLATION_REPORT)


def _require_office(actor: User, visit: Visit) -> int:
    office_id = require_inspection_staff(actor)
    if visit.office_id != office_id:
        raise NotFound()
    return office_id


def _require_done(visit: Visit) -> date:
    if visit.status != VisitStatus.DONE or visit.visited_on is None:
        raise ApplicationError(VISIT_NOT_DONE, code="visit_not_recorded")
    return visit.visited_on


# --- Violations found -------------------------------------------------------------


def price(violation: Violation) -> None:
    """Set the violation's fine from the sanctions table on the day it was found."""
    fine = fine_for(
        violation.breach, max(violation.children, 1), violation.found_on, violation.repeat
    )
    violation.fine_minimum = fine.minimum if fine.fined else None
    violation.fine_maximum = fine.maximum if fine.fined else None
    violation.fine_reference = fine.reference
    violation.fine_explanation = list(fine.explanation)


def _previous(violation: Violation) -> Violation | None:
    """The same breach by the same establishment within the repeat period before
    this one, if any (the latest)."""
    earlier = list(
        Violation.objects.filter(
            establishment_id=violation.establishment_id,
            breach=violation.breach,
            found_on__lt=violation.found_on,
        ).order_by("-found_on", "-id")[:20]
    )
    for candidate in earlier:
        if is_repeat(
            violation.breach, violation.found_on, [(candidate.breach, candidate.found_on)]
        ):
            return candidate
    return None


def violations_found(
    *,
    actor: User,
    visit: Visit,
    rules: Sequence[str],
    citations: Sequence[str],
    ruleset_version: str,
) -> list[Violation]:
    """Add one child to the visit's violation for every breach the fired rules
    establish (creating it the first time), each tied to the article the
    ruleset cites on the visit's date."""
    on = _require_done(visit)
    found: list[Violation] = []
    article_of = dict(zip(rules, citations, strict=False))
    for breach in breaches_of(rules):
        violation = Violation.objects.select_for_update().filter(visit=visit, breach=breach).first()
        created = violation is None
        if violation is None:
            skip = skips_advice(breach, on)
            violation = Violation(
                office_id=visit.office_id,
                establishment_id=visit.establishment_id,
                visit=visit,
                breach=breach,
                rule=_RULE_OF_BREACH[breach],
                article=article_of.get(_RULE_OF_BREACH[breach], "")[:300],
                ruleset_version=ruleset_version,
                found_on=on,
                stage=Stage.VIOLATION_REPORT if skip else Stage.ADVICE,
            )
            violation.place_at(visit.commune)
            violation.previous = _previous(violation)
            violation.repeat = violation.previous is not None
        violation.children += 1
        price(violation)
        violation.save()
        if created and violation.repeat:
            establishment = visit.establishment
            establishment.repeat_offences += 1
            establishment.save(update_fields=["repeat_offences", "updated_at"])
        audit_record(
            event=AuditEvent.VIOLATION_RECORDED,
            actor=actor,
            obj=violation,
            detail={
                "breach": breach,
                "children": violation.children,
                "stage": violation.stage,
                "repeat": violation.repeat,
            },
        )
        found.append(violation)
    return found


# --- Documents ------------------------------------------------------------------------


def _snapshot(
    visit: Visit, violations: Iterable[Violation], deadline: date | None
) -> dict[str, Any]:
    establishment = visit.establishment
    commune = visit.commune
    lines = [
        {
            "breach": v.breach,
            "article": v.article,
            "children": v.children,
            "repeat": v.repeat,
            "found_on": v.found_on.isoformat(),
            "fine_minimum": v.fine_minimum,
            "fine_maximum": v.fine_maximum,
            "fine_reference": v.fine_reference,
        }
        for v in violations
    ]
    fined = [line for line in lines if line["fine_minimum"] is not None]
    return {
        "office_fr": visit.office.name,
        "office_ar": visit.office.name_ar or visit.office.name,
        "inspectors": [u.get_full_name() or u.username for u in visit.inspectors.all()],
        "establishment": establishment.name,
        "ice": establishment.ice,
        "address": establishment.address,
        "commune_fr": commune.name_fr,
        "commune_ar": commune.name_ar,
        "visit_on": (visit.visited_on or visit.scheduled_on).isoformat(),
        "deadline": deadline.isoformat() if deadline else None,
        "violations": lines,
        "total_minimum": sum(line["fine_minimum"] for line in fined) if fined else None,
        "total_maximum": sum(line["fine_maximum"] for line in fined) if fined else None,
    }


def _issue(
    *,
    actor: User,
    visit: Visit,
    kind: str,
    violations: list[Violation],
    deadline: date | None,
) -> EnforcementDocument:
    """A numbered document: the next number of the office, kind and year (a
    number taken by someone else in the meantime is retried)."""
    issued_on = today()
    snapshot = _snapshot(visit, violations, deadline)
    for _attempt in range(5):
        last = EnforcementDocument.objects.filter(
            office_id=visit.office_id, kind=kind, year=issued_on.year
        ).aggregate(Max("sequence"))["sequence__max"]
        sequence = (last or 0) + 1
        number = f"{PREFIX[kind]}-{issued_on.year}-{visit.office_id:03d}-{sequence:05d}"
        try:
            with transaction.atomic():
                document = EnforcementDocument.objects.create(
                    office_id=visit.office_id,
                    visit=visit,
                    kind=kind,
                    year=issued_on.year,
                    sequence=sequence,
                    number=number,
                    issued_on=issued_on,
                    deadline=deadline,
                    snapshot=snapshot,
                    issued_by=actor,
                )
        except IntegrityError:
            continue
        audit_record(
            event=AuditEvent.DOCUMENT_ISSUED,
            actor=actor,
            obj=document,
            detail={"number": number, "kind": kind, "violations": [v.pk for v in violations]},
        )
        return document
    raise ApplicationError(_("Please try again."), code="busy", status=409)


def _escalate(actor: User, violation: Violation, stage: str, **detail: Any) -> None:
    old = violation.stage
    violation.stage = stage
    violation.save()
    event = (
        AuditEvent.VIOLATION_CORRECTED
        if stage == Stage.CORRECTED
        else AuditEvent.VIOLATION_ESCALATED
    )
    audit_record(
        event=event, actor=actor, obj=violation, detail={"from": old, "to": stage, **detail}
    )


@transaction.atomic
def notice_issue(
    *,
    actor: User,
    visit: Visit,
    violation_ids: Iterable[int],
    deadline: date | None = None,
) -> EnforcementDocument:
    """Serve a formal notice for breaches at the advice stage, with a deadline
    (by default ``HIMAYA_NOTICE_DAYS`` after the visit), and plan the follow-up
    visit on the deadline with the same inspectors."""
    _require_office(actor, visit)
    on = _require_done(visit)
    wanted = set(violation_ids)
    if not wanted:
        raise InvalidInput({"violations": [NOTHING_TO_NOTIFY]})
    violations = list(
        Violation.objects.select_for_update().filter(pk__in=wanted).order_by("found_on", "id")
    )
    errors: dict[str, list[Any]] = {}
    if len(violations) != len(wanted) or any(
        v.establishment_id != visit.establishment_id for v in violations
    ):
        errors["violations"] = [NOT_OF_THIS_ESTABLISHMENT]
    elif any(v.stage != Stage.ADVICE for v in violations):
        errors["violations"] = [NOT_AT_ADVICE]
    deadline = deadline or on + timedelta(days=settings.HIMAYA_NOTICE_DAYS)
    if deadline <= on:
        errors["deadline"] = [DEADLINE_TOO_EARLY]
    if errors:
        raise InvalidInput(errors)
    document = _issue(
        actor=actor,
        visit=visit,
        kind=EnforcementDocument.Kind.FORMAL_NOTICE,
        violations=violations,
        deadline=deadline,
    )
    follow_up = Visit(
        office_id=visit.office_id,
        establishment_id=visit.establishment_id,
        kind=VisitKind.FOLLOW_UP,
        scheduled_on=deadline,
        created_by=actor,
    )
    follow_up.place_at(visit.commune)
    follow_up.save()
    follow_up.inspectors.set(visit.inspectors.all())
    audit_record(
        event=AuditEvent.VISIT_PLANNED,
        actor=actor,
        obj=follow_up,
        detail={"establishment": visit.establishment_id, "on": deadline.isoformat()},
    )
    for violation in violations:
        violation.deadline = deadline
        violation.notice = document
        violation.follow_up = follow_up
        _escalate(actor, violation, Stage.FORMAL_NOTICE, notice=document.number)
    return document


def awaiting_follow_up(visit: Visit) -> list[Violation]:
    """The establishment's breaches this visit can conclude: under a formal
    notice, or still at the advice stage, found before the visit."""
    return list(
        Violation.objects.filter(
            establishment_id=visit.establishment_id,
            stage__in=(Stage.ADVICE, Stage.FORMAL_NOTICE),
            found_on__lt=visit.visited_on or visit.scheduled_on,
        ).order_by("found_on", "id")
    )


@transaction.atomic
def follow_up_conclude(
    *, actor: User, visit: Visit, corrected_ids: Iterable[int]
) -> list[Violation]:
    """What the follow-up visit found: each breach under a formal notice is
    either corrected (closed) or persisting (sent to the violation report).
    A breach still at the advice stage is closed when found corrected and
    otherwise stays at advice (a formal notice may follow)."""
    _require_office(actor, visit)
    on = _require_done(visit)
    pending = awaiting_follow_up(visit)
    if not pending:
        raise ApplicationError(NOTHING_TO_CONCLUDE, code="nothing_to_conclude")
    corrected = set(corrected_ids)
    if corrected - {v.pk for v in pending}:
        raise InvalidInput({"violations": [NOT_OF_THIS_ESTABLISHMENT]})
    for violation in pending:
        if violation.pk in corrected:
            violation.closed_on = on
            violation.follow_up = visit
            _escalate(actor, violation, Stage.CORRECTED, visit=visit.pk)
        elif violation.stage == Stage.FORMAL_NOTICE:
            violation.follow_up = visit
            _escalate(actor, violation, Stage.VIOLATION_REPORT, visit=visit.pk)
    return pending


def awaiting_report(visit: Visit) -> list[Violation]:
    """The establishment's breaches sent to the report and not yet in one."""
    return list(
        Violation.objects.filter(
            establishment_id=visit.establishment_id,
            stage=Stage.VIOLATION_REPORT,
            report__isnull=True,
            found_on__lte=visit.visited_on or visit.scheduled_on,
        ).order_by("found_on", "id")
    )


@transaction.atomic
def report_issue(*, actor: User, visit: Visit) -> EnforcementDocument:
    """Write the violation report for the court: every breach of the
    establishment sent to the report, with its article and its fine."""
    _require_office(actor, visit)
    _require_done(visit)
    violations = awaiting_report(visit)
    if not violations:
        raise ApplicationError(NOTHING_TO_REPORT, code="nothing_to_report")
    document = _issue(
        actor=actor,
        visit=visit,
        kind=EnforcementDocument.Kind.VIOLATION_REPORT,
        violations=violations,
        deadline=None,
    )
    for violation in violations:
        violation.report = document
        violation.save(update_fields=["report", "updated_at"])
    return document


# --- Reading an issued document ---------------------------------------------------------


def _mad(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f")


def _fine_text(line: dict[str, Any]) -> str:
    if line.get("fine_minimum") is None:
        return ""
    amounts = f"{_mad(line['fine_minimum'])} – {_mad(line['fine_maximum'])} MAD"
    return f"{amounts} ({line['fine_reference']})" if line.get("fine_reference") else amounts


def document_snapshot(document: EnforcementDocument, language: str) -> DocumentSnapshot:
    """The frozen content of an issued document, worded in ``language``."""
    data = document.snapshot
    labels = dict(BREACH_CHOICES)
    with translation.override(language):
        lines = tuple(
            ViolationLine(
                breach=str(labels.get(line["breach"], line["breach"])),
                article=line["article"],
                children=int(line["children"]),
                fine=_fine_text(line) if document.kind == document.Kind.VIOLATION_REPORT else "",
                repeat=bool(line["repeat"]),
            )
            for line in data["violations"]
        )
    arabic = language == "ar"
    total = ""
    if document.kind == document.Kind.VIOLATION_REPORT and data.get("total_minimum") is not None:
        total = f"{_mad(data['total_minimum'])} – {_mad(data['total_maximum'])} MAD"
    return DocumentSnapshot(
        kind=document.kind,
        number=document.number,
        issued_on=document.issued_on,
        office=data["office_ar"] if arabic else data["office_fr"],
        inspectors=tuple(data["inspectors"]),
        establishment=data["establishment"],
        ice=data["ice"],
        address=data["address"],
        commune=data["commune_ar"] if arabic else data["commune_fr"],
        visit_on=date.fromisoformat(data["visit_on"]),
        deadline=document.deadline,
        violations=lines,
        total_fine=total,
    )


def document_download(
    *, actor: User, document: EnforcementDocument, language: str
) -> tuple[str, bytes]:
    """The PDF of an issued document in French or Arabic, and its file name; audited.

    Callers fetch the document through ``selectors.document_get_for_user``."""
    if document.office_id != require_inspection_staff(actor):
        raise NotFound()
    if language not in ("fr", "ar"):
        raise InvalidInput({"language": [UNKNOWN_LANGUAGE]})
    pdf = render_pdf(document_snapshot(document, language), language)
    audit_record(
        event=AuditEvent.DOCUMENT_DOWNLOADED,
        actor=actor,
        obj=document,
        detail={"number": document.number, "language": language},
    )
    return f"{document.number}-{language}.pdf", pdf
