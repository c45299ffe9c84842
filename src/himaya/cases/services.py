"""Every change to households, children, observations, cases and referrals.

One function per business action, keyword-only, transactional and audited.
Callers (pages, API, commands) first fetch records through the selectors,
which apply the user's scope; services then check the role and the state.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta
from functools import cache
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import (
    CASEWORK_ROLES,
    PROVIDER_KINDS,
    SERVICE_OF_KIND,
    Organisation,
    Role,
    ServiceType,
    User,
)
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases import selectors, workflow
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    ClosureReason,
    Household,
    Observation,
    Referral,
    ReferralStatus,
    RiskLevel,
    Sex,
)
from himaya.cases.names import search_text
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.geography.models import Commune
from himaya_rules import Classification, ObservationError, classify_one, reason_text
from himaya_rules.codes import HAZARDS, SECTORS, WORST_FORMS

# Messages (shown to users; translated).
NOT_A_CASEWORKER = _("Only inspectors, social workers and case supervisors may do this.")
ROLE_NOT_ALLOWED = _("Your role may not make this change.")
TRANSITION_NOT_ALLOWED = _("This case cannot make that step from its current status.")
CASE_CLOSED = _("This case is closed.")
CONSENT_MISSING = _("Record the child's and the guardian's consent before any referral.")
NOT_ASSESSED = _("The assessment must be approved before the case is referred.")
NO_ASSESSMENT = _("No assessment is waiting for approval.")
PROVIDER_WRONG_SERVICE = _("This provider does not offer that service.")
PROVIDER_OUT_OF_TERRITORY = _("This provider does not serve the child's commune.")
VOCATIONAL_AGE = _("Vocational training or apprenticeship is for children aged 15 to 17.")
JUSTICE_WORST_FORMS = _("Referral to justice is for the worst forms of child labour.")
REFERRAL_NOT_YOURS = _("This referral is not addressed to your organisation.")
REFERRAL_NOT_SENT = _("This referral has already been answered.")
REFERRAL_NOT_ACCEPTED = _("Only an accepted referral can be marked as delivered.")
REASON_REQUIRED = _("Give a reason.")
NO_CLOSURE_REQUESTED = _("No closure is waiting for approval.")
NOT_OUT_YET = _(
    "Closure as 'out of child labour' needs %(required)s consecutive follow-ups at least "
    "%(days)s days apart that found the child out of child labour and in school or training."
)
NOT_18_YET = _("The child has not turned 18.")
TRANSFER_REQUIRED = _("Choose the organisation the case is transferred to.")
TRANSFER_COMMUNE_REQUIRED = _("Choose the commune the child moved to.")
TRANSFER_COMMUNE_OUTSIDE = _(
    "This commune is outside the territory of %(organisation)s: choose a commune it serves."
)
ALREADY_TRANSFERRED = _("This case has already been transferred.")
ASSIGNEE_INVALID = _("The case can only be assigned to a caseworker of your organisation.")
OPEN_CASE_EXISTS = _("This child already has an open case.")
FUTURE_DATE = _("The date cannot be in the future.")
BIRTH_FUTURE = _("The birth date cannot be in the future.")
CNIE_FORMAT = _("A CNIE number is one or two letters followed by digits (e.g. BE123456).")
RSU_FORMAT = _("An RSU number has digits only.")
MASSAR_FORMAT = _("A Massar code is one letter followed by nine digits (e.g. J130012345).")
PHONE_FORMAT = _("A phone number has digits only (e.g. 0612345678).")
REQUIRED = _("This field is required.")
UNKNOWN_CODE = _("Unknown value: %(value)s.")
COMMUNE_OUT_OF_TERRITORY = _("This commune is outside your territory.")

_CNIE = re.compile(r"[A-Z]{1,2}[0-9]{1,8}")
_MASSAR = re.compile(r"[A-Z][0-9]{9}")
_DIGITS = re.compile(r"[0-9]{1,20}")
PHONE_PATTERN = re.compile(r"\+?[0-9]{9,15}")


def today() -> date:
    return timezone.localdate()


@cache
def ruleset_version() -> str:
    return version("himaya-rules")


def _language() -> str:
    lang = (get_language() or "fr")[:2]
    return lang if lang in ("fr", "ar", "en") else "fr"


def _require_casework(actor: User) -> None:
    if actor.role not in CASEWORK_ROLES or actor.organisation_id is None:
        raise ApplicationError(NOT_A_CASEWORKER, code="forbidden", status=403)


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(CASE_CLOSED, code="case_closed")


def _organisation_id(actor: User) -> int:
    if actor.organisation_id is None:
        raise ApplicationError(NOT_A_CASEWORKER, code="forbidden", status=403)
    return actor.organisation_id


def _transition(case: Case, target: str, actor: User) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    try:
        workflow.check_transition(case.status, target, actor.role)
    except workflow.TransitionRefused as refused:
        message = ROLE_NOT_ALLOWED if refused.code == "role_not_allowed" else TRANSITION_NOT_ALLOWED
        raise ApplicationError(message, code=refused.code) from refused
    old = case.status
    case.status = target
    _event(case, actor, "status", {"from": old, "to": target})
    audit_record(
        event=AuditEvent.CASE_STATUS_CHANGED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail={"from": old, "to": target},
    )


def _event(case: Case, actor: User, kind: str, detail: dict[str, Any] | None = None) -> None:
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, detail=detail or {})


def _is_latest(case: Case, observation: Observation) -> bool:
    """True unless the case has an observation of a later day than this one."""
    return not (
        case.observations.exclude(pk=observation.pk)
        .filter(observed_on__gt=observation.observed_on)
        .exists()
    )


# --- Households and children ----------------------------------------------------


@dataclass
class HouseholdIn:
    commune: str
    guardian_name: str
    address: str = ""
    guardian_phone: str = ""
    guardian_cnie: str = ""
    rsu_number: str = ""


@dataclass
class ChildIn:
    first_name_ar: str
    family_name_ar: str
    first_name_latin: str
    family_name_latin: str
    sex: str
    birth_date: date | None
    birth_date_estimated: bool = False
    massar_code: str = ""


def _clean_household(data: HouseholdIn, actor: User) -> tuple[Commune | None, dict[str, list[Any]]]:
    errors: dict[str, list[Any]] = {}
    commune = Commune.objects.filter(code=data.commune).first() if data.commune else None
    if commune is None:
        errors["commune"] = [
            REQUIRED if not data.commune else UNKNOWN_CODE % {"value": data.commune}
        ]
    elif not commune.lies_within(actor.territory_code):
        errors["commune"] = [COMMUNE_OUT_OF_TERRITORY]
    data.guardian_name = data.guardian_name.strip()
    if not data.guardian_name:
        errors["guardian_name"] = [REQUIRED]
    data.guardian_cnie = data.guardian_cnie.strip().upper()
    if data.guardian_cnie and not _CNIE.fullmatch(data.guardian_cnie):
        errors["guardian_cnie"] = [CNIE_FORMAT]
    data.rsu_number = data.rsu_number.strip()
    if data.rsu_number and not _DIGITS.fullmatch(data.rsu_number):
        errors["rsu_number"] = [RSU_FORMAT]
    data.guardian_phone = re.sub(r"[\s.-]", "", data.guardian_phone)
    if data.guardian_phone and not PHONE_PATTERN.fullmatch(data.guardian_phone):
        errors["guardian_phone"] = [PHONE_FORMAT]
    return commune, errors


def _clean_child(data: ChildIn) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    for name in ("first_name_ar", "family_name_ar", "first_name_latin", "family_name_latin"):
        setattr(data, name, " ".join(getattr(data, name).split()))
        if not getattr(data, name):
            errors[name] = [REQUIRED]
    if data.sex not in Sex.values:
        errors["sex"] = [REQUIRED if not data.sex else UNKNOWN_CODE % {"value": data.sex}]
    if data.birth_date is None:
        errors["birth_date"] = [REQUIRED]
    elif data.birth_date > today():
        errors["birth_date"] = [BIRTH_FUTURE]
    data.massar_code = data.massar_code.strip().upper()
    if data.massar_code and not _MASSAR.fullmatch(data.massar_code):
        errors["massar_code"] = [MASSAR_FORMAT]
    return errors


# --- Observations and classification --------------------------------------------


@dataclass
class ObservationIn:
    observed_on: date | None
    commune: str = ""
    place: str = ""
    age_reported: int | None = None
    economic_hours_week: float | None = None
    chores_hours_week: float | None = None
    sector: str = ""
    domestic_worker: bool = False
    usual_start: time | None = None
    usual_end: time | None = None
    night_work: bool = False
    hazards: list[str] = field(default_factory=list)
    worst_forms: list[str] = field(default_factory=list)
    guardian_authorisation: bool = False
    apprenticeship: bool = False
    in_school_or_training: bool | None = None
    notes: str = ""


#: Engine field → our field, where the names differ.
_ENGINE_FIELD = {"age": "age_reported", "id": "observed_on"}


def _engine_input(
    data: ObservationIn, *, birth_date: date | None, estimated: bool, sex: str
) -> dict[str, Any]:
    values: dict[str, Any] = {"id": "observation", "observed_on": data.observed_on, "sex": sex}
    if data.age_reported is not None:
        values["age"] = data.age_reported
    elif birth_date is not None and estimated and data.observed_on is not None:
        values["age"] = workflow.age_on(birth_date, data.observed_on)
    if birth_date is not None and not estimated:
        values["birth_date"] = birth_date
    for name in ("economic_hours_week", "chores_hours_week"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if data.sector:
        values["sector"] = data.sector
    for name in ("usual_start", "usual_end"):
        moment = getattr(data, name)
        if moment is not None:
            values[name] = moment.strftime("%H:%M")
    for name in ("domestic_worker", "night_work", "guardian_authorisation", "apprenticeship"):
        values[name] = getattr(data, name)
    values["hazards"] = list(data.hazards)
    values["worst_forms"] = list(data.worst_forms)
    return values


def _check_codes(data: ObservationIn) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if data.sector and data.sector not in SECTORS:
        errors["sector"] = [UNKNOWN_CODE % {"value": data.sector}]
    for name, known in (("hazards", HAZARDS), ("worst_forms", WORST_FORMS)):
        unknown = [c for c in getattr(data, name) if c not in known]
        if unknown:
            errors[name] = [UNKNOWN_CODE % {"value": ", ".join(unknown)}]
    if data.observed_on is None:
        errors["observed_on"] = [REQUIRED]
    elif data.observed_on > today():
        errors["observed_on"] = [FUTURE_DATE]
    return errors


def observation_classify(
    *, data: ObservationIn, birth_date: date | None, estimated: bool, sex: str
) -> Classification:
    """Classify without saving (the form's preview); InvalidInput names each bad field."""
    errors = _check_codes(data)
    if errors:
        raise InvalidInput(errors)
    try:
        return classify_one(
            _engine_input(data, birth_date=birth_date, estimated=estimated, sex=sex),
            settings.HIMAYA_RULESET,
        )
    except ObservationError as error:
        language = _language()
        found: dict[str, list[Any]] = {}
        for e in error.errors:
            name = _ENGINE_FIELD.get(e.field, e.field)
            found.setdefault(name, []).append(reason_text(e.code, e.detail, language))
        raise InvalidInput(found) from error


def _save_observation(
    *,
    actor: User,
    child: Child,
    case: Case | None,
    kind: str,
    data: ObservationIn,
    commune: Commune,
    result: Classification,
) -> Observation:
    fields = asdict(data)
    fields.pop("commune")
    return Observation.objects.create(
        child=child,
        case=case,
        kind=kind,
        organisation_id=_organisation_id(actor),
        observed_by=actor,
        commune=commune,
        ruleset=result.ruleset,
        ruleset_version=ruleset_version(),
        verdict=result.verdict,
        rules=list(result.rules),
        citations=list(result.citations),
        age=result.age,
        **fields,
    )


def _observation_commune(data: ObservationIn, fallback: Commune, actor: User) -> Commune:
    if not data.commune or data.commune == fallback.code:
        return fallback
    commune = Commune.objects.filter(code=data.commune).first()
    if commune is None:
        raise InvalidInput({"commune": [UNKNOWN_CODE % {"value": data.commune}]})
    if not commune.lies_within(actor.territory_code):
        raise InvalidInput({"commune": [COMMUNE_OUT_OF_TERRITORY]})
    return commune


@dataclass
class IdentificationResult:
    child: Child
    observation: Observation
    case: Case | None
    classification: Classification


@transaction.atomic
def identification_record(
    *,
    actor: User,
    household: HouseholdIn | None = None,
    existing_household: Household | None = None,
    child: ChildIn | None = None,
    existing_child: Child | None = None,
    observation: ObservationIn,
) -> IdentificationResult:
    """Register (or reuse) the household and child, classify the observation, save
    it, and open a case when the child is in child labour. All or nothing."""
    _require_casework(actor)
    # Callers fetch existing records through the scoped selectors; refuse
    # anything of another organisation all the same (defence in depth).
    for record in (existing_child, existing_household):
        if record is not None and record.organisation_id != actor.organisation_id:
            raise NotFound()
    errors: dict[str, list[Any]] = {}
    commune: Commune | None = None
    if existing_child is None:
        if existing_household is None:
            if household is None:
                raise InvalidInput({"guardian_name": [REQUIRED]})
            commune, household_errors = _clean_household(household, actor)
            errors.update(household_errors)
        else:
            commune = existing_household.commune
        if child is None:
            raise InvalidInput({"first_name_latin": [REQUIRED]})
        errors.update(_clean_child(child))
        birth, estimated, sex = child.birth_date, child.birth_date_estimated, child.sex
    else:
        commune = existing_child.commune
        birth = existing_child.birth_date
        estimated, sex = existing_child.birth_date_estimated, existing_child.sex
    try:
        result = observation_classify(
            data=observation, birth_date=birth, estimated=estimated, sex=sex
        )
    except InvalidInput as invalid:
        # The engine may also refuse a field already refused above (a birth date
        # in the future, a bad sex code): keep our message, which says more.
        for name, messages in invalid.errors.items():
            errors.setdefault(name, messages)
        result = None
    if errors or result is None or commune is None:
        raise InvalidInput(errors)
    where = _observation_commune(observation, commune, actor)

    if existing_child is None:
        if child is None or household is None and existing_household is None:
            raise InvalidInput({"first_name_latin": [REQUIRED]})
        if existing_household is None and household is not None:
            existing_household = Household(
                organisation_id=_organisation_id(actor),
                created_by=actor,
                **{k: v for k, v in asdict(household).items() if k != "commune"},
            )
            existing_household.place_at(commune)
            existing_household.save()
        record = Child(
            household=existing_household,
            organisation_id=_organisation_id(actor),
            created_by=actor,
            search_text=search_text(
                child.first_name_ar,
                child.family_name_ar,
                child.first_name_latin,
                child.family_name_latin,
            ),
            **asdict(child),
        )
        record.place_at(commune)
        record.save()
        audit_record(event=AuditEvent.CHILD_CREATED, actor=actor, obj=record, child_id=record.pk)
        existing_child = record

    open_case = Case.objects.filter(child=existing_child).exclude(status=CaseStatus.CLOSED).first()
    saved = _save_observation(
        actor=actor,
        child=existing_child,
        case=open_case,
        kind=Observation.Kind.IDENTIFICATION,
        data=observation,
        commune=where,
        result=result,
    )
    audit_record(
        event=AuditEvent.IDENTIFICATION_CREATED,
        actor=actor,
        obj=saved,
        child_id=existing_child.pk,
        detail={"verdict": result.verdict, "rules": list(result.rules)},
    )
    if open_case is None and saved.in_child_labour:
        open_case = _case_open(actor=actor, child=existing_child, observation=saved)
    elif open_case is not None:
        if _is_latest(open_case, saved):
            open_case.verdict = result.verdict
            open_case.sector = observation.sector or open_case.sector
            open_case.save(update_fields=["verdict", "sector", "updated_at"])
        _event(
            open_case, actor, "observation", {"observation": saved.pk, "verdict": result.verdict}
        )
    return IdentificationResult(existing_child, saved, open_case, result)


def _case_open(*, actor: User, child: Child, observation: Observation) -> Case:
    case = Case(
        child=child,
        organisation_id=_organisation_id(actor),
        verdict=observation.verdict,
        sector=observation.sector,
        opened_on=observation.observed_on,
        opened_by=actor,
        assigned_to=actor,
        risk_level=RiskLevel.HIGH if observation.verdict == "worst_form" else "",
    )
    case.place_at(child.commune)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        raise ApplicationError(OPEN_CASE_EXISTS, code="open_case_exists") from error
    observation.case = case
    observation.save(update_fields=["case"])
    _event(case, actor, "opened", {"observation": observation.pk, "verdict": observation.verdict})
    audit_record(
        event=AuditEvent.CASE_OPENED,
        actor=actor,
        obj=case,
        child_id=child.pk,
        detail={"verdict": observation.verdict},
    )
    return case


# --- Assessment, assignment, consent --------------------------------------------


@transaction.atomic
def case_assess(*, actor: User, case: Case, risk_level: str, assessment: str) -> Case:
    _require_casework(actor)
    _require_open(case)
    if case.status != CaseStatus.IDENTIFIED:
        raise ApplicationError(TRANSITION_NOT_ALLOWED, code="transition_not_allowed")
    errors: dict[str, list[Any]] = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [
            REQUIRED if not risk_level else UNKNOWN_CODE % {"value": risk_level}
        ]
    if not assessment.strip():
        errors["assessment"] = [REQUIRED]
    if errors:
        raise InvalidInput(errors)
    case.risk_level, case.assessment, case.assessment_submitted = (
        risk_level,
        assessment.strip(),
        True,
    )
    case.save(update_fields=["risk_level", "assessment", "assessment_submitted", "updated_at"])
    _event(case, actor, "assessed", {"risk_level": risk_level})
    audit_record(
        event=AuditEvent.CASE_ASSESSED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail={"risk_level": risk_level},
    )
    if actor.role == Role.SUPERVISOR:
        return case_approve_assessment(actor=actor, case=case)
    return case


@transaction.atomic
def case_approve_assessment(*, actor: User, case: Case) -> Case:
    _require_open(case)
    if not case.assessment_submitted or case.status != CaseStatus.IDENTIFIED:
        raise ApplicationError(NO_ASSESSMENT, code="no_assessment")
    _transition(case, CaseStatus.ASSESSED, actor)
    case.assessment_submitted = False
    case.save(update_fields=["status", "assessment_submitted", "updated_at"])
    audit_record(
        event=AuditEvent.CASE_ASSESSMENT_APPROVED, actor=actor, obj=case, child_id=case.child_id
    )
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User) -> Case:
    if actor.role != Role.SUPERVISOR:
        raise ApplicationError(ROLE_NOT_ALLOWED, code="role_not_allowed", status=403)
    if not case.is_open:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    # The assignee must be able to open the case: same organisation, a
    # caseworker, active, and working in a territory that covers the case.
    if (
        assignee.organisation_id != case.organisation_id
        or assignee.role not in CASEWORK_ROLES
        or not assignee.is_active
        or not case.commune.lies_within(assignee.territory_code)
    ):
        raise InvalidInput({"assignee": [ASSIGNEE_INVALID]})
    old = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    _event(case, actor, "assigned", {"to": assignee.get_username()})
    audit_record(
        event=AuditEvent.CASE_ASSIGNED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail={"from": old, "to": assignee.pk},
    )
    return case


