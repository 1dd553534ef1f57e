from django.db.models import Exists, OuterRef

from accounts.tenancy import TenantQuerySet
from residents.models import Stay


class ResidentScopedQuerySet(TenantQuerySet):
    """Billing rows follow the resident: a manager sees the money of every resident who has lived in one of their
    houses (so a resident's whole balance is explainable to them), a resident sees only their own."""

    resident_path = "resident"

    def visible_to(self, viewer):
        if not viewer.is_manager:
            return super().visible_to(viewer)
        lived_in_managed_house = Stay.objects.filter(resident=OuterRef(self.resident_path), house__staff=viewer)
        return self.filter(organization_id=viewer.organization_id).filter(Exists(lived_in_managed_house))

    def for_resident(self, qs, viewer):
        return qs.filter(**{f"{self.resident_path}__membership": viewer})
