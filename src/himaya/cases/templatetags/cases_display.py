"""Display helpers of the case pages: ages, overdue dates, timeline sentences, code labels."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from himaya.accounts.models import ServiceType
from himaya.cases import services, workflow
from himaya.cases.forms import HAZARD_LABELS, WORST_FORM_LABELS
from himaya.cases.models import CaseEvent, CaseStatus, ClosureReason, RiskLevel, Verdict

register = template.Library()


@register.filter
def age(birth_date: date | None) -> int | str:
    """Age in years today."""
    if birth_date is None:
        return ""
    return workflow.age_on(birth_date, services.today())


@register.filter
def overdue(day: date | None) -> bool:
    return day is not None and day < services.today()


@register.filter
def hazard_label(code: str) -> str:
    return str(HAZARD_LABELS.get(code, code))


@register.filter
def worst_form_label(code: str) -> str:
    return str(WORST_FORM_LABELS.get(code, code))


@register.filter
def person(user: Any) -> str:
    """A user as shown to colleagues: full name, else username."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value or "–"))


def _yes_no(value: Any) -> str:
    if value is None:
        return _("not known")
    return _("yes") if value else _("no")


def _day(value: str) -> str:
    try:
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return value


def _organisation(detail: dict[str, Any]) -> str:
    """An organisation named in an event's detail, in Arabic when the page is."""
    if detail.get("name_ar") and (get_language() or "").startswith("ar"):
        return str(detail["name_ar"])
    return str(detail.get("name", ""))


@register.filter
def event_text(event: CaseEvent) -> str:
    """One sentence per timeline event, in the user's language."""
    d = event.detail or {}
    kind = event.kind
    if kind == "opened":
        return _("Case opened; verdict: %(verdict)s.") % {
            "verdict": _label(Verdict, d.get("verdict"))
        }
    if kind == "observation":
        return _("New identification; verdict: %(verdict)s.") % {
            "verdict": _label(Verdict, d.get("verdict"))
        }
    if kind == "assessed":
        return _("Assessment recorded; risk level: %(risk)s.") % {
            "risk": _label(RiskLevel, d.get("risk_level"))
        }
    if kind == "status":
        return _("Status changed from “%(old)s” to “%(new)s”.") % {
            "old": _label(CaseStatus, d.get("from")),
            "new": _label(CaseStatus, d.get("to")),
        }
    if kind == "assigned":
        return _("Case assigned to %(user)s.") % {"user": d.get("to", "")}
    if kind == "consent":
        return _("Consent recorded: child %(child)s, guardian %(guardian)s.") % {
            "child": _yes_no(d.get("child")),
            "guardian": _yes_no(d.get("guardian")),
        }
    if kind == "referral_sent" and d.get("urgent"):
        return _("Referred at once to %(provider)s for: %(service)s (child removed from work).") % {
            "provider": d.get("provider", ""),
            "service": _label(ServiceType, d.get("service")),
        }
    if kind == "referral_sent":
        return _("Referred to %(provider)s for: %(service)s.") % {
            "provider": d.get("provider", ""),
            "service": _label(ServiceType, d.get("service")),
        }
    if kind == "referral_accepted":
        return _("The provider accepted the referral.")
    if kind == "referral_refused":
        return _("The provider refused the referral: %(reason)s") % {"reason": d.get("reason", "")}
    if kind == "referral_delivered":
        return _("Service delivered on %(day)s.") % {"day": _day(d.get("on", ""))}
    if kind == "monitoring_started":
        text = _("Monitoring started.")
        return f"{text} {d['note']}" if d.get("note") else text
    if kind == "removed":
        if d.get("unreferred"):
            return _(
                "Removed from work at once by the labour inspection; no child protection "
                "unit of the directory covers this commune: refer the child now."
            )
        return _("Removed from work at once by the labour inspection.")
    if kind == "follow_up":
        return _("Follow-up visit; verdict: %(verdict)s; in school or training: %(school)s.") % {
            "verdict": _label(Verdict, d.get("verdict")),
            "school": _yes_no(d.get("in_school_or_training")),
        }
    if kind == "closure_requested":
        return _("Closure requested: %(reason)s.") % {
            "reason": _label(ClosureReason, d.get("reason"))
        }
    if kind == "closed":
        return _("Case closed: %(reason)s.") % {"reason": _label(ClosureReason, d.get("reason"))}
    if kind == "transferred_to":
        return _("Transferred to %(organisation)s.") % {"organisation": _organisation(d)}
    if kind == "transferred_from":
        return _("Transferred from %(organisation)s (case #%(case)s).") % {
            "organisation": _organisation(d),
            "case": d.get("case", ""),
        }
    if kind == "merged_in":
        return _(
            "Another record of the same child (case #%(case)s) was merged into this one: "
            "its referrals and visits are here now."
        ) % {"case": d.get("case", "")}
    if kind == "merged_out":
        return _("Closed: the child's record was merged into another (case #%(case)s).") % {
            "case": d.get("case", "")
        }
    if kind == "unmerged":
        return _("The merge of two records was undone: each case has its own records again.")
    if kind == "closure_rejected":
        text = _("Closure refused (%(reason)s).") % {
            "reason": _label(ClosureReason, d.get("reason"))
        }
        return f"{text} {d['note']}" if d.get("note") else text
    return kind.replace("_", " ")