@transaction.atomic
def case_record_consent(
    *, actor: User, case: Case, child_consent: bool, guardian_consent: bool
) -> Case:
    _require_casework(actor)
    if not case.is_open:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    case.child_consent, case.guardian_consent = child_consent, guardian_consent
    case.consent_recorded_on = today()
    case.save(
        update_fields=["child_consent", "guardian_consent", "consent_recorded_on", "updated_at"]
    )
    detail = {"child": child_consent, "guardian": guardian_consent}
    _event(case, actor, "consent", detail)
    audit_record(
        event=AuditEvent.CASE_CONSENT_RECORDED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail=detail,
    )
    return case


# --- Referrals -------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *, actor: User, case: Case, service: str, provider: Organisation, note: str = ""
) -> Referral:
    _require_casework(actor)
    if not case.is_open:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    if case.status == CaseStatus.IDENTIFIED:
        raise ApplicationError(NOT_ASSESSED, code="not_assessed")
    if not case.consent_given:
        raise ApplicationError(CONSENT_MISSING, code="consent_missing")
    errors: dict[str, list[Any]] = {}
    if service not in ServiceType.values:
        errors["service"] = [REQUIRED if not service else UNKNOWN_CODE % {"value": service}]
    elif provider.kind not in PROVIDER_KINDS or SERVICE_OF_KIND[provider.kind] != service:
        errors["provider"] = [PROVIDER_WRONG_SERVICE]
    elif not provider.active or not case.commune.lies_within(provider.territory_code):
        errors["provider"] = [PROVIDER_OUT_OF_TERRITORY]
    if service == ServiceType.VOCATIONAL:
        age = workflow.age_on(case.child.birth_date, today())
        if not 15 <= age <= 17:
            errors["service"] = [VOCATIONAL_AGE]
    if service == ServiceType.JUSTICE and case.verdict != "worst_form":
        errors["service"] = [JUSTICE_WORST_FORMS]
    if errors:
        raise InvalidInput(errors)
    referral = Referral.objects.create(
        case=case,
        service=service,
        provider=provider,
        note=note.strip(),
        sent_on=today(),
        sent_by=actor,
    )
    if case.status == CaseStatus.ASSESSED:
        _transition(case, CaseStatus.REFERRED, actor)
        case.save(update_fields=["status", "updated_at"])
    _event(
        case,
        actor,
        "referral_sent",
        {"referral": referral.pk, "service": service, "provider": provider.name},
    )
    audit_record(
        event=AuditEvent.REFERRAL_SENT,
        actor=actor,
        obj=referral,
        child_id=case.child_id,
        detail={"service": service, "provider": provider.pk},
    )
    return referral


