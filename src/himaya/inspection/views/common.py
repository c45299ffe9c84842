"""What every page of the labour inspectorate shares.

Pages are for the staff of an inspection office only; anybody else gets "not
found". Views are thin: reads through ``inspection.selectors`` (scope), changes
through ``inspection.services`` and ``inspection.imports``.
"""

from __future__ import annotations

from himaya.core.pages import only_for, page_user
from himaya.inspection import selectors

#: Pages for inspectors and supervisors of an inspection office; others: 404.
inspection_staff_required = only_for(selectors.is_inspection_staff)

#: The user of an inspection page.
user_of = page_user
