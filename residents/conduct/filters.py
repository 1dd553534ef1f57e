"""Query-parameter filters for grievances."""

import django_filters

from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.api_local_dates import LocalDateFilter
from residents.models import Grievance


class GrievanceFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Grievance.Status.choices)
    about = django_filters.ChoiceFilter(choices=Grievance.About.choices)
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter("residents.Resident")
    filed_after = LocalDateFilter(field_name="filed_at", lookup_expr="gte")
    filed_before = LocalDateFilter(field_name="filed_at", lookup_expr="lte")

    class Meta:
        model = Grievance
        fields = ["status", "about", "house", "resident", "filed_after", "filed_before"]
