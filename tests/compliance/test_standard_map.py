"""The NARR evidence map is versioned data that is checked when it loads."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from compliance.evidence import registry
from compliance.standard import MAP_PATH, parse, standard


def _raw():
    return json.loads(MAP_PATH.read_text(encoding="utf-8"))


def test_the_map_names_its_version():
    assert standard().version == "NARR Standard 3.0 / Hearth map 1"


def test_the_map_lists_fifteen_to_twenty_five_rules_across_domains():
    rules = standard().rules
    assert 15 <= len(rules) <= 25
    assert {rule.id.split(".")[0] for rule in rules} >= {"1", "2"}


@pytest.mark.parametrize("rule_id", ["1.A.3.a", "1.B.6.a", "1.C.7.b", "2.F.17.c"])
def test_the_map_includes_the_rules_the_certifiers_ask_about_first(rule_id):
    assert rule_id in {rule.id for rule in standard().rules}


def test_every_rule_has_a_title_a_description_levels_and_evidence_hearth_can_judge():
    for rule in standard().rules:
        assert rule.title
        assert len(rule.description) > 40
        assert set(rule.levels) <= {1, 2, 3, 4}
        assert all(spec["type"] in registry.evaluators for spec in rule.evidence)


def test_safety_inspections_and_drills_are_one_rule_with_two_pieces_of_evidence():
    rule = next(rule for rule in standard().rules if rule.id == "2.F.17.c")
    assert [spec["type"] for spec in rule.evidence] == ["inspection", "drills"]
    assert rule.evidence[0] == {"type": "inspection", "within_days": 35, "no_open_failures": True}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["rules"][0]["evidence"].append({"type": "horoscope"}), "unknown evidence type"),
        (lambda raw: raw["rules"][0]["evidence"][0].update(colour="red"), "does not take colour"),
        (lambda raw: raw["rules"][0]["evidence"][0].update(kind="diary"), "unknown document kind"),
        (lambda raw: raw["rules"][0].update(levels=[5]), "levels"),
        (lambda raw: raw["rules"][1].update(id=raw["rules"][0]["id"]), "repeated rule id"),
        (lambda raw: raw["rules"][0].update(evidence=[]), "no evidence"),
        (lambda raw: raw["rules"][0]["evidence"].append({"type": "drills", "within_days": -3}), "above zero"),
        (lambda raw: raw["rules"][0]["evidence"].append({"type": "document"}), "needs kind"),
    ],
    ids=[
        "unknown-type",
        "unknown-param",
        "unknown-kind",
        "bad-level",
        "repeated-id",
        "no-evidence",
        "bad-days",
        "missing-param",
    ],
)
def test_a_broken_map_stops_start_up_with_a_reason(change, message):
    raw = _raw()
    change(raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        parse(raw)
