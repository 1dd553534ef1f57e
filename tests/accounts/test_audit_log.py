import pytest

from accounts.models import AuditEntry
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def entry(db):
    organization = OrganizationFactory()
    return AuditEntry.objects.create(
        actor=UserFactory(), organization=organization, action="view", object_type="residents.drugtest", object_id="1"
    )


def test_an_audit_entry_cannot_be_changed(entry):
    entry.detail = "edited"
    with pytest.raises(PermissionError):
        entry.save()


def test_an_audit_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_audit_log_cannot_be_bulk_updated_or_deleted(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(detail="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_admin_offers_no_way_to_add_change_or_delete_entries(admin_client, entry):
    assert admin_client.get("/admin/accounts/auditentry/").status_code == 200
    assert admin_client.get("/admin/accounts/auditentry/add/").status_code == 403
    assert admin_client.get(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    # The admin shows no delete page for an entry, so there is no form to submit: the request is crafted.
    response = admin_client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
