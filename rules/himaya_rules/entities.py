"""OpenFisca entity: the child observed. One observation is one person."""

from openfisca_core.entities import build_entity

Child = build_entity(
    key="child",
    plural="children",
    label="Child observed at work or in a survey",
    doc="One observation of one child, on the date `observed_on`.",
    is_person=True,
)

entities = [Child]