def _require_provider(actor: User, referral: Referral) -> None:
    if actor.role != Role.PROVIDER or actor.organisation_id != referral.provider_id:
        raise ApplicationError(REFERRAL_NOT_YOURS, code="forbidden", status=403)


def referral_send_urgent(*, actor: User, case: Case, note: str = "") -> list[Referral]:
    """A child removed from hazardous work or a worst form is referred at once,
    without waiting for the assessment or the consent (decision 0006): to the
    child protection unit covering the case's commune and, for a worst form, to
    the court (prosecutor for minors). The nearest provider of each (commune,
    then province, region, country) gets the referral; the case keeps its
    status, for its worker to assess it. Called by the service that removes the
    child, in its transaction; returns the referrals sent (none when the
    directory has no such provider: the timeline then says to refer now)."""
    services = [ServiceType.CHILD_PROTECTION]
    if case.verdict == "worst_form":
        services.append(ServiceType.JUSTICE)
    sent: list[Referral] = []
    for service in services:
        providers = selectors.provider_directory(service=service, commune=case.commune)
        provider = max(providers, key=lambda p: (len(p.territory_code), -p.pk), default=None)
        if provider is None or case.referrals.filter(service=service, provider=provider).exists():
            continue
        referral = Referral.objects.create(
            case=case,
            service=service,
            provider=provider,
            note=note.strip(),
            sent_on=today(),
            sent_by=actor,
        )
        _event(
            case,
            actor,
            "referral_sent",
            {
                "referral": referral.pk,
                "service": service,
                "provider": provider.name,
                "urgent": True,
            },
        )
        audit_record(
            event=AuditEvent.REFERRAL_SENT,
            actor=actor,
            obj=referral,
            child_id=case.child_id,
            detail={"service": service, "provider": provider.pk, "urgent": True},
        )
        sent.append(referral)
    return sent


