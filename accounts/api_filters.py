"""Pagination and query-parameter handling for every list: strict, so a typo is a 400, never 'everything'."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters
from rest_framework.pagination import PageNumberPagination

from .dates import attach_sane_date_validator

GLOBAL_QUERY_PARAMS = frozenset({"page", "page_size", "format"})


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(most)s.") % {"most": self.max_page_size}
                    ]
                }
            )
        return size


class StrictQueryParams(filters.BaseFilterBackend):
    """Rejects query parameters a list does not understand, so a typo never silently returns everything."""

    def filter_queryset(self, request, queryset, view):
        allowed = set(GLOBAL_QUERY_PARAMS) | set(getattr(view, "extra_query_params", ()))
        if getattr(view, "search_fields", None):
            allowed.add(filters.SearchFilter.search_param)
        if getattr(view, "ordering_fields", None):
            allowed.add(filters.OrderingFilter.ordering_param)
        filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        errors = {}
        for name, values in request.query_params.lists():
            if name not in allowed:
                errors[name] = ["Unknown filter. Allowed: " + ", ".join(sorted(allowed)) + "."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Null characters are not allowed."]
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset


class StrictSearchFilter(filters.SearchFilter):
    pass


class StrictOrderingFilter(filters.OrderingFilter):
    """Like DRF's ordering, but an unknown field is a 400 instead of being ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            terms = [term.strip() for term in params.split(",") if term.strip()]
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [term for term in terms if term.lstrip("-") not in valid]
            if unknown:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot order by %(unknown)s. Allowed: %(allowed)s.")
                            % {"unknown": ", ".join(unknown), "allowed": ", ".join(sorted(valid))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with every date and datetime a filter takes held to the years 1900 to 2200
    (``accounts.dates``), whichever filter class reads it."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    attach_sane_date_validator(field)
        return filterset


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false`` (or ``1``/``0``); anything else is an error rather than "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    """The API's yes/no filter: django-filter's own ignores a typo (``?open=ture`` returned everything)."""

    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """The API's filter by a related row's id, among the rows the viewer may see (``visible_to``, or ``scope``).

    An id from another organization, or of a house a manager does not run, is refused exactly like one that does
    not exist (400 "Select a valid choice"), so the answer never tells whether it exists elsewhere."""

    def __init__(self, model=None, *, scope=None, **kwargs):
        self.related_model = model  # a model or "app_label.Model"; django-filter sets ``model`` to the list's own
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self, request):
        model = self.related_model
        model = apps.get_model(model) if isinstance(model, str) else model
        viewer = getattr(request, "viewer", None)
        if not viewer:
            return model.objects.none()
        if self.scope is not None:
            return self.scope(viewer)
        return model.objects.visible_to(viewer)


def organization_users(viewer):
    """People who are or were members of the viewer's organization (an audit entry's actor, a note's author); someone
    only invited is not one, and filtering by them is refused like an unknown id."""
    return (
        get_user_model()
        .objects.filter(memberships__organization_id=viewer.organization_id, memberships__accepted_at__isnull=False)
        .distinct()
    )


def _related_model(field) -> dict:
    return {"model": field.remote_field.model}


class FilterSet(django_filters.FilterSet):
    """The API's filter sets: a relation or a yes/no named in ``Meta.fields`` gets the scoped and strict filters
    above, as the declared ones do."""

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": ScopedModelChoiceFilter, "extra": _related_model},
        models.OneToOneField: {"filter_class": ScopedModelChoiceFilter, "extra": _related_model},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


# A view that names ``filterset_fields`` instead of a class gets the strict filters too.
StrictFilterBackend.filterset_base = FilterSet
