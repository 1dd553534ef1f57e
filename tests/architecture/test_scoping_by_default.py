"""Scoping by default: every API view that returns model rows takes them from a selector given the viewer
(``accounts.api_base.ScopedQuerysetMixin``), and ``ScopedRouter`` refuses to route a viewset without one, so a new
endpoint cannot forget the tenant scope."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import generics, viewsets

from accounts.api_base import ScopedReadOnlyViewSet, ScopedRouter, scoped
from houses.models import House

from .routes import api_view_classes

# Generic API views that return no rows of a model, each with why.
ROWLESS = {
    "accounts.api.CurrentOrganizationView": "the viewer's own organization (get_object), never a list or an id",
}


def _name(view) -> str:
    return f"{view.__module__}.{view.__qualname__}"


def views_without_a_selector(views) -> list[str]:
    """The generic views and viewsets among ``views`` (they return model rows) that have no ``selector``."""
    return sorted(
        _name(view)
        for view in views
        if issubclass(view, generics.GenericAPIView)
        and _name(view) not in ROWLESS
        and getattr(view, "selector", None) is None
    )


def test_every_routed_view_that_returns_rows_takes_them_from_a_selector():
    missing = views_without_a_selector(api_view_classes())
    assert not missing, "set `selector = staticmethod(...)` or `selector = scoped(Model)`:\n" + "\n".join(missing)


def test_every_view_left_without_a_selector_is_still_routed():
    assert set(ROWLESS) <= {_name(view) for view in api_view_classes()}


def test_the_api_routes_its_viewsets_through_the_scoped_router():
    from config import api_urls

    assert isinstance(api_urls.router, ScopedRouter)


class _Unscoped(ScopedReadOnlyViewSet):
    queryset = House.objects.all()


class _Scoped(ScopedReadOnlyViewSet):
    queryset = House.objects.all()
    selector = scoped(House)


def test_the_scoped_router_refuses_a_viewset_without_a_selector():
    with pytest.raises(ImproperlyConfigured, match="_Unscoped has no selector"):
        ScopedRouter().register("throwaway", _Unscoped, basename="throwaway")


def test_the_scoped_router_routes_a_viewset_with_a_selector():
    router = ScopedRouter()
    router.register("throwaway", _Scoped, basename="throwaway")
    assert [prefix for prefix, _viewset, _basename in router.registry] == ["throwaway"]


def test_a_routed_viewset_without_a_selector_is_named():
    assert views_without_a_selector([_Unscoped, _Scoped]) == [f"{__name__}._Unscoped"]


def test_a_plain_view_returns_no_rows_and_needs_no_selector():
    class Plain(viewsets.ViewSet):
        pass

    assert views_without_a_selector([Plain]) == []
