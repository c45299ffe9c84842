"""Changes to the inspectorate's register: one function per business action,
transactional and audited.

Only labour inspectors and supervisors of an inspection office may change the
register, and only in their own territory (``selectors.is_inspection_staff``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.ma import ice as ice_number

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.services import (
    COMMUNE_OUT_OF_TERRITORY,
    PHONE_FORMAT,
    PHONE_PATTERN,
    REQUIRED,
    UNKNOWN_CODE,
)
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.geography.models import Commune
from himaya.inspection.models import Establishment
from himaya.inspection.selectors import is_inspection_staff
from himaya_rules.codes import SECTORS

NOT_INSPECTION_STAFF = _(
    "Only labour inspectors and supervisors of an inspection office may do this."
)
ICE_LENGTH = _("An ICE number has 15 digits.")
ICE_DIGITS = _("An ICE number has digits only.")
ICE_CHECKSUM = _("This ICE number is not valid: its two check digits do not match.")
ICE_TAKEN = _("An establishment with this ICE number is already in your register.")
WORKERS_NEGATIVE = _("The number of workers cannot be negative.")
WORKERS_TOO_MANY = _("The number of workers is too large.")
NUL_CHARACTER = _("This text contains a character that is not allowed.")
MAX_WORKERS = 2_147_483_647  # the column's limit on every database
TOO_LONG = _("At most %(max)s characters.")


@dataclass
class EstablishmentIn:
    name: str
    sector: str
    commune: str
    ice: str = ""
    address: str = ""
    workers: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


def require_inspection_staff(actor: Any) -> int:
    """The actor's inspection office, or a refusal."""
    if not is_inspection_staff(actor) or actor.organisation_id is None:
        raise ApplicationError(NOT_INSPECTION_STAFF, code="forbidden", status=403)
    return int(actor.organisation_id)


def ice_error(value: str) -> Any:
    """The message for a bad ICE number, or None (blank is an informal workplace)."""
    if not value:
        return None
    try:
        ice_number.validate(value)
    except InvalidLength:
        return ICE_LENGTH
    except InvalidFormat:
        return ICE_DIGITS
    except InvalidChecksum:
        return ICE_CHECKSUM
    return None


def establishment_clean(
    *, actor: User, data: EstablishmentIn, communes: dict[str, Commune] | None = None
) -> tuple[EstablishmentIn, Commune | None, dict[str, list[Any]]]:
    """Normalised input, its commune, and every error by field (nothing is saved).

    ``communes`` (code → commune) spares one query a row when importing a file."""
    errors: dict[str, list[Any]] = {}
    data.name = " ".join(data.name.split())
    data.ice = re.sub(r"[\s.]", "", data.ice)
    data.address = " ".join(data.address.split())
    data.contact_name = " ".join(data.contact_name.split())
    data.contact_phone = re.sub(r"[\s.-]", "", data.contact_phone)
    if not data.name:
        errors["name"] = [REQUIRED]
    for field, limit in (("name", 200), ("address", 300), ("contact_name", 200)):
        if len(getattr(data, field)) > limit:
            errors.setdefault(field, []).append(TOO_LONG % {"max": limit})
    if (message := ice_error(data.ice)) is not None:
        errors["ice"] = [message]
    if not data.sector:
        errors["sector"] = [REQUIRED]
    elif data.sector not in SECTORS:
        errors["sector"] = [UNKNOWN_CODE % {"value": data.sector}]
    commune = None
    if data.commune and communes is not None:
        commune = communes.get(data.commune)
    elif data.commune:
        commune = Commune.objects.filter(code=data.commune).first()
    if not data.commune:
        errors["commune"] = [REQUIRED]
    elif commune is None:
        errors["commune"] = [UNKNOWN_CODE % {"value": data.commune}]
    elif not commune.lies_within(actor.territory_code):
        errors["commune"] = [COMMUNE_OUT_OF_TERRITORY]
    if data.workers is not None and data.workers < 0:
        errors["workers"] = [WORKERS_NEGATIVE]
    elif data.workers is not None and data.workers > MAX_WORKERS:
        errors["workers"] = [WORKERS_TOO_MANY]
    for field in ("name", "ice", "address", "contact_name", "contact_phone", "commune", "sector"):
        if "\x00" in getattr(data, field):
            errors[field] = [NUL_CHARACTER]
    if data.contact_phone and not PHONE_PATTERN.fullmatch(data.contact_phone):
        errors["contact_phone"] = [PHONE_FORMAT]
    return data, commune, errors


def establishment_build(
    actor: User, office_id: int, data: EstablishmentIn, commune: Commune
) -> Establishment:
    """An unsaved establishment from cleaned input (the import saves many at once)."""
    establishment = Establishment(
        office_id=office_id,
        name=data.name,
        ice=data.ice,
        sector=data.sector,
        address=data.address,
        workers=data.workers,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        created_by=actor,
    )
    establishment.place_at(commune)
    return establishment


@transaction.atomic
def establishment_create(*, actor: User, data: EstablishmentIn) -> Establishment:
    office_id = require_inspection_staff(actor)
    data, commune, errors = establishment_clean(actor=actor, data=data)
    if data.ice and not errors.get("ice"):
        taken = Establishment.objects.filter(office_id=office_id, ice=data.ice)
        if taken.exists():
            errors["ice"] = [ICE_TAKEN]
    if errors or commune is None:
        raise InvalidInput(errors)
    establishment = establishment_build(actor, office_id, data, commune)
    try:
        with transaction.atomic():
            establishment.save()
    except IntegrityError:  # the same ICE saved by someone else in the meantime
        raise InvalidInput({"ice": [ICE_TAKEN]}) from None
    audit_record(event=AuditEvent.ESTABLISHMENT_CREATED, actor=actor, obj=establishment)
    return establishment
