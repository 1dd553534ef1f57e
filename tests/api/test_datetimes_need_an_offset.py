"""Issue 12, requirement 3 (one clock): the API takes a datetime only with its UTC offset, in every field of every
serializer and every datetime filter, and a refused time writes nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django import forms
from django.urls import URLResolver, get_resolver
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

import config.urls  # noqa: F401 - every API module imported, so every serializer class exists
from accounts.api_base import ViewerMixin
from accounts.api_datetimes import OffsetDateTimeField, OffsetDateTimeFormField
from accounts.models import AuditEntry
from residents.models import DrugTest
from tests.factories import admit

PROJECT_APPS = ("accounts", "houses", "residents", "billing", "reports", "compliance")
# Routes that act for nobody in particular: signing in, the schema and its docs, the API root.
NO_VIEWER = {"TokenView", "APIRootView", "SpectacularAPIView", "SpectacularSwaggerView", "SpectacularSwaggerSplitView"}


def _api_views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif prefix.startswith("api/"):
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if view is not None:
                    yield view

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda view: view.__qualname__)


def _writable_datetimes(serializer, path):
    """(path, field) for every writable datetime field of ``serializer``, nested serializers included."""
    if isinstance(serializer, type):
        serializer = serializer()
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer | serializers.ListField):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            if not field.read_only:
                yield from _writable_datetimes(field, f"{path}.{name}")
        elif isinstance(field, serializers.DateTimeField) and not field.read_only:
            yield f"{path}.{name}", field


def _is_serializer(thing) -> bool:
    if isinstance(thing, type):
        return issubclass(thing, serializers.BaseSerializer)
    return isinstance(thing, serializers.BaseSerializer)


def _name(thing) -> str:
    return thing.__name__ if isinstance(thing, type) else type(thing).__name__


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_writable_datetime_in_the_api_schema_requires_an_offset():
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    found = [component.object for component in generator.registry._components.values()]
    found = [thing for thing in found if _is_serializer(thing)]
    assert len(found) > 100  # the walk reached the whole API
    fields = [(path, field) for thing in found for path, field in _writable_datetimes(thing, _name(thing))]
    assert any(path.endswith(".collected_at") for path, _ in fields)
    assert [path for path, field in fields if not isinstance(field, OffsetDateTimeField)] == []


def test_every_serializer_the_api_defines_requires_an_offset_for_its_writable_datetimes():
    # The schema shows one serializer per operation; a viewset may pick others by role or action.
    classes = [cls for cls in _subclasses(serializers.BaseSerializer) if cls.__module__.startswith(PROJECT_APPS)]
    concrete = [cls for cls in classes if hasattr(cls, "Meta") or not issubclass(cls, serializers.ModelSerializer)]
    fields = [(path, field) for cls in concrete for path, field in _writable_datetimes(cls, cls.__qualname__)]
    assert any(path == "ResidentDrugTestSerializer.collected_at" for path, _ in fields)
    assert [path for path, field in fields if not isinstance(field, OffsetDateTimeField)] == []


def test_every_datetime_filter_of_the_api_requires_an_offset():
    checked, loose = [], []
    for view in _api_views():
        filterset = DjangoFilterBackend().get_filterset_class(view, getattr(view, "queryset", None))
        if filterset is None:
            continue
        for name, value in filterset.base_filters.items():
            if issubclass(value.field_class, forms.DateTimeField):
                checked.append(f"{view.__qualname__}.{name}")
                if not issubclass(value.field_class, OffsetDateTimeFormField):
                    loose.append(f"{view.__qualname__}.{name}")
    assert "DrillViewSet.held_after" in checked
    assert loose == []


def test_every_api_route_runs_on_the_organizations_clock():
    views = [view for view in _api_views() if view.__name__ not in NO_VIEWER]
    assert len(views) > 50
    assert [view.__qualname__ for view in views if not issubclass(view, ViewerMixin)] == []


# Behaviour: the drug test of issue 12, collected at 3 a.m. on November 1 (America/Chicago).


@pytest.fixture
def resident(operator, house):
    with time_machine.travel(datetime(2026, 9, 1, 15, tzinfo=UTC), tick=False):
        return admit(house, on=date(2026, 9, 1), legal_last_name="Okafor", actor=operator).resident


@pytest.fixture
def december():
    with time_machine.travel(datetime(2026, 12, 10, 18, tzinfo=UTC), tick=False):
        yield


def _drug_test(resident, collected_at):
    return {
        "resident": resident.pk,
        "collected_at": collected_at,
        "method": "urine_cup",
        "reason": "random",
        "panel": ["thc", "cocaine"],
        "result": "negative",
    }


@pytest.mark.usefixtures("december")
def test_a_drug_test_sent_without_an_offset_is_refused_and_nothing_is_written(api, manager, resident):
    audited = AuditEntry.objects.count()
    response = api(manager).post("/api/v1/drug-tests/", _drug_test(resident, "2026-11-01T03:00:00"), format="json")
    assert response.status_code == 400
    # The example is the time as sent, with the offset the organization's clock has then (CST, after the change).
    assert response.json() == {
        "collected_at": ["Give the time with its UTC offset, for example 2026-11-01T03:00:00-06:00."]
    }
    assert not DrugTest.objects.exists()
    assert AuditEntry.objects.count() == audited


@pytest.mark.usefixtures("december")
def test_a_drug_test_sent_with_its_offset_is_stored_on_november_first(api, manager, resident):
    response = api(manager).post(
        "/api/v1/drug-tests/", _drug_test(resident, "2026-11-01T03:00:00-05:00"), format="json"
    )
    assert response.status_code == 201, response.content
    assert DrugTest.objects.get().collected_at == datetime(2026, 11, 1, 8, tzinfo=UTC)
    # Shown back on the organization's clock: 2 a.m. CST, still November 1.
    assert response.json()["collected_at"] == "2026-11-01T02:00:00-06:00"
    november = api(manager).get("/api/v1/drug-tests/", {"collected_from": "2026-11-01", "collected_to": "2026-11-30"})
    assert [row["id"] for row in november.json()["results"]] == [response.json()["id"]]


@pytest.mark.usefixtures("december")
def test_a_time_in_utc_is_taken_as_utc(api, manager, resident):
    response = api(manager).post("/api/v1/drug-tests/", _drug_test(resident, "2026-11-01T08:00:00Z"), format="json")
    assert response.status_code == 201, response.content
    assert DrugTest.objects.get().collected_at == datetime(2026, 11, 1, 8, tzinfo=UTC)


@pytest.mark.usefixtures("december")
@pytest.mark.parametrize("value", ["2026-11-01", "2026-11-01 03:00", "2026-11-01T03:00:00.250"])
def test_any_datetime_without_an_offset_is_refused(api, manager, resident, value):
    response = api(manager).post("/api/v1/drug-tests/", _drug_test(resident, value), format="json")
    assert response.status_code == 400
    assert "UTC offset" in response.json()["collected_at"][0]
    assert not DrugTest.objects.exists()


def test_a_datetime_filter_without_an_offset_is_refused_with_the_parameters_name(api, operator):
    response = api(operator).get("/api/v1/drills/", {"held_after": "2026-11-01T03:00:00"})
    assert response.status_code == 400
    assert response.json() == {
        "held_after": [
            "Give the time with its UTC offset, for example 2026-11-01T03:00:00-05:00 (in a URL, write + as %2B)."
        ]
    }


def test_a_datetime_filter_with_its_offset_is_taken(api, operator):
    response = api(operator).get("/api/v1/drills/", {"held_after": "2026-11-01T03:00:00-06:00"})
    assert response.status_code == 200, response.content