def _provider_moves_case(case: Case, target: str, actor: User) -> None:
    if (case.status, target) in workflow.TRANSITIONS:
        _transition(case, target, actor)
        case.save(update_fields=["status", "updated_at"])


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    _require_provider(actor, referral)
    _require_open(referral.case)
    if referral.status != ReferralStatus.SENT:
        raise ApplicationError(REFERRAL_NOT_SENT, code="already_answered")
    referral.status, referral.responded_on = ReferralStatus.ACCEPTED, today()
    referral.save(update_fields=["status", "responded_on"])
    case = referral.case
    _provider_moves_case(case, CaseStatus.IN_REMEDIATION, actor)
    _event(case, actor, "referral_accepted", {"referral": referral.pk})
    audit_record(
        event=AuditEvent.REFERRAL_ACCEPTED, actor=actor, obj=referral, child_id=case.child_id
    )
    return referral


@transaction.atomic
def referral_refuse(*, actor: User, referral: Referral, reason: str) -> Referral:
    _require_provider(actor, referral)
    _require_open(referral.case)
    if referral.status != ReferralStatus.SENT:
        raise ApplicationError(REFERRAL_NOT_SENT, code="already_answered")
    if not reason.strip():
        raise InvalidInput({"reason": [REASON_REQUIRED]})
    referral.status, referral.responded_on = ReferralStatus.REFUSED, today()
    referral.refusal_reason = reason.strip()
    referral.save(update_fields=["status", "responded_on", "refusal_reason"])
    _event(
        referral.case,
        actor,
        "referral_refused",
        {"referral": referral.pk, "reason": referral.refusal_reason},
    )
    audit_record(
        event=AuditEvent.REFERRAL_REFUSED,
        actor=actor,
        obj=referral,
        child_id=referral.case.child_id,
    )
    return referral


