"""Where a house stands against the NARR map: each rule met, expiring, expired, missing or not applicable."""

from datetime import date

from accounts.models import Membership
from houses.models import House

from ..evidence import NOT_APPLICABLE, STATUSES, EvidenceData, HouseContext, registry, worst
from ..standard import Rule, standard


def _judge_rule(rule: Rule, context: HouseContext) -> dict:
    row = {"rule": rule.id, "domain": rule.domain, "title": rule.title, "description": rule.description}
    if not rule.applies_to(context.level):
        return {**row, "status": NOT_APPLICABLE, "evidence": []}
    evidence = []
    for spec in rule.evidence:
        if "levels" in spec and context.level not in spec["levels"]:
            continue
        evidence.append(registry.evaluate(spec, context))
    return {
        **row,
        "status": worst(item.status for item in evidence),
        "evidence": [item.as_dict() for item in evidence],
    }


def _judge_houses(houses: list[House], on: date) -> dict[int, dict]:
    the_standard = standard()
    data = EvidenceData(registry, houses, on)
    result = {}
    for house in houses:
        context = HouseContext(house=house, on=on, data=data)
        rules = [_judge_rule(rule, context) for rule in the_standard.rules]
        summary = dict.fromkeys(STATUSES, 0)
        for rule in rules:
            summary[rule["status"]] += 1
        result[house.pk] = {
            "house": house.pk,
            "house_name": house.name,
            "level": house.narr_level,
            "on": on,
            "map_version": the_standard.version,
            "summary": summary,
            "rules": rules,
        }
    return result


def certification_status(*, viewer: Membership, house: House, on: date | None = None) -> dict:
    """Each NARR rule for the house at its level, with its status and links to the evidence.

    A rule's status is the worst of its evidence: met, expiring (lapses within 30 days for documents and kits,
    within 7 for recurring checks), expired, missing, or not applicable (a rule for other levels, or a house with no
    level set). Everything the house's rules read is loaded once, so the cost is a constant number of queries.
    Raises ``House.DoesNotExist`` when the viewer may not see the house.
    """
    house = House.objects.visible_to(viewer).select_related("organization").get(pk=house.pk)
    return _judge_houses([house], on or house.organization.today())[house.pk]


def certification_overview(*, viewer: Membership, on: date | None = None) -> dict:
    """Every active house the viewer may see against every rule of the map: the organization's overview grid.

    ``houses`` holds each house's full judgement; ``rules`` holds one row per rule, in the map's order, with one
    cell per house (in the order of ``houses``), so a page can lay rules down and houses across. Costs the same
    number of queries for one house or fifty."""
    houses = list(
        House.objects.visible_to(viewer)
        .filter(status=House.Status.ACTIVE)
        .select_related("organization")
        .order_by("name", "pk")
    )
    on = on or viewer.organization.today()
    judged = _judge_houses(houses, on)
    the_standard = standard()
    columns = [judged[house.pk] for house in houses]
    rows = [
        {
            "rule": rule.id,
            "domain": rule.domain,
            "title": rule.title,
            "cells": [
                {"house": column["house"], "house_name": column["house_name"], "status": column["rules"][i]["status"]}
                for column in columns
            ],
        }
        for i, rule in enumerate(the_standard.rules)
    ]
    return {"on": on, "map_version": the_standard.version, "rules": rows, "houses": columns}
