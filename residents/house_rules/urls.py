"""House rules pages, under /dashboard/."""

from django.urls import path

from residents.house_rules import views as rules

HOUSE = "houses/<int:house_id>/"

urlpatterns = [
    path(f"{HOUSE}rules/", rules.house_rules, name="house-rules"),
    path(f"{HOUSE}rules/add/", rules.house_rule_add, name="house-rule-add"),
    path(f"{HOUSE}rules/<int:rule_id>/edit/", rules.house_rule_edit, name="house-rule-edit"),
    path(f"{HOUSE}rules/<int:rule_id>/retire/", rules.house_rule_retire, name="house-rule-retire"),
    path(f"{HOUSE}rules/<int:rule_id>/own-version/", rules.house_rule_override, name="house-rule-override"),
]