@transaction.atomic
def referral_deliver(
    *, actor: User, referral: Referral, delivered_on: date | None = None, note: str = ""
) -> Referral:
    _require_provider(actor, referral)
    _require_open(referral.case)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ApplicationError(REFERRAL_NOT_ACCEPTED, code="not_accepted")
    delivered_on = delivered_on or today()
    if delivered_on > today():
        raise InvalidInput({"delivered_on": [FUTURE_DATE]})
    referral.status, referral.delivered_on = ReferralStatus.DELIVERED, delivered_on
    referral.delivery_note = note.strip()
    referral.save(update_fields=["status", "delivered_on", "delivery_note"])
    case = referral.case
    _provider_moves_case(case, CaseStatus.MONITORING, actor)
    if case.next_follow_up_on is None and case.is_open:
        case.next_follow_up_on = delivered_on + timedelta(days=settings.HIMAYA_FOLLOW_UP_EVERY_DAYS)
        case.save(update_fields=["next_follow_up_on", "updated_at"])
    _event(
        case, actor, "referral_delivered", {"referral": referral.pk, "on": delivered_on.isoformat()}
    )
    audit_record(
        event=AuditEvent.REFERRAL_DELIVERED, actor=actor, obj=referral, child_id=case.child_id
    )
    return referral


