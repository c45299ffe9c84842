"""The register of establishments: services, scope, pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.services import COMMUNE_OUT_OF_TERRITORY
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection import selectors
from himaya.inspection.models import Establishment
from himaya.inspection.services import EstablishmentIn
from himaya.inspection.services import establishments as services

VALID_ICE = "001561191000066"
OTHER_VALID_ICE = "002136093000040"


def _in(world: Any, **fields: Any) -> EstablishmentIn:
    values: dict[str, Any] = {
        "name": "Atelier Al Amal",
        "sector": "manufacturing",
        "commune": world.commune.code,
        "ice": VALID_ICE,
        "workers": 12,
    }
    values.update(fields)
    return EstablishmentIn(**values)


def _create(world: Any, actor: Any = None, **fields: Any) -> Establishment:
    return services.establishment_create(actor=actor or world.inspector, data=_in(world, **fields))


# --- Services -------------------------------------------------------------------------


def test_an_inspector_adds_an_establishment_to_the_office_register(world: Any) -> None:
    establishment = _create(world, ice="0015 6119 1000 066", contact_phone="06 12 34 56 78")

    assert establishment.office == world.inspectorate
    assert establishment.ice == VALID_ICE  # spaces taken out
    assert establishment.contact_phone == "0612345678"
    assert (establishment.region_id, establishment.province_id) == (
        world.commune.region_id,
        world.commune.province_id,
    )
    assert not establishment.informal
    entry = AuditEntry.objects.get(event=AuditEvent.ESTABLISHMENT_CREATED)
    assert (entry.actor, entry.object_id) == (world.inspector, str(establishment.pk))


def test_an_informal_workplace_has_no_ice_number(world: Any) -> None:
    assert _create(world, ice="").informal


@pytest.mark.parametrize(
    ("ice", "message"),
    [
        ("00156119100006", services.ICE_LENGTH),
        ("00156119100006A", services.ICE_DIGITS),
        ("001561191000067", services.ICE_CHECKSUM),
    ],
)
def test_a_bad_ice_number_is_refused_and_nothing_saved(world: Any, ice: str, message: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(world, ice=ice)
    assert refused.value.errors["ice"] == [message]
    assert not Establishment.objects.exists()


def test_every_bad_field_is_named(world: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(
            world,
            name="  ",
            sector="banking",
            commune="99.999.99.99",
            workers=-1,
            contact_phone="12",
        )
    assert set(refused.value.errors) == {"name", "sector", "commune", "workers", "contact_phone"}
    assert not Establishment.objects.exists()


def test_a_commune_outside_the_territory_is_refused(world: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(world, commune=world.far_commune.code)
    assert refused.value.errors["commune"] == [str(COMMUNE_OUT_OF_TERRITORY)]


def test_the_same_ice_number_twice_in_one_register_is_refused(world: Any, offices: Any) -> None:
    _create(world)
    with pytest.raises(InvalidInput) as refused:
        _create(world, name="Autre nom")
    assert refused.value.errors["ice"] == [str(services.ICE_TAKEN)]
    # Another office keeps its own register.
    _create(world, actor=offices.other_office_inspector)
    assert Establishment.objects.count() == 2


@pytest.mark.parametrize("who", ["worker", "supervisor", "provider", "analyst", "administrator"])
def test_only_inspection_staff_change_the_register(world: Any, who: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(world, actor=getattr(world, who))
    assert refused.value.status == 403
    assert not Establishment.objects.exists()


# --- Scope ----------------------------------------------------------------------------


def test_the_register_is_seen_by_its_office_within_its_territory(world: Any, offices: Any) -> None:
    establishment = _create(world)

    for user in (world.inspector, offices.inspection_supervisor):
        assert list(selectors.establishment_visible_to(user)) == [establishment]
        found = selectors.establishment_get_for_user(user=user, establishment_id=establishment.pk)
        assert found == establishment
    for user in (
        offices.other_office_inspector,  # another office
        offices.far_inspector,  # the same office, another territory
        world.worker,
        world.supervisor,  # a supervisor of an association
        world.provider,
        world.analyst,
        world.administrator,
    ):
        assert not selectors.establishment_visible_to(user).exists()
        with pytest.raises(NotFound):
            selectors.establishment_get_for_user(user=user, establishment_id=establishment.pk)


def test_the_list_filters_by_name_ice_sector_and_formality(world: Any) -> None:
    atelier = _create(world)
    ferme = _create(world, name="Ferme Bouchra", sector="agriculture", ice="")
    user = world.inspector

    def names(**filters: Any) -> list[str]:
        found = selectors.establishment_list_for_user(
            user=user, filters=selectors.EstablishmentFilters(**filters)
        )
        return [e.name for e in found]

    assert names() == [atelier.name, ferme.name]
    assert names(q="bouchra") == [ferme.name]
    assert names(q=VALID_ICE) == [atelier.name]
    assert names(sector="agriculture") == [ferme.name]
    assert names(informal=True) == [ferme.name]
    assert names(informal=False) == [atelier.name]


# --- Pages ----------------------------------------------------------------------------


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_register_pages_for_an_inspector(client: Client, world: Any) -> None:
    establishment = _create(world)
    _as(client, world.inspector)

    listing = client.get("/fr/inspection/establishments/").content.decode()
    assert establishment.name in listing and "1 établissement" in listing
    assert 'href="/fr/inspection/establishments/"' in client.get("/fr/work/").content.decode()
    page = client.get(f"/fr/inspection/establishments/{establishment.pk}/").content.decode()
    assert VALID_ICE in page and establishment.commune.name in page
    arabic = client.get(f"/ar/inspection/establishments/{establishment.pk}/").content.decode()
    assert 'dir="rtl"' in arabic
    # In Arabic too, the ICE number is typed left to right.
    form = client.get("/ar/inspection/establishments/new/").content.decode()
    ice_input = re.search(r'<input[^>]*name="ice"[^>]*>', form)
    assert ice_input and 'dir="ltr"' in ice_input.group(0)


def test_adding_an_establishment_through_the_page(client: Client, world: Any) -> None:
    _as(client, world.inspector)
    form = {
        "name": "Briqueterie Atlas",
        "ice": OTHER_VALID_ICE,
        "sector": "construction",
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "workers": "30",
    }
    response = client.post("/fr/inspection/establishments/new/", form)

    establishment = Establishment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/inspection/establishments/{establishment.pk}/"
    assert establishment.name == "Briqueterie Atlas" and establishment.workers == 30


def test_a_bad_establishment_form_says_what_is_wrong_and_saves_nothing(
    client: Client, world: Any
) -> None:
    _as(client, world.inspector)
    form = {
        "name": "",
        "ice": "001561191000067",
        "sector": "construction",
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "workers": "-3",
    }
    with translation.override("fr"):
        response = client.post("/fr/inspection/establishments/new/", form)
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="id_name_error"' in html and 'id="id_workers_error"' in html
    assert not Establishment.objects.exists()
    # The ICE check runs once the form's own checks pass.
    form.update(name="Briqueterie", workers="3")
    html = client.post("/fr/inspection/establishments/new/", form).content.decode()
    assert 'id="id_ice_error"' in html and "chiffres de contrôle" in html
    assert not Establishment.objects.exists()


@pytest.mark.parametrize("who", ["worker", "supervisor", "provider", "analyst", "administrator"])
def test_the_register_pages_are_not_found_for_others(client: Client, world: Any, who: str) -> None:
    establishment = _create(world)
    _as(client, getattr(world, who))
    for url in (
        "/fr/inspection/establishments/",
        f"/fr/inspection/establishments/{establishment.pk}/",
        "/fr/inspection/establishments/new/",
        "/fr/inspection/establishments/import/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_establishment_of_another_office_is_not_found(
    client: Client, world: Any, offices: Any
) -> None:
    establishment = _create(world)
    _as(client, offices.other_office_inspector)
    assert client.get(f"/fr/inspection/establishments/{establishment.pk}/").status_code == 404
    assert client.get("/fr/inspection/establishments/").context["page"].paginator.count == 0


def test_the_pages_need_a_login(client: Client, world: Any) -> None:
    response = client.get("/fr/inspection/establishments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_number_of_workers_beyond_the_column_and_nul_characters_are_refused(
    world: Any,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(world, workers=services.MAX_WORKERS + 1, name="Atelier\x00")
    assert refused.value.errors["workers"] == [str(services.WORKERS_TOO_MANY)]
    assert refused.value.errors["name"] == [str(services.NUL_CHARACTER)]


def test_an_ice_number_saved_meanwhile_by_someone_else_is_a_clear_error(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(world)
    # The check before saving does not see it (as if saved between check and save).
    monkeypatch.setattr(Establishment.objects, "filter", _nothing_taken)
    with pytest.raises(InvalidInput) as refused:
        _create(world, name="Autre")
    assert refused.value.errors["ice"] == [str(services.ICE_TAKEN)]
    assert Establishment.objects.count() == 1


def _nothing_taken(**_: Any) -> Any:
    return Establishment.objects.none()
