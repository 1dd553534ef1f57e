"""House rules in the admin: read-only, because every change must publish a new version through the services."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from residents.models import HouseRule, HouseRuleVersion, RuleAcknowledgement, RuleSet


class HouseRuleVersionInline(ReadOnlyInline):
    model = HouseRuleVersion
    extra = 0
    fields = ["number", "category", "text", "consequence", "created_at", "created_by"]
    readonly_fields = fields  # some are not editable: kept out of the inline's form


@admin.register(HouseRule)
class HouseRuleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "house", "overrides", "current_version", "created_at", "retired_at"]
    list_filter = ["organization", "house", "current_version__category"]
    search_fields = ["current_version__text", "current_version__consequence", "house__name"]
    list_select_related = ["organization", "house", "current_version", "overrides__current_version"]
    inlines = [HouseRuleVersionInline]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["house", "number", "is_current", "published_at", "published_by", "note"]
    list_filter = ["organization", "house", "is_current"]
    search_fields = ["house__name", "note"]
    date_hierarchy = "published_at"
    list_select_related = ["house", "published_by"]
    filter_horizontal = ["rules"]


@admin.register(RuleAcknowledgement)
class RuleAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["resident", "rule_set", "signature", "signed_at", "ip_address"]
    list_filter = ["organization", "rule_set__house", "rule_set__is_current"]
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "signature"]
    date_hierarchy = "signed_at"
    list_select_related = ["resident", "rule_set__house"]