# --- Follow-up and closure ------------------------------------------------------


@transaction.atomic
def case_start_monitoring(*, actor: User, case: Case, note: str = "") -> Case:
    """A caseworker moves a case in remediation to monitoring (a provider's delivery of
    a service does it too); the first follow-up visit is scheduled if none is."""
    _require_casework(actor)
    _require_open(case)
    if case.status != CaseStatus.IN_REMEDIATION:
        raise ApplicationError(TRANSITION_NOT_ALLOWED, code="transition_not_allowed")
    _transition(case, CaseStatus.MONITORING, actor)
    update_fields = ["status", "updated_at"]
    if case.next_follow_up_on is None:
        case.next_follow_up_on = today() + timedelta(days=settings.HIMAYA_FOLLOW_UP_EVERY_DAYS)
        update_fields.append("next_follow_up_on")
    case.save(update_fields=update_fields)
    note = note.strip()
    _event(case, actor, "monitoring_started", {"note": note} if note else {})
    return case


@transaction.atomic
def follow_up_record(*, actor: User, case: Case, observation: ObservationIn) -> Observation:
    """A follow-up visit: a new observation, classified again, and the next visit scheduled."""
    _require_casework(actor)
    if not case.is_open:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    child = case.child
    errors: dict[str, list[Any]] = {}
    if observation.in_school_or_training is None:
        errors["in_school_or_training"] = [REQUIRED]
    try:
        result = observation_classify(
            data=observation,
            birth_date=child.birth_date,
            estimated=child.birth_date_estimated,
            sex=child.sex,
        )
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors:
        raise InvalidInput(errors)
    where = _observation_commune(observation, case.commune, actor)
    saved = _save_observation(
        actor=actor,
        child=child,
        case=case,
        kind=Observation.Kind.FOLLOW_UP,
        data=observation,
        commune=where,
        result=result,
    )
    if _is_latest(case, saved):  # a visit entered late does not undo a newer one
        case.verdict = result.verdict
        case.next_follow_up_on = saved.observed_on + timedelta(
            days=settings.HIMAYA_FOLLOW_UP_EVERY_DAYS
        )
        case.save(update_fields=["verdict", "next_follow_up_on", "updated_at"])
    detail = {
        "observation": saved.pk,
        "verdict": result.verdict,
        "in_school_or_training": observation.in_school_or_training,
    }
    _event(case, actor, "follow_up", detail)
    audit_record(
        event=AuditEvent.FOLLOW_UP_RECORDED,
        actor=actor,
        obj=saved,
        child_id=child.pk,
        detail=detail,
    )
    return saved


def closure_rule_met(case: Case) -> bool:
    visits = [
        workflow.Visit(o.observed_on, o.verdict, bool(o.in_school_or_training))
        for o in case.observations.filter(kind=Observation.Kind.FOLLOW_UP)
    ]
    return workflow.out_of_child_labour_reached(
        visits,
        required=settings.HIMAYA_CLOSURE_FOLLOW_UPS,
        min_days=settings.HIMAYA_CLOSURE_MIN_DAYS_APART,
    )


def _check_closure(
    case: Case,
    reason: str,
    transferred_to: Organisation | None,
    transferred_commune: Commune | str | None = None,
) -> Commune | None:
    """Refuse a closure whose reason does not hold (InvalidInput, field by field).
    For "moved", return the commune the child moved to (given as a record or a code)."""
    if reason not in workflow.CLOSURE_REASONS:
        raise InvalidInput(
            {"reason": [REQUIRED if not reason else UNKNOWN_CODE % {"value": reason}]}
        )
    if reason == ClosureReason.OUT_OF_CHILD_LABOUR and not closure_rule_met(case):
        raise InvalidInput(
            {
                "reason": [
                    NOT_OUT_YET
                    % {
                        "required": settings.HIMAYA_CLOSURE_FOLLOW_UPS,
                        "days": settings.HIMAYA_CLOSURE_MIN_DAYS_APART,
                    }
                ]
            }
        )
    if reason == ClosureReason.TURNED_18 and workflow.age_on(case.child.birth_date, today()) < 18:
        raise InvalidInput({"reason": [NOT_18_YET]})
    if reason != ClosureReason.MOVED:
        return None
    errors: dict[str, list[Any]] = {}
    receiving = transferred_to
    if (
        receiving is None
        or receiving.kind in PROVIDER_KINDS
        or not receiving.active
        or receiving.pk == case.organisation_id
    ):
        errors["transferred_to"] = [TRANSFER_REQUIRED]
        receiving = None
    commune = transferred_commune
    if isinstance(commune, str):
        code = commune.strip()
        commune = Commune.objects.filter(code=code).first() if code else None
        if commune is None and code:
            errors["transferred_commune"] = [UNKNOWN_CODE % {"value": code}]
    if commune is None:
        errors.setdefault("transferred_commune", [TRANSFER_COMMUNE_REQUIRED])
    elif receiving is not None and not commune.lies_within(receiving.territory_code):
        errors["transferred_commune"] = [
            TRANSFER_COMMUNE_OUTSIDE % {"organisation": receiving.display_name}
        ]
    if errors:
        raise InvalidInput(errors)
    return commune


