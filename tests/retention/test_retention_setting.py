"""Operators set how many years sensitive records are kept after a discharge: on the settings page and through the
organization endpoint; 1 to 50 years, or empty to keep them in view for good."""

import pytest

from accounts.exceptions import Invalid
from accounts.models import AuditEntry, Organization
from accounts.services import organization_update

SETTINGS = "/dashboard/settings/"
FIELD = "sensitive_records_kept_years"


def _years(organization):
    return Organization.objects.get(pk=organization.pk).sensitive_records_kept_years


def test_an_operator_sets_the_years_on_the_settings_page(page, operator, organization):
    response = page(operator).submit(SETTINGS, {FIELD: "7"}, follow=True)
    assert "Organization settings saved." in response.content.decode()
    assert _years(organization) == 7


def test_emptying_the_years_on_the_settings_page_keeps_records_in_view(page, operator, organization):
    organization.sensitive_records_kept_years = 7
    organization.save()
    page(operator).submit(SETTINGS, {FIELD: ""})
    assert _years(organization) is None


@pytest.mark.parametrize("years", ["0", "51", "-3", "seven"])
def test_years_outside_1_to_50_are_refused_beside_the_field_and_nothing_saved(page, operator, organization, years):
    response = page(operator).submit(SETTINGS, {FIELD: years})
    assert response.status_code == 400
    assert f'id="id_{FIELD}_error"' in response.content.decode()
    assert _years(organization) is None


def test_an_operator_sets_the_years_through_the_api(api, operator, organization):
    response = api(operator).patch("/api/v1/organization/", {FIELD: 10}, format="json")
    assert (response.status_code, response.json()[FIELD]) == (200, 10)
    assert _years(organization) == 10


@pytest.mark.parametrize("years", [0, 51])
def test_the_api_refuses_years_outside_1_to_50_and_names_the_field(api, operator, organization, years):
    response = api(operator).patch("/api/v1/organization/", {FIELD: years}, format="json")
    assert response.status_code == 400
    assert FIELD in str(response.json())
    assert _years(organization) is None


def test_a_manager_cannot_set_the_years_through_the_api(api, manager, organization):
    assert api(manager).patch("/api/v1/organization/", {FIELD: 3}, format="json").status_code == 403
    assert _years(organization) is None


def test_the_service_refuses_years_outside_1_to_50(operator):
    with pytest.raises(Invalid):
        organization_update(actor=operator, sensitive_records_kept_years=51)


def test_changing_the_years_on_the_settings_page_is_audited_with_old_and_new_value(page, operator, organization):
    organization.sensitive_records_kept_years = 5
    organization.save()
    page(operator).submit(SETTINGS, {FIELD: "7"})
    entry = AuditEntry.objects.get(action="update", object_type="accounts.organization")
    assert (entry.actor, entry.object_id) == (operator.user, str(organization.pk))
    assert entry.detail == f"changed: {FIELD}; {FIELD}: 5 years -> 7 years"


def test_emptying_the_years_through_the_api_is_audited(api, operator, organization):
    organization.sensitive_records_kept_years = 5
    organization.save()
    api(operator).patch("/api/v1/organization/", {FIELD: None}, format="json")
    entry = AuditEntry.objects.get(action="update", object_type="accounts.organization")
    assert entry.detail.endswith(f"{FIELD}: 5 years -> kept for good")


def test_saving_the_same_years_again_writes_no_audit_entry(page, operator, organization):
    organization.sensitive_records_kept_years = 7
    organization.save()
    page(operator).submit(SETTINGS, {FIELD: "7"})
    assert not AuditEntry.objects.filter(action="update", object_type="accounts.organization").exists()
