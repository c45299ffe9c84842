"""The dashboard: counts, the bar charts and the map of regions; never a name."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from tests.workspace.conftest import identify, logged_in

from himaya.accounts.models import Role, User
from himaya.cases import services
from himaya.cases.models import Case
from himaya.geography.services import geography_load

NAMES = ("Youssef", "El Amrani", "يوسف", "العمراني", "Fatima", "Amrani")


def _identify_everywhere(world: Any) -> None:
    """Two open cases of the world's association (one overdue), one of another
    association, one far away (another territory); and one closed case."""
    overdue = world.identify().case
    Case.objects.filter(pk=overdue.pk).update(
        next_follow_up_on=services.today() - datetime.timedelta(days=5)
    )
    world.identify()
    world.identify(actor=world.other_org_worker)
    far = identify(world, actor=world.other_territory_worker, commune=world.far_commune)
    assert far.case.region_id == world.far_commune.region_id
    closed = world.identify(actor=world.other_org_worker).case
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_on=services.today())


def _figure(html: str, label: str) -> int:
    found = re.search(
        r'key-figures__value">(\d+)</span> <span class="key-figures__label">' + label, html
    )
    assert found, label
    return int(found.group(1))


def _bar(html: str, label: str) -> int:
    found = re.search(
        r'bar-chart__label">'
        + re.escape(label)
        + r'</span>.*?bar-chart__value"><span class="visually-hidden">: </span>(\d+)',
        html,
        re.S,
    )
    assert found, label
    return int(found.group(1))


def test_the_analyst_sees_counts_of_every_organisation_and_the_map(
    client: Client, world: Any
) -> None:
    _identify_everywhere(world)

    html = logged_in(client, world.analyst).get("/en/work/dashboard/").content.decode()

    assert _figure(html, "Cases") == 5
    assert _figure(html, "Open cases") == 4
    assert _figure(html, "Overdue follow-ups") == 1
    assert _bar(html, "Identified") == 4
    assert _bar(html, "Closed") == 1
    assert _bar(html, "Child labour") == 4
    assert _bar(html, "Hazardous work") == 0
    assert 'style="inline-size: 100.0%"' in html and 'style="inline-size: 25.0%"' in html
    # The map: one path per region of the small geography, and the table.
    for region in world.region, world.far_commune.region:
        assert re.search(rf'<path d="[^"]+" fill="#[0-9a-f]{{6}}" data-code="{region.code}"', html)
    assert "Open cases by region" in html
    near = f'<tr><th scope="row">{world.region.name_fr}</th><td>3</td></tr>'
    far = f'<tr><th scope="row">{world.far_commune.region.name_fr}</th><td>1</td></tr>'
    assert near in html and far in html
    assert "by province" not in html  # analysts: regions only
    for name in NAMES:
        assert name not in html


def test_the_supervisor_counts_only_its_own_organisation(client: Client, world: Any) -> None:
    _identify_everywhere(world)

    html = logged_in(client, world.supervisor).get("/en/work/dashboard/").content.decode()

    assert _figure(html, "Cases") == 2
    assert _figure(html, "Open cases") == 2
    assert _figure(html, "Overdue follow-ups") == 1
    assert _bar(html, "Identified") == 2
    # Its territory is the world's region: the other region has no figure.
    far_region = world.far_commune.region
    assert f'<tr><th scope="row">{far_region.name_fr}</th><td>no data</td></tr>' in html
    assert f'<tr><th scope="row">{world.region.name_fr}</th><td>2</td></tr>' in html
    # By province, within its region.
    assert "Open cases by province or prefecture" in html
    assert (
        f'<tr><th scope="row">{world.province.name_fr}</th><td class="number">2</td></tr>' in html
    )
    assert f'>{world.far_commune.province.name_fr}</th><td class="number">' not in html
    for name in NAMES:
        assert name not in html


def test_a_supervisor_of_a_province_sees_that_province(client: Client, world: Any) -> None:
    world.identify()
    supervisor = User.objects.create_user(
        username="province_supervisor",
        role=Role.SUPERVISOR,
        organisation=world.association,
        territory_code=world.province.code,
    )

    html = logged_in(client, supervisor).get("/en/work/dashboard/").content.decode()

    assert (
        f'<tr><th scope="row">{world.province.name_fr}</th><td class="number">1</td></tr>' in html
    )
    assert f'>{world.near_commune.province.name_fr}</th><td class="number">' not in html


def test_an_empty_dashboard(client: Client, world: Any) -> None:
    html = logged_in(client, world.analyst).get("/en/work/dashboard/").content.decode()

    assert _figure(html, "Cases") == 0
    assert _bar(html, "Identified") == 0
    assert 'style="inline-size: 0%"' in html


def test_the_map_has_the_twelve_regions_when_the_geography_is_loaded(
    client: Client, db: None
) -> None:
    geography_load()
    analyst = User.objects.create_user(username="analyst", role=Role.ANALYST)

    html = logged_in(client, analyst).get("/en/work/dashboard/").content.decode()

    assert len(re.findall(r'<path d="M[^"]+" fill="#[0-9a-f]{6}" data-code="\d\d"', html)) == 12
