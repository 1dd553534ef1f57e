"""The admin shows a resident's stays, an application's history and a rule's versions inline, read-only."""

from datetime import date

import pytest

from accounts.models import User
from residents.core.services.applications import application_create
from tests.factories import admit

from .rules_factories import house_rule


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x", full_name="Root"))
    return client


def _inline_is_read_only(page, prefix, field):
    """The inline lists the row, with no input to change ``field`` nor a box to delete the row."""
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="{prefix}-group"' in html
    assert f'name="{prefix}-0-id"' in html
    assert f'name="{prefix}-0-{field}"' not in html
    assert f'name="{prefix}-0-DELETE"' not in html


def test_a_residents_stays_show_read_only_in_the_admin(admin_client, house, operator):
    stay = admit(house, actor=operator, on=date(2026, 1, 5))
    page = admin_client.get(f"/admin/residents/resident/{stay.resident_id}/change/")
    _inline_is_read_only(page, "stays", "move_in")


def test_an_applications_history_shows_read_only_in_the_admin(admin_client, manager):
    application = application_create(
        actor=manager, first_name="J", last_name="B", phone="1", applied_on=date(2026, 2, 1)
    )
    page = admin_client.get(f"/admin/residents/application/{application.pk}/change/")
    _inline_is_read_only(page, "events", "note")


def test_a_house_rules_versions_show_read_only_in_the_admin(admin_client, manager, house):
    rule = house_rule(manager, house)
    page = admin_client.get(f"/admin/residents/houserule/{rule.pk}/change/")
    _inline_is_read_only(page, "versions", "text")
