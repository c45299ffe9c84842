"""Visits, the children found in them, and graduated enforcement (services)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation
from tests.inspection.conftest import find_child, plan_visit, record_visit

from himaya.accounts.models import Organisation, OrganisationKind, ServiceType
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Referral,
    ReferralStatus,
    RiskLevel,
)
from himaya.cases.templatetags.cases_display import event_text
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection.models import (
    BREACH_CHOICES,
    EnforcementDocument,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services import enforcement, visits
from himaya_rules.sanctions import BREACHES


def test_a_child_found_is_classified_opens_a_case_and_a_violation(world: Any, visit: Visit) -> None:
    found = find_child(world, visit, age=13)

    assert found.verdict == "child_labour"
    case = Case.objects.get(child=found.child)
    assert found.case == case and case.organisation == world.inspectorate
    assert found.observation.observed_on == visit.visited_on
    assert found.observation.commune_id == visit.commune_id
    violation = Violation.objects.get(visit=visit)
    assert (violation.breach, violation.stage, violation.children) == (
        "below_minimum_age",
        Stage.ADVICE,
        1,
    )
    assert "143" in violation.article  # the article in force on the visit's date
    assert (violation.fine_minimum, violation.fine_maximum) == (25_000, 30_000)
    assert "151" in violation.fine_reference
    assert not found.removed
    visit.establishment.refresh_from_db()
    assert visit.establishment.children_found == 1
    assert AuditEntry.objects.filter(event=AuditEvent.CHILD_FOUND, child_id=found.child_id).exists()


def test_hazardous_work_skips_advice_and_removes_the_child(world: Any, visit: Visit) -> None:
    found = find_child(world, visit, age=16, hazards=["heights"], sector="construction")

    assert found.removed
    violation = Violation.objects.get(visit=visit, breach="hazardous_work")
    assert violation.stage == Stage.VIOLATION_REPORT
    assert found.case is not None
    found.case.refresh_from_db()
    assert found.case.risk_level == RiskLevel.HIGH
    assert CaseEvent.objects.filter(case=found.case, kind="removed").exists()


def test_a_second_child_adds_to_the_same_violation_and_its_fine(world: Any, visit: Visit) -> None:
    find_child(world, visit, age=16, hazards=["heights"], first_name="Youssef")
    find_child(world, visit, age=17, hazards=["heights"], first_name="Omar")

    violation = Violation.objects.get(visit=visit, breach="hazardous_work")
    assert violation.children == 2
    assert (violation.fine_minimum, violation.fine_maximum) == (600, 1_000)  # 300–500 × 2


def test_the_notice_follow_up_and_report_path(world: Any, visit: Visit) -> None:
    find_child(world, visit, age=13)
    violation = Violation.objects.get(visit=visit)
    deadline = visit.day + datetime.timedelta(days=15)

    notice = enforcement.notice_issue(
        actor=world.inspector, visit=visit, violation_ids=[violation.pk], deadline=deadline
    )

    violation.refresh_from_db()
    assert violation.stage == Stage.FORMAL_NOTICE and violation.deadline == deadline
    assert notice.number.startswith(f"MD-{notice.issued_on.year}-")
    assert notice.snapshot["violations"][0]["article"] == violation.article
    follow_up = violation.follow_up
    assert follow_up is not None
    assert (follow_up.kind, follow_up.scheduled_on, follow_up.status) == (
        VisitKind.FOLLOW_UP,
        deadline,
        VisitStatus.PLANNED,
    )
    assert list(follow_up.inspectors.all()) == [world.inspector]

    with pytest.raises(ApplicationError):  # the follow-up is not recorded yet
        enforcement.follow_up_conclude(actor=world.inspector, visit=follow_up, corrected_ids=[])
    # The follow-up visit happens (in the test, on the day of the first one + 1).
    follow_up.scheduled_on = visit.day
    follow_up.save()
    record_visit(world, follow_up, on=visit.day)
    with pytest.raises(ApplicationError):  # found the same day: nothing to conclude
        enforcement.follow_up_conclude(actor=world.inspector, visit=follow_up, corrected_ids=[])


def test_a_persisting_breach_goes_to_the_violation_report(world: Any, establishment: Any) -> None:
    first_day = datetime.date(2026, 1, 5)
    first = record_visit(world, plan_visit(world, establishment, on=first_day))
    find_child(world, first, age=13)
    violation = Violation.objects.get(visit=first)
    enforcement.notice_issue(actor=world.inspector, visit=first, violation_ids=[violation.pk])
    violation.refresh_from_db()
    assert violation.deadline == first_day + datetime.timedelta(days=30)
    follow_up = violation.follow_up
    assert follow_up is not None
    record_visit(world, follow_up)

    enforcement.follow_up_conclude(actor=world.inspector, visit=follow_up, corrected_ids=[])
    violation.refresh_from_db()
    assert violation.stage == Stage.VIOLATION_REPORT

    report = enforcement.report_issue(actor=world.inspector, visit=follow_up)
    violation.refresh_from_db()
    assert violation.report == report
    assert report.kind == EnforcementDocument.Kind.VIOLATION_REPORT
    assert report.number.startswith(f"PV-{report.issued_on.year}-")
    assert (report.snapshot["total_minimum"], report.snapshot["total_maximum"]) == (25_000, 30_000)
    with pytest.raises(ApplicationError):  # nothing left to report
        enforcement.report_issue(actor=world.inspector, visit=follow_up)


def test_a_corrected_breach_is_closed(world: Any, establishment: Any) -> None:
    first = record_visit(world, plan_visit(world, establishment, on=datetime.date(2026, 2, 2)))
    find_child(world, first, age=13)
    violation = Violation.objects.get(visit=first)
    enforcement.notice_issue(actor=world.inspector, visit=first, violation_ids=[violation.pk])
    violation.refresh_from_db()
    assert violation.follow_up is not None
    follow_up = record_visit(world, violation.follow_up)

    enforcement.follow_up_conclude(
        actor=world.inspector, visit=follow_up, corrected_ids=[violation.pk]
    )
    violation.refresh_from_db()
    assert violation.stage == Stage.CORRECTED
    assert violation.closed_on == follow_up.visited_on


def test_the_same_breach_within_two_years_is_a_repeat(world: Any, establishment: Any) -> None:
    first = record_visit(world, plan_visit(world, establishment, on=datetime.date(2025, 3, 1)))
    find_child(world, first, age=13, first_name="Youssef")
    later = record_visit(world, plan_visit(world, establishment, on=datetime.date(2026, 3, 1)))
    find_child(world, later, age=12, first_name="Omar")

    repeat = Violation.objects.get(visit=later)
    assert repeat.repeat and repeat.previous == Violation.objects.get(visit=first)
    assert not Violation.objects.get(visit=first).repeat
    establishment.refresh_from_db()
    assert establishment.repeat_offences == 1


def test_document_numbers_follow_each_other(world: Any, establishment: Any) -> None:
    numbers = []
    for day in (datetime.date(2026, 1, 5), datetime.date(2026, 1, 6)):
        visit = record_visit(world, plan_visit(world, establishment, on=day))
        find_child(world, visit, age=16, hazards=["heights"])
        numbers.append(enforcement.report_issue(actor=world.inspector, visit=visit).number)
    first, second = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert second == first + 1


def test_a_notice_is_refused_for_a_breach_past_advice(world: Any, visit: Visit) -> None:
    find_child(world, visit, age=16, hazards=["heights"])
    violation = Violation.objects.get(visit=visit)
    with pytest.raises(InvalidInput) as refused:
        enforcement.notice_issue(actor=world.inspector, visit=visit, violation_ids=[violation.pk])
    assert refused.value.errors["violations"] == [str(enforcement.NOT_AT_ADVICE)]
    assert not EnforcementDocument.objects.exists()


def test_every_breach_of_the_sanctions_table_has_a_label() -> None:
    assert [code for code, _label in BREACH_CHOICES] == list(BREACHES)


def test_a_visit_of_another_office_is_refused(offices: Any, visit: Visit) -> None:
    with pytest.raises(NotFound):
        enforcement.report_issue(actor=offices.other_office_inspector, visit=visit)
    with pytest.raises(NotFound):
        find_child(offices, visit, actor=offices.other_office_inspector)
    assert not Violation.objects.exists()


def test_the_removal_is_told_on_the_case_timeline(world: Any, visit: Visit) -> None:
    found = find_child(world, visit, age=16, hazards=["heights"])
    event = CaseEvent.objects.get(case=found.case, kind="removed")
    with translation.override("en"):
        assert "Removed from work" in event_text(event)


def test_reading_a_visit_is_audited_and_scoped(offices: Any, visit: Visit) -> None:
    assert visits.visit_view(user=offices.inspector, visit_id=visit.pk) == visit
    entry = AuditEntry.objects.get(event=AuditEvent.VISIT_VIEWED)
    assert (entry.actor, entry.object_id) == (offices.inspector, str(visit.pk))
    for outsider in (offices.other_office_inspector, offices.far_inspector, offices.worker):
        with pytest.raises(NotFound):
            visits.visit_view(user=outsider, visit_id=visit.pk)
    assert AuditEntry.objects.filter(event=AuditEvent.VISIT_VIEWED).count() == 1


# --- Removal: the child is referred at once ----------------------------------------------


def _unit(name: str, kind: str, territory: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, territory_code=territory)


def test_a_removed_child_is_referred_at_once_to_the_nearest_protection_unit(
    world: Any, visit: Visit
) -> None:
    _unit("UPE régionale", OrganisationKind.CHILD_PROTECTION, world.region.code)
    nearest = _unit("UPE provinciale", OrganisationKind.CHILD_PROTECTION, world.province.code)
    _unit("UPE lointaine", OrganisationKind.CHILD_PROTECTION, world.far_commune.province_id)

    found = find_child(world, visit, age=16, hazards=["heights"])

    assert found.case is not None
    referral = Referral.objects.get(case=found.case)
    assert (referral.provider, referral.service) == (nearest, ServiceType.CHILD_PROTECTION)
    assert referral.status == ReferralStatus.SENT and referral.sent_by == world.inspector
    assert visit.establishment.name in referral.note
    found.case.refresh_from_db()
    assert found.case.status == CaseStatus.IDENTIFIED  # its worker still assesses it
    sent = CaseEvent.objects.get(case=found.case, kind="referral_sent")
    assert sent.detail["urgent"] is True
    with translation.override("en"):
        assert "Referred at once to UPE provinciale" in event_text(sent)
        removed = CaseEvent.objects.get(case=found.case, kind="removed")
        assert "refer the child now" not in event_text(removed)
    entry = AuditEntry.objects.get(event=AuditEvent.REFERRAL_SENT)
    assert entry.child_id == found.child_id and entry.detail["urgent"] is True


def test_a_worst_form_is_also_referred_to_the_court(world: Any, visit: Visit) -> None:
    unit = _unit("UPE", OrganisationKind.CHILD_PROTECTION, world.region.code)
    court = _unit("Tribunal", OrganisationKind.COURT, world.region.code)

    found = find_child(world, visit, age=15, worst_forms=["forced_labour"])

    assert found.removed and found.case is not None
    sent = {(r.service, r.provider_id) for r in Referral.objects.filter(case=found.case)}
    assert sent == {(ServiceType.CHILD_PROTECTION, unit.pk), (ServiceType.JUSTICE, court.pk)}


def test_a_removal_without_a_unit_in_the_directory_says_to_refer_now(
    world: Any, visit: Visit
) -> None:
    found = find_child(world, visit, age=16, hazards=["heights"])

    assert found.case is not None and not Referral.objects.filter(case=found.case).exists()
    removed = CaseEvent.objects.get(case=found.case, kind="removed")
    with translation.override("en"):
        assert "refer the child now" in event_text(removed)


def test_a_child_below_the_minimum_age_is_not_referred_by_the_inspection(
    world: Any, visit: Visit
) -> None:
    _unit("UPE", OrganisationKind.CHILD_PROTECTION, world.region.code)
    found = find_child(world, visit, age=13)
    assert not found.removed and not Referral.objects.filter(case=found.case).exists()
