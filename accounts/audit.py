"""The audit trail of sensitive data (drug tests, incidents, resident notes, certification documents).

Every read (list or detail, API, page or admin) and every change of such data by staff writes an append-only
``AuditEntry``: who, which organization, which object, what they did, when, from which address and path.
"""

from django.db.models import Model

from .models import AuditEntry, Membership
from .throttling import client_address

Action = AuditEntry.Action


def client_ip(request) -> str | None:
    # The same address the sign-in limits see: X-Forwarded-For is read only as far as TRUSTED_PROXY_COUNT allows.
    return client_address(request)


def _label(model) -> str:
    return model._meta.label_lower


def record(
    *,
    request,
    viewer: Membership,
    action: str,
    model: type[Model],
    object_ids=(),
    detail: str = "",
) -> AuditEntry | None:
    """Writes one audit entry. Reads by residents of their own records are not audited (they are not staff)."""
    if not viewer or not viewer.is_staff_member:
        return None
    ids = [str(pk) for pk in object_ids]
    return AuditEntry.objects.create(
        actor=request.user,
        organization_id=viewer.organization_id,
        action=action,
        object_type=_label(model),
        object_id=ids[0] if len(ids) == 1 and action != Action.LIST else "",
        object_count=len(ids),
        ip_address=client_ip(request),
        path=request.get_full_path()[:500],
        detail=detail or (", ".join(ids) if action == Action.LIST else ""),
    )


class AuditedViewSetMixin:
    """For viewsets over sensitive models: lists, retrievals, creations and updates by staff are audited."""

    def _audit(self, action, objects, detail=""):
        record(
            request=self.request,
            viewer=self.request.viewer,
            action=action,
            model=self.get_queryset().model,
            object_ids=[obj.pk for obj in objects],
            detail=detail,
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data) if isinstance(response.data, dict) else response.data
        ids = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
        record(
            request=request, viewer=request.viewer, action=Action.LIST, model=self.get_queryset().model, object_ids=ids
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit(Action.VIEW, [self.get_object()])
        return response

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._audit(Action.CREATE, [serializer.instance])

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._audit(
            Action.UPDATE, [serializer.instance], detail="changed: " + ", ".join(sorted(serializer.validated_data))
        )


class AuditedAdminMixin:
    """For admin classes of sensitive models: the change list and each change form are audited reads."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        rows = getattr(getattr(response, "context_data", {}).get("cl"), "result_list", [])
        by_organization = {}
        for obj in rows:
            by_organization.setdefault(self.organization_id_of(obj), []).append(obj.pk)
        for organization_id, ids in by_organization.items():
            _admin_record(request, organization_id, Action.LIST, self.model, ids)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            action = Action.UPDATE if request.method == "POST" else Action.VIEW
            _admin_record(request, self.organization_id_of(obj), action, self.model, [obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def organization_id_of(self, obj) -> int:
        return obj.organization_id


def _admin_record(request, organization_id, action, model, ids):
    # Site administrators may hold no membership; the entry still names them and the organization whose data it was.
    AuditEntry.objects.create(
        actor=request.user,
        organization_id=organization_id,
        action=action,
        object_type=_label(model),
        object_id=str(ids[0]) if len(ids) == 1 and action != Action.LIST else "",
        object_count=len(ids),
        ip_address=client_ip(request),
        path=request.get_full_path()[:500],
        detail=", ".join(str(pk) for pk in ids) if action == Action.LIST else "",
    )
