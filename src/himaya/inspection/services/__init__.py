"""Every change to the inspectorate's records: one function per business action,
transactional and audited, grouped by what it changes.

- ``establishments``: the register (``establishment_create``; the CSV import
  is ``inspection.imports``);
- ``import_jobs``: the CSV import run in the background, with its progress and
  report (``establishment_import_start``, ``establishment_import_run``);
- ``visits``: planning and recording visits, the children found;
- ``enforcement``: violations, formal notices, follow-ups, violation reports
  and their fines;
- ``evidence``: files attached to a visit.

Only labour inspectors and supervisors of an inspection office may change
these records, and only in their own territory (``selectors.is_inspection_staff``).
"""

from himaya.inspection.services.establishments import (
    NOT_INSPECTION_STAFF,
    EstablishmentIn,
    establishment_clean,
    establishment_create,
    ice_error,
    require_inspection_staff,
)

__all__ = [
    "NOT_INSPECTION_STAFF",
    "EstablishmentIn",
    "establishment_clean",
    "establishment_create",
    "ice_error",
    "require_inspection_staff",
]
