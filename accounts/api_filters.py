"""Pagination and query-parameter handling for every list: strict, so a typo is a 400, never 'everything'."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters
from rest_framework.pagination import PageNumberPagination

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
                {self.page_size_query_param: [f"Must be a whole number from 1 to {self.max_page_size}."]}
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
                            f"Cannot order by {', '.join(unknown)}. Allowed: {', '.join(sorted(valid))}."
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)
