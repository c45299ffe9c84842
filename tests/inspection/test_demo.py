"""``himaya seed-demo``: the labour inspectorate's part (inspection.demo), on the
small test geography (two regions)."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from stdnum.ma import ice as ice_number

from himaya.accounts.models import Organisation, OrganisationKind, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.models import Case, Child, Observation
from himaya.cases.services import today
from himaya.geography.testing import load_small_geography
from himaya.inspection.demo import (
    CHILDREN_PER_OFFICE,
    children_to_find,
    ice_with_check_digits,
    seed_inspection,
)
from himaya.inspection.models import (
    EnforcementDocument,
    Establishment,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services.establishments import ice_error
from himaya_rules.codes import SECTORS

pytestmark = pytest.mark.django_db

CHILDREN = 150  # a tenth of them at most are found in visits: 12, six an office


def seed(*args: str) -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed-demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: None) -> str:
    load_small_geography()
    return seed("--children", str(CHILDREN), "--seed", "5")


def offices() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.INSPECTORATE))


def test_check_digits_make_valid_ice_numbers() -> None:
    assert ice_with_check_digits("0015611910000") == "001561191000066"  # stdnum's example
    assert ice_with_check_digits("0021360930000") == "002136093000040"
    for base in ("0000000000000", "9999999999999", "0012345670001"):
        assert ice_number.is_valid(ice_with_check_digits(base))


def test_registers_are_spread_and_valid(seeded: str) -> None:
    assert "Labour inspection: " in seeded
    assert len(offices()) == 2
    for office in offices():
        register = list(Establishment.objects.filter(office=office).select_related("commune"))
        assert 130 <= len(register) <= 160
        assert all(e.commune.lies_within(office.territory_code) for e in register)
        assert {e.sector for e in register} <= set(SECTORS) - {"street_work"}
        informal = sum(e.informal for e in register) / len(register)
        assert 0.25 <= informal <= 0.55  # about 40 %
        ices = [e.ice for e in register if e.ice]
        assert len(ices) == len(set(ices))  # unique in the office
        assert all(ice_error(e.ice) is None for e in register)
        assert all(e.name and e.workers for e in register)
        assert len({e.name for e in register}) == len(register)
        # Rural communes: mostly farms; every commune of the region has workplaces.
        rural = Counter(e.sector for e in register if e.commune.kind == "rural")
        assert rural.most_common(1)[0][0] == "agriculture"
    imported = AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED)
    assert imported.count() == 2


def test_visits_of_every_kind_and_status(seeded: str) -> None:
    day = today()
    visits = list(Visit.objects.select_related("establishment").prefetch_related("inspectors"))
    assert {v.status for v in visits} == set(VisitStatus.values)
    assert {v.kind for v in visits} == set(VisitKind.values)
    for office in offices():
        region = office.territory_code
        inspector = User.objects.get(username=f"inspector-{region}")
        mine = [v for v in visits if v.office_id == office.pk]
        done = [v for v in mine if v.status == VisitStatus.DONE]
        assert 13 <= len(done) <= 19  # about 15
        for visit in mine:
            assert visit.establishment.office_id == office.pk
            assert visit.commune_id == visit.establishment.commune_id
            assert [u.pk for u in visit.inspectors.all()] == [inspector.pk]
        for visit in done:
            assert visit.visited_on is not None
            assert day - datetime.timedelta(days=130) <= visit.visited_on <= day
            assert set(visit.checklist.values()) <= {"yes", "no", "na"} and visit.notes
            assert visit.establishment.last_visit_on is not None
        # The inspector's day: two visits planned for today; next month's plan.
        today_visits = [v for v in mine if v.scheduled_on == day]
        assert sum(v.status == VisitStatus.PLANNED for v in today_visits) == 2
        assert sum(v.status == VisitStatus.PLANNED and v.scheduled_on > day for v in mine) >= 6
        assert any(v.kind == VisitKind.JOINT and v.partners for v in mine)
        found = FoundChild.objects.filter(visit__office=office).count()
        assert found == CHILDREN_PER_OFFICE
        assert 0.25 <= found / len(done) <= 0.5  # about a third


def test_children_found_are_classified_and_their_cases_opened(seeded: str) -> None:
    # The children found are part of the demo's children.
    assert Child.objects.count() == CHILDREN
    assert children_to_find(CHILDREN) == 0  # both registers are seeded
    found = list(FoundChild.objects.select_related("visit", "observation", "child", "case"))
    assert len(found) == 2 * CHILDREN_PER_OFFICE
    assert {f.verdict for f in found} == {"child_labour", "hazardous", "permitted_work"}
    for f in found:
        assert f.observation.kind == Observation.Kind.IDENTIFICATION
        assert f.observation.observed_on == f.visit.visited_on
        assert f.observation.commune_id == f.visit.commune_id
        assert f.child.organisation_id == f.visit.office_id
        if f.verdict == "permitted_work":
            assert f.case is None and f.observation.age == 16 and f.observation.apprenticeship
            assert not Case.objects.filter(child=f.child).exists()
        else:
            assert f.case is not None and f.case.child_id == f.child.pk
            assert f.case.organisation_id == f.visit.office_id
            assert f.removed == (f.verdict == "hazardous")
    establishment_counts = sum(Establishment.objects.values_list("children_found", flat=True))
    assert establishment_counts == sum(f.verdict != "permitted_work" for f in found)


def test_enforcement_reaches_every_stage_with_both_documents(seeded: str) -> None:
    day = today()
    for office in offices():
        violations = list(Violation.objects.filter(office=office))
        assert {v.stage for v in violations} == set(Stage.values)
        for v in violations:
            assert v.article and v.rule
            if v.stage == Stage.FORMAL_NOTICE:
                assert v.notice is not None and v.deadline is not None and v.deadline > day
                assert v.follow_up is not None and v.follow_up.status == VisitStatus.PLANNED
            if v.stage == Stage.CORRECTED:
                assert v.notice is not None and v.closed_on is not None
            if v.stage == Stage.VIOLATION_REPORT:
                assert v.report is not None
            if v.stage == Stage.ADVICE:
                assert v.notice is None and v.repeat  # the same breach again after a correction
        kinds = EnforcementDocument.objects.filter(office=office).values_list("kind", flat=True)
        assert set(kinds) == set(EnforcementDocument.Kind.values)
    documents = list(EnforcementDocument.objects.all())
    assert len({d.number for d in documents}) == len(documents)
    assert all(d.issued_on == day for d in documents)
    issued = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_ISSUED).count()
    assert issued == len(documents)
    assert Establishment.objects.filter(repeat_offences__gt=0).exists()


def test_a_second_run_adds_nothing(seeded: str) -> None:
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (Establishment, Visit, FoundChild, Violation, EnforcementDocument, Child)
        )

    before = counts()
    assert "already has" in seed("--children", "50", "--if-empty")
    report = seed_inspection(seed=5)
    assert (report.offices, report.establishments, report.visits) == (0, 0, 0)
    assert counts() == before
