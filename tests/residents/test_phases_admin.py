"""The admin shows phases, phase history, sign-outs and passes; only phases are edited there."""

from datetime import date

import pytest
from django.apps import apps

from accounts.models import User
from tests.factories import admit

from .phases_factories import approved_pass, local, log_out, make_phases


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x", full_name="Root"))
    return client


@pytest.fixture
def records(organization, house, operator, manager):
    make_phases(organization)
    stay = admit(house, actor=operator, on=date(2026, 1, 5))
    log_out(stay, actor=manager, out_at=local(organization, date(2026, 3, 3), 19))
    approved_pass(stay, actor=manager, leave_on=date(2026, 3, 6), return_on=date(2026, 3, 7), override=True, reason="x")
    return stay


@pytest.mark.parametrize("model", ["phase", "phasechange", "signout", "overnightpass"])
def test_each_list_and_record_opens_in_the_admin(admin_client, records, model):
    pk = apps.get_model("residents", model).objects.first().pk
    assert admin_client.get(f"/admin/residents/{model}/").status_code == 200
    assert admin_client.get(f"/admin/residents/{model}/{pk}/change/").status_code == 200


@pytest.mark.parametrize("model", ["phasechange", "signout", "overnightpass"])
def test_history_cannot_be_added_or_deleted_in_the_admin(admin_client, records, model):
    pk = apps.get_model("residents", model).objects.first().pk
    assert admin_client.get(f"/admin/residents/{model}/add/").status_code == 403
    assert admin_client.get(f"/admin/residents/{model}/{pk}/delete/").status_code == 403
