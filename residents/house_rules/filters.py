"""Query-parameter filters for house rules, rule sets and signatures."""

import django_filters

from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.api_local_dates import LocalDateFilter
from residents.models import HouseRule, Resident, RuleAcknowledgement, RuleCategory, RuleSet


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
    published_after = LocalDateFilter(field_name="published_at", lookup_expr="gte")
    published_before = LocalDateFilter(field_name="published_at", lookup_expr="lte")

    class Meta:
        model = RuleSet
        fields = ["house", "is_current", "published_after", "published_before"]


class RuleAcknowledgementFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", field_name="rule_set__house")
    rule_set = ScopedModelChoiceFilter("residents.RuleSet")
    resident = ScopedModelChoiceFilter("residents.Resident")
    is_current = StrictBooleanFilter(field_name="rule_set__is_current", label="Signed the current version")
    signed_after = LocalDateFilter(field_name="signed_at", lookup_expr="gte")
    signed_before = LocalDateFilter(field_name="signed_at", lookup_expr="lte")

    class Meta:
        model = RuleAcknowledgement
        fields = ["house", "rule_set", "resident", "is_current", "signed_after", "signed_before"]


class UnsignedResidentFilter(FilterSet):
    never_signed = StrictBooleanFilter(
        field_name="last_signed_version", lookup_expr="isnull", label="Signed no version during this stay"
    )
    moved_in_after = django_filters.DateFilter(field_name="move_in", lookup_expr="gte")
    moved_in_before = django_filters.DateFilter(field_name="move_in", lookup_expr="lte")
    language_missing = StrictBooleanFilter(
        field_name="language_missing", label="The current rules have no text in the resident's language"
    )

    class Meta:
        model = Resident
        fields = ["never_signed", "moved_in_after", "moved_in_before", "language_missing"]
