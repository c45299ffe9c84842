"""Every read of linkage records, in the user's scope (see ``cases.selectors``).

A case supervisor reviews the probable duplicates among the children of their own
organisation within their territory: both children of a pair must be visible to
them. Everybody else sees no pair. Whoever identifies a child is shown the children
already known, in their own scope, who may be the same child.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import QuerySet

from himaya.accounts.models import OrganisationKind, Role, User
from himaya.cases.models import Child
from himaya.cases.selectors import child_visible_to, territory_filter
from himaya.core.errors import NotFound
from himaya.geography.models import Commune
from himaya.linkage.inputs import COLUMNS, clean, prepare
from himaya.linkage.model import COMPARISONS, score_new
from himaya.linkage.models import (
    CandidateStatus,
    ChildMerge,
    DuplicateCandidate,
    LinkageRun,
    RunStatus,
)

#: The linkage sources of the records of each kind of organisation.
SOURCE_OF_KIND: dict[str, str] = {
    OrganisationKind.INSPECTORATE.value: "inspection",
    OrganisationKind.ASSOCIATION.value: "association",
    OrganisationKind.SCHOOL.value: "school",
    OrganisationKind.SOCIAL_PROTECTION.value: "rsu",
}

#: How many of the children already known are shown while identifying one, and how
#: probably the same child each must be (a looser bar than the model's clusters:
#: the person identifying the child judges).
CANDIDATES_SHOWN = 5
CANDIDATE_PROBABILITY = 0.2


def is_reviewer(user: Any) -> bool:
    """Case supervisors review the probable duplicates of their organisation."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.SUPERVISOR
        and user.organisation_id is not None
    )


def candidate_visible_to(user: User) -> QuerySet[DuplicateCandidate]:
    if not is_reviewer(user):
        return DuplicateCandidate.objects.none()
    code = user.territory_code
    return DuplicateCandidate.objects.filter(
        territory_filter(code, "child_a__"),
        territory_filter(code, "child_b__"),
        organisation_id=user.organisation_id or 0,
    )


def review_queue(*, user: User) -> QuerySet[DuplicateCandidate]:
    """The open pairs in scope, most probable first; none of a child merged since."""
    return (
        candidate_visible_to(user)
        .filter(
            status=CandidateStatus.OPEN,
            child_a__merged_into__isnull=True,
            child_b__merged_into__isnull=True,
        )
        .select_related("child_a", "child_b", "child_a__commune", "child_b__commune")
        .order_by("-probability", "id")
    )


def candidate_get_for_user(*, user: User, candidate_id: int) -> DuplicateCandidate:
    try:
        return (
            candidate_visible_to(user)
            .select_related(
                "child_a__household", "child_b__household", "child_a__commune", "child_b__commune"
            )
            .get(pk=candidate_id)
        )
    except DuplicateCandidate.DoesNotExist as missing:
        raise NotFound() from missing


def merge_visible_to(user: User) -> QuerySet[ChildMerge]:
    if not is_reviewer(user):
        return ChildMerge.objects.none()
    code = user.territory_code
    return ChildMerge.objects.filter(
        territory_filter(code, "survivor__"),
        territory_filter(code, "merged__"),
        organisation_id=user.organisation_id or 0,
    )


def merge_get_for_user(*, user: User, merge_id: int) -> ChildMerge:
    try:
        return merge_visible_to(user).select_related("survivor", "merged").get(pk=merge_id)
    except ChildMerge.DoesNotExist as missing:
        raise NotFound() from missing


def recent_merges(*, user: User, limit: int = 20) -> list[ChildMerge]:
    return list(merge_visible_to(user).select_related("survivor", "merged")[:limit])


def latest_run() -> LinkageRun | None:
    return LinkageRun.objects.order_by("-created_at", "-id").first()


def run_get(*, run_id: int) -> LinkageRun:
    """Runs hold no child's data: any reviewer may follow one."""
    try:
        return LinkageRun.objects.get(pk=run_id)
    except LinkageRun.DoesNotExist as missing:
        raise NotFound() from missing


def current_model() -> dict[str, Any] | None:
    """The model trained by the latest run that ended well, if any."""
    run = (
        LinkageRun.objects.filter(status=RunStatus.DONE, model__isnull=False)
        .order_by("-finished_at", "-id")
        .only("model")
        .first()
    )
    return run.model if run is not None else None


# --- Children as linkage records -------------------------------------------------------


