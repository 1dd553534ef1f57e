from accounts.tenancy import TenantQuerySet
from residents.core.selectors.nights import homes_of


class MemberScopedQuerySet(TenantQuerySet):
    """Rows of a peer-run house: the organization's operators see them all, a member sees their own house's (the one
    they sleep in tonight), managers none (a peer-run house has no manager)."""

    def visible_to(self, viewer):
        if viewer.is_manager:
            return self.none()
        return super().visible_to(viewer)

    def for_resident(self, qs, viewer):
        return qs.filter(**{f"{self.house_path}__in": homes_of(viewer)})
