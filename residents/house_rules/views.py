"""A house's rules: the current rule set by category, who has not signed it, adding, revising and retiring rules.

Every save publishes through ``residents.house_rules.services``: a new version of the rule and of the rule set of each
house it changes, which residents are then asked to sign.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import staff_required
from houses.selectors import house_in_scope
from residents.core.views.house_pages import render_house
from residents.house_rules import services as rule_services
from residents.house_rules.forms import RuleAddForm, RuleForm, RuleRetireForm
from residents.house_rules.selectors import current_rule_set, has_language, rules_for, unsigned_residents
from residents.models import HouseRule, RuleCategory, RuleSet

LABELS = dict(RuleCategory.choices)


def _render(request, house, *, add_form=None, retire_form=None, status=200):
    rule_set = current_rule_set(viewer=request.viewer, house=house)
    versions = list(rule_set.rules.all()) if rule_set else []
    for version in versions:
        refused = retire_form is not None and retire_form.rule.pk == version.rule_id
        version.retire_form = retire_form if refused else RuleRetireForm(rule=version.rule)
    categories = [
        {"label": LABELS.get(category, category), "versions": list(group)}
        for category, group in groupby(versions, key=lambda version: version.category)
    ]
    context = {
        "rule_set": rule_set,
        "spanish_missing": sum(1 for version in versions if not has_language([version], "es")),
        "categories": categories,
        "unsigned": list(unsigned_residents(viewer=request.viewer, house=house)),
        "add_form": add_form or RuleAddForm(can_add_default=request.viewer.is_operator),
    }
    return render_house(request, "residents/house/rules.html", house, "rules", context, status=status)


def _published(request, house, *, retired: str = "") -> None:
    number = RuleSet.objects.filter(house=house, is_current=True).values_list("number", flat=True).first()
    values = {"house": house.name, "number": number, "rule": retired}
    if retired:
        text = _(
            "“%(rule)s” is retired. Published: the %(house)s rules are now version %(number)s. Residents are asked "
            "to sign it."
        )
    else:
        text = _("Published: the %(house)s rules are now version %(number)s. Residents are asked to sign it.")
    messages.success(request, text % values)


def _rule(request, house, rule_id) -> HouseRule:
    """An active rule that applies in ``house`` (its own, or an organization default), if the viewer may see it."""
    rule = rules_for(viewer=request.viewer).active().filter(pk=rule_id).first()
    if rule is None or rule.house_id not in (None, house.pk):
        raise Http404
    return rule


@staff_required
@require_safe
def house_rules(request, house_id):
    return _render(request, house_in_scope(request, house_id))


@staff_required
@require_POST
def house_rule_add(request, house_id):
    house = house_in_scope(request, house_id)
    form = RuleAddForm(request.POST, can_add_default=request.viewer.is_operator)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule_services.rule_add(
                actor=request.viewer, house=None if form.for_every_house else house, category=data["category"],
                text=data["text"], consequence=data["consequence"], text_es=data["text_es"],
                consequence_es=data["consequence_es"], note=data["note"],
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error, fields={"house": "scope"})
        else:
            _published(request, house)
            return redirect("house-rules", house_id=house.pk)
    return _render(request, house, add_form=form, status=400)


def _rule_form_page(request, house, rule, *, form, mode, status):
    context = {"rule": rule, "form": form, "mode": mode}
    return render_house(request, "residents/house/rule_form.html", house, "rules", context, status=status)


@staff_required
def house_rule_edit(request, house_id, rule_id):
    """Revises a rule: the house's own, or (operators) an organization default, which every house using it gets."""
    house = house_in_scope(request, house_id)
    rule = _rule(request, house, rule_id)
    if rule.is_organization_wide and not request.viewer.is_operator:
        raise PermissionDenied(_("Only an operator changes an organization-wide default."))
    form = RuleForm.for_version(rule.current_version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.rule_revise(actor=request.viewer, rule=rule, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            _published(request, house)
            return redirect("house-rules", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return _rule_form_page(request, house, rule, form=form, mode="edit", status=status)


@staff_required
def house_rule_override(request, house_id, rule_id):
    """Gives the house its own version of an organization default, which replaces it in this house only."""
    house = house_in_scope(request, house_id)
    rule = _rule(request, house, rule_id)
    if not rule.is_organization_wide:
        raise Http404
    form = RuleForm.for_version(rule.current_version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.rule_add(actor=request.viewer, house=house, overrides=rule, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error, fields={"overrides": None, "house": None})
        else:
            _published(request, house)
            return redirect("house-rules", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return _rule_form_page(request, house, rule, form=form, mode="override", status=status)


@staff_required
@require_POST
def house_rule_retire(request, house_id, rule_id):
    """Retires a rule (the house's own, or for operators an organization default, from every house using it). It
    stays on record; the rule set without it is published as a new version, as an edit is."""
    house = house_in_scope(request, house_id)
    rule = _rule(request, house, rule_id)
    if rule.is_organization_wide and not request.viewer.is_operator:
        raise PermissionDenied(_("Only an operator retires an organization-wide default."))
    form = RuleRetireForm(request.POST, rule=rule)
    if form.is_valid():
        try:
            rule_services.rule_retire(actor=request.viewer, rule=rule, note=form.cleaned_data["note"])
        except DomainError as error:
            refuse(form, error)
        else:
            text = rule.current_version.text
            short = text if len(text) <= 60 else f"{text[:57].rstrip()}…"
            _published(request, house, retired=short)
            return redirect("house-rules", house_id=house.pk)
    return _render(request, house, retire_form=form, status=400)