def linkage_records(children: QuerySet[Child]) -> pl.DataFrame:
    """The children as records of :mod:`himaya.linkage.inputs` (checked, not prepared):
    ``record_id`` is the child's id; the household gives the guardian's CNIE and the
    RSU number, the organisation's kind the source. An estimated birth date counts by
    its year only."""
    rows = children.values_list(
        "pk",
        "organisation__kind",
        "first_name_ar",
        "family_name_ar",
        "first_name_latin",
        "family_name_latin",
        "sex",
        "birth_date",
        "birth_date_estimated",
        "commune_id",
        "massar_code",
        "household__guardian_cnie",
        "household__rsu_number",
    ).iterator(chunk_size=5000)
    records: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    for (pk, kind, fn_ar, sn_ar, fn_lat, sn_lat, sex, birth, estimated, commune, massar,
         cnie, rsu) in rows:  # fmt: skip
        values = {
            "record_id": str(pk),
            "source": SOURCE_OF_KIND.get(kind, kind),
            "first_name_ar": fn_ar,
            "family_name_ar": sn_ar,
            "first_name_lat": fn_lat,
            "family_name_lat": sn_lat,
            "sex": sex,
            "birth_date": str(birth.year) if estimated else birth.isoformat(),
            "birth_date_precision": "year" if estimated else "day",
            "commune_code": commune,
            "massar_code": massar,
            "guardian_cnie": cnie,
            "rsu_id": rsu,
        }
        for column in COLUMNS:
            records[column].append(values.get(column) or None)
    frame = pl.DataFrame(records, schema=dict.fromkeys(COLUMNS, pl.String))
    # Whatever a record holds that the linkage refuses (an old CNIE written
    # otherwise, say) is dropped from it, never the child.
    return clean(frame).frame if frame.height else frame


def explanation(pair: dict[str, Any]) -> dict[str, Any]:
    """The explanation of a scored pair: each comparison's weight and those that agreed."""
    return {
        "weights": {c: pair[f"weight_{c}"] for c in COMPARISONS},
        "agreeing": [a for a in (pair.get("agreeing") or "").split(";") if a],
    }


def identification_as_record(data: Any) -> dict[str, str | None]:
    """The child described by the identification form's data (valid or not) as a
    linkage record: an estimated birth date counts by its year only."""
    estimated = bool(data.get("birth_date_estimated"))
    birth = (data.get("birth_date") or "").strip()
    if estimated and len(birth) >= 4:
        birth = birth[:4]
    return {
        "first_name_ar": data.get("first_name_ar"),
        "family_name_ar": data.get("family_name_ar"),
        "first_name_lat": data.get("first_name_latin"),
        "family_name_lat": data.get("family_name_latin"),
        "sex": data.get("sex"),
        "birth_date": birth,
        "birth_date_precision": ("year" if estimated else "day") if birth else "",
        "commune_code": data.get("commune"),
        "massar_code": (data.get("massar_code") or "").upper(),
        "guardian_cnie": (data.get("guardian_cnie") or "").upper(),
        "rsu_id": data.get("rsu_number"),
    }


@dataclass(frozen=True)
class Candidate:
    """A child already known who may be the child being identified."""

    child: Child
    probability: float
    explanation: dict[str, Any]


def candidates_for_new_child(*, user: User, record: dict[str, str | None]) -> list[Candidate]:
    """The children in the user's scope (of the same province when the commune is
    given) whom the current model scores as possibly the child described by
    ``record`` (input columns of the linkage), most probable first. Nothing when no
    run has trained a model yet, or when the record says too little to compare."""
    model = current_model()
    if model is None:
        return []
    # The record comes from the user's organisation, as the children it recorded did.
    kind = user.organisation.kind if user.organisation is not None else ""
    source = {"source": SOURCE_OF_KIND.get(kind, kind)} if kind and not record.get("source") else {}
    new = clean(
        pl.DataFrame(
            [{c: record.get(c) or None for c in COLUMNS} | source | {"record_id": "new"}],
            schema=dict.fromkeys(COLUMNS, pl.String),
        )
    ).frame
    if new.height == 0:
        return []
    known = child_visible_to(user)
    commune = record.get("commune_code")
    if commune:
        known = known.filter(
            province_id__in=Commune.objects.filter(pk=commune).values("province_id")
        )
    existing = linkage_records(known)
    if existing.height == 0:
        return []
    pairs = score_new(model, prepare(new), prepare(existing), threshold=CANDIDATE_PROBABILITY)
    best = pairs.head(CANDIDATES_SHOWN).to_dicts()
    children = known.in_bulk([int(p["record_id_r"]) for p in best])
    return [
        Candidate(children[int(p["record_id_r"])], float(p["match_probability"]), explanation(p))
        for p in best
        if int(p["record_id_r"]) in children
    ]
