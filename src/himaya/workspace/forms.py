"""Forms of the referral page. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.cases.models import ReferralStatus
from himaya.core.errors import InvalidInput


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(ReferralStatus.choices),
        required=False,
    )


class RefuseForm(forms.Form):
    # Not required here: the service refuses a blank reason (one rule, one place).
    reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Date the service was delivered"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("What was delivered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def show_errors(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's field errors beside the form's fields (others above the form)."""
    for name, messages in error.errors.items():
        form.add_error(name if name in form.fields else None, messages)