@transaction.atomic
def case_request_closure(
    *,
    actor: User,
    case: Case,
    reason: str,
    note: str = "",
    transferred_to: Organisation | None = None,
    transferred_commune: str = "",
) -> Case:
    """A caseworker asks to close; a supervisor's own request closes at once.

    "Moved" names the receiving organisation and the commune (HCP code) the child
    moved to, which must lie within that organisation's territory; the transfer
    itself is made when the closure is approved (``case_approve_closure``)."""
    _require_casework(actor)
    if not case.is_open:
        raise ApplicationError(CASE_CLOSED, code="case_closed")
    commune = _check_closure(case, reason, transferred_to, transferred_commune)
    case.closure_requested_reason, case.closure_requested_note = reason, note.strip()
    moved = reason == ClosureReason.MOVED
    case.transferred_to = transferred_to if moved else None
    case.transferred_commune = commune if moved else None
    case.save(
        update_fields=[
            "closure_requested_reason",
            "closure_requested_note",
            "transferred_to",
            "transferred_commune",
            "updated_at",
        ]
    )
    _event(case, actor, "closure_requested", {"reason": reason})
    audit_record(
        event=AuditEvent.CASE_CLOSURE_REQUESTED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail={"reason": reason},
    )
    if actor.role == Role.SUPERVISOR:
        return case_approve_closure(actor=actor, case=case)
    return case


@transaction.atomic
def case_approve_closure(*, actor: User, case: Case) -> Case:
    """Close the case. "Moved" also transfers it: the receiving organisation gets its
    own copy of the household, the child, the latest observation and a new open
    case (``_case_transfer``), in the same transaction: all or nothing."""
    _require_open(case)
    if not case.closure_requested_reason:
        raise ApplicationError(NO_CLOSURE_REQUESTED, code="no_closure_requested")
    reason = case.closure_requested_reason
    # Still true today?
    _check_closure(case, reason, case.transferred_to, case.transferred_commune)
    _transition(case, CaseStatus.CLOSED, actor)
    case.closure_reason, case.closed_on = reason, today()
    case.closure_requested_reason = ""
    case.next_follow_up_on = None
    case.save(
        update_fields=[
            "status",
            "closure_reason",
            "closed_on",
            "closure_requested_reason",
            "next_follow_up_on",
            "updated_at",
        ]
    )
    _event(case, actor, "closed", {"reason": reason})
    detail: dict[str, Any] = {"reason": reason}
    if reason == ClosureReason.MOVED:
        transferred = _case_transfer(actor=actor, case=case)
        detail.update(transferred_to=transferred.organisation_id, transferred_case=transferred.pk)
    audit_record(
        event=AuditEvent.CASE_CLOSED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail=detail,
    )
    return case


def _organisation_detail(organisation: Organisation) -> dict[str, Any]:
    """An organisation as the timeline names it, in French and in Arabic."""
    return {
        "organisation": organisation.pk,
        "name": organisation.name,
        "name_ar": organisation.name_ar,
    }


@dataclass
class TransferCopies:
    """The receiving organisation's records of a child who moved (not saved, not placed)."""

    household: Household
    child: Child
    case: Case
    observation: Observation | None


def transfer_copies(
    case: Case, latest: Observation | None, *, receiving: Organisation, actor: User, on: date
) -> TransferCopies:
    """What a transfer copies, and only that: the household (address left blank),
    the child, the case's ``latest`` observation (its classification as it was made)
    and a new case opened ``on`` that day, unassigned (the receiving supervisor
    assigns it), linked to the original by ``transferred_from``. Nothing else of the
    sending organisation's records (notes, assessment, referrals, consent,
    follow-ups). The caller places them in the commune the child moved to and saves
    them (``_case_transfer`` one by one, the demo in bulk)."""
    child, household = case.child, case.child.household
    new_household = Household(
        organisation=receiving,
        created_by=actor,
        guardian_name=household.guardian_name,
        guardian_phone=household.guardian_phone,
        guardian_cnie=household.guardian_cnie,
        rsu_number=household.rsu_number,
    )
    new_child = Child(
        household=new_household,
        organisation=receiving,
        created_by=actor,
        first_name_ar=child.first_name_ar,
        family_name_ar=child.family_name_ar,
        first_name_latin=child.first_name_latin,
        family_name_latin=child.family_name_latin,
        sex=child.sex,
        birth_date=child.birth_date,
        birth_date_estimated=child.birth_date_estimated,
        massar_code=child.massar_code,
        search_text=search_text(
            child.first_name_ar,
            child.family_name_ar,
            child.first_name_latin,
            child.family_name_latin,
        ),
    )
    new_case = Case(
        child=new_child,
        organisation=receiving,
        status=CaseStatus.IDENTIFIED,
        verdict=case.verdict,
        sector=case.sector,
        risk_level=case.risk_level,
        opened_on=on,
        opened_by=actor,
        assigned_to=None,
        transferred_from=case,
    )
    observation = None
    if latest is not None:
        observation = Observation(
            child=new_child,
            case=new_case,
            kind=Observation.Kind.IDENTIFICATION,
            organisation=receiving,
            observed_by_id=latest.observed_by_id,
            observed_on=latest.observed_on,
            commune_id=latest.commune_id,
            ruleset=latest.ruleset,
            ruleset_version=latest.ruleset_version,
            verdict=latest.verdict,
            rules=list(latest.rules),
            citations=list(latest.citations),
            age=latest.age,
        )
    return TransferCopies(new_household, new_child, new_case, observation)


