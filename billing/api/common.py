"""Pieces the billing endpoints share: query-parameter validation, the resident or house a request is about."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.api_base import StrictSerializer
from accounts.api_filters import GLOBAL_QUERY_PARAMS
from houses.models import House
from houses.selectors import house_in_scope
from residents.models import Resident

MAX_ID = 2**63 - 1
RESIDENT_NAME_SEARCH = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]


def money(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def read_query(serializer_class: type[StrictSerializer], request) -> dict:
    """Validates a GET endpoint's query parameters (unknown ones are a 400 naming them)."""
    params = {key: value for key, value in request.query_params.items() if key not in GLOBAL_QUERY_PARAMS}
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def resident_in_scope(request, resident_id: int | None) -> Resident:
    """The resident a request is about: a resident's own self; for staff, the ``resident`` they name.

    Anyone outside the viewer's scope (another organization's, another house's, another resident) is a 404.
    """
    viewer = request.viewer
    if viewer.is_resident:
        own = Resident.objects.filter(membership=viewer).select_related("organization").first()
        if own is None or (resident_id is not None and resident_id != own.pk):
            raise Http404
        return own
    if resident_id is None:
        raise serializers.ValidationError({"resident": [_("Staff must name the resident.")]})
    resident = Resident.objects.visible_to(viewer).filter(pk=resident_id).select_related("organization").first()
    if resident is None:
        raise Http404
    return resident


def optional_house_in_scope(request, house_id: int | None) -> House | None:
    """A report's optional house filter: none, or a house the viewer may see (houses.selectors.house_in_scope)."""
    return None if house_id is None else house_in_scope(request, house_id)
