from accounts.tenancy import TenantQuerySet
from residents.core.selectors.nights import residents_housed_by


class ResidentScopedQuerySet(TenantQuerySet):
    """Billing rows follow the resident: a manager sees the money of every resident who has lived in one of their
    houses (so a resident's whole balance is explainable to them), a resident sees only their own."""

    resident_path = "resident"

    def visible_to(self, viewer):
        if not viewer.is_manager:
            return super().visible_to(viewer)
        lived_in_managed_house = residents_housed_by(viewer)
        return self.filter(organization_id=viewer.organization_id).filter(
            **{f"{self.resident_path}_id__in": lived_in_managed_house}
        )

    def for_resident(self, qs, viewer):
        return qs.filter(**{f"{self.resident_path}__membership": viewer})