def _case_transfer(*, actor: User, case: Case) -> Case:
    """The receiving organisation's own records of a child who moved
    (``transfer_copies``), placed in the commune the child moved to and saved, with
    their timeline events and audit entries."""
    receiving, commune = case.transferred_to, case.transferred_commune
    if receiving is None or commune is None:  # pragma: no cover (checked by _check_closure)
        raise InvalidInput({"transferred_commune": [TRANSFER_COMMUNE_REQUIRED]})
    if Case.objects.filter(transferred_from=case).exists():
        raise ApplicationError(ALREADY_TRANSFERRED, code="already_transferred")
    latest = max(case.observations.all(), key=lambda o: (o.observed_on, o.pk), default=None)
    copies = transfer_copies(case, latest, receiving=receiving, actor=actor, on=today())
    transfer = {"transferred_from_case": case.pk, "from_organisation": case.organisation_id}
    new_household, new_child, new_case = copies.household, copies.child, copies.case
    new_household.place_at(commune)
    new_household.save()
    new_child.place_at(commune)
    new_child.save()
    audit_record(
        event=AuditEvent.CHILD_CREATED,
        actor=actor,
        obj=new_child,
        child_id=new_child.pk,
        detail=transfer,
    )

    new_case.place_at(commune)
    try:
        with transaction.atomic():
            new_case.save()
    except IntegrityError as error:  # approved twice at the same moment
        raise ApplicationError(ALREADY_TRANSFERRED, code="already_transferred") from error

    copy = copies.observation
    if latest is not None and copy is not None:
        copy.save()
        audit_record(
            event=AuditEvent.IDENTIFICATION_CREATED,
            actor=actor,
            obj=copy,
            child_id=new_child.pk,
            detail={
                "verdict": copy.verdict,
                "rules": list(copy.rules),
                "transferred_from_observation": latest.pk,
                **transfer,
            },
        )

    _event(
        new_case,
        actor,
        "transferred_from",
        {**_organisation_detail(case.organisation), "case": case.pk},
    )
    audit_record(
        event=AuditEvent.CASE_OPENED,
        actor=actor,
        obj=new_case,
        child_id=new_child.pk,
        detail={"verdict": new_case.verdict, **transfer},
    )
    _event(
        case, actor, "transferred_to", {**_organisation_detail(receiving), "commune": commune.code}
    )
    return new_case


@transaction.atomic
def case_reject_closure(*, actor: User, case: Case, note: str = "") -> Case:
    if actor.role != Role.SUPERVISOR:
        raise ApplicationError(ROLE_NOT_ALLOWED, code="role_not_allowed", status=403)
    _require_open(case)
    if not case.closure_requested_reason:
        raise ApplicationError(NO_CLOSURE_REQUESTED, code="no_closure_requested")
    reason = case.closure_requested_reason
    case.closure_requested_reason, case.transferred_to, case.transferred_commune = "", None, None
    case.save(
        update_fields=[
            "closure_requested_reason",
            "transferred_to",
            "transferred_commune",
            "updated_at",
        ]
    )
    _event(case, actor, "closure_rejected", {"reason": reason, "note": note.strip()})
    audit_record(
        event=AuditEvent.CASE_CLOSURE_REJECTED,
        actor=actor,
        obj=case,
        child_id=case.child_id,
        detail={"reason": reason},
    )
    return case


# --- Reads that are audited -------------------------------------------------------
# A view of a child's record is an event of its own: these fetch through the
# scoped selectors and write the audit entry.


def case_view(*, user: User, case_id: int) -> Case:
    from himaya.cases.selectors import case_get_for_user

    case = case_get_for_user(user=user, case_id=case_id)
    audit_record(event=AuditEvent.CASE_VIEWED, actor=user, obj=case, child_id=case.child_id)
    return case


def child_view(*, user: User, child_id: int) -> Child:
    from himaya.cases.selectors import child_get_for_user

    child = child_get_for_user(user=user, child_id=child_id)
    audit_record(event=AuditEvent.CHILD_VIEWED, actor=user, obj=child, child_id=child.pk)
    return child


def referral_view(*, user: User, referral_id: int) -> Referral:
    from himaya.cases.selectors import referral_get_for_user

    referral = referral_get_for_user(user=user, referral_id=referral_id)
    audit_record(
        event=AuditEvent.REFERRAL_VIEWED, actor=user, obj=referral, child_id=referral.case.child_id
    )
    return referral


def list_view_record(
    *, user: User, event: AuditEvent, child_ids: list[int], detail: dict[str, Any]
) -> None:
    """One entry for a page of a list: which children were shown, with which filters."""
    audit_record(event=event, actor=user, detail={**detail, "children": child_ids})
