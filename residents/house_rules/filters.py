"""Query-parameter filters for house rules, rule sets, signatures and grievances."""

from datetime import datetime, time, timedelta

import django_filters
from django_filters.constants import EMPTY_VALUES

from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from residents.models import Grievance, HouseRule, Resident, RuleAcknowledgement, RuleCategory, RuleSet


class LocalDateFilter(django_filters.DateFilter):
    """A day in the organization's time zone, compared with a timestamp: ``after`` keeps rows from the start of
    that day, ``before`` keeps rows through the end of it (both ends inclusive)."""

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        start = datetime.combine(value, time.min, tzinfo=self.parent.request.viewer.organization.tzinfo)
        if self.bound == "after":
            return qs.filter(**{f"{self.field_name}__gte": start})
        return qs.filter(**{f"{self.field_name}__lt": start + timedelta(days=1)})


class HouseRuleFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", label="A house's own rules")
    organization_wide = StrictBooleanFilter(field_name="house", lookup_expr="isnull")
    category = django_filters.ChoiceFilter(field_name="category", choices=RuleCategory.choices)
    is_active = StrictBooleanFilter(field_name="retired_at", lookup_expr="isnull", label="Not retired")
    overrides = ScopedModelChoiceFilter("residents.HouseRule")

    class Meta:
        model = HouseRule
        fields = ["house", "organization_wide", "category", "is_active", "overrides"]


class RuleSetFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    is_current = StrictBooleanFilter(field_name="is_current")
    published_after = LocalDateFilter(field_name="published_at", bound="after")
    published_before = LocalDateFilter(field_name="published_at", bound="before")

    class Meta:
        model = RuleSet
        fields = ["house", "is_current", "published_after", "published_before"]


class RuleAcknowledgementFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="rule_set__house")
    rule_set = ScopedModelChoiceFilter("residents.RuleSet")
    resident = ScopedModelChoiceFilter("residents.Resident")
    is_current = StrictBooleanFilter(field_name="rule_set__is_current", label="Signed the current version")
    signed_after = LocalDateFilter(field_name="signed_at", bound="after")
    signed_before = LocalDateFilter(field_name="signed_at", bound="before")

    class Meta:
        model = RuleAcknowledgement
        fields = ["house", "rule_set", "resident", "is_current", "signed_after", "signed_before"]


class UnsignedResidentFilter(FilterSet):
    never_signed = StrictBooleanFilter(
        field_name="last_signed_version", lookup_expr="isnull", label="Signed no version during this stay"
    )
    moved_in_after = django_filters.DateFilter(field_name="move_in", lookup_expr="gte")
    moved_in_before = django_filters.DateFilter(field_name="move_in", lookup_expr="lte")

    class Meta:
        model = Resident
        fields = ["never_signed", "moved_in_after", "moved_in_before"]


class GrievanceFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Grievance.Status.choices)
    about = django_filters.ChoiceFilter(choices=Grievance.About.choices)
    house = ScopedModelChoiceFilter("houses.House")
    resident = ScopedModelChoiceFilter("residents.Resident")
    filed_after = LocalDateFilter(field_name="filed_at", bound="after")
    filed_before = LocalDateFilter(field_name="filed_at", bound="before")

    class Meta:
        model = Grievance
        fields = ["status", "about", "house", "resident", "filed_after", "filed_before"]
