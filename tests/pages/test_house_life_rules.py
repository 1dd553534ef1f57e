"""A house's rules page: the current rule set by category, who has not signed it, adding, revising and giving the
house its own version of an organization default (each save publishes through residents.house_rules.services)."""

from residents.models import HouseRule, HouseRuleVersion, RuleSet
from tests.residents.rules_factories import current_set, sign


def _url(house, tail=""):
    return f"/dashboard/houses/{house.pk}/rules/{tail}"


RULE = {"category": "guests", "text": "Guests leave by 9 pm.", "consequence": "No guests for a week.", "note": "Guests"}
ADD = "Add and publish"
SAVE = "Save and publish"


def _retire_form(rule):
    return f"form[action$='/rules/{rule.pk}/retire/']"


def test_the_page_lists_the_current_rules_by_category_with_their_consequences(page, manager, life):
    body = page(manager).get(_url(life["house"])).content.decode()
    assert "Version 2, published" in body  # the defaults, then the house's own rule
    assert '<h3 class="category-heading">Curfew</h3>' in body
    assert "Be inside by 10 pm on weeknights and midnight on weekends." in body
    assert "Loss of passes for a week." in body
    assert "Quiet hours from 10 pm." in body


def test_the_page_names_who_has_not_signed_the_current_version(page, manager, life):
    response = page(manager).get(_url(life["house"]))
    assert [resident.pk for resident in response.context["unsigned"]] == [life["resident"].pk]
    sign(life["resident"], life["house"])
    body = page(manager).get(_url(life["house"])).content.decode()
    assert "Every current resident has signed version 2." in body


def test_a_manager_adds_a_house_rule_which_publishes_a_new_version(page, manager, life):
    house = life["house"]
    response = page(manager).submit(_url(house), RULE, button=ADD, follow=True)
    assert "Published: the Maple House rules are now version 3." in response.content.decode()
    assert current_set(house).number == 3
    assert current_set(house).rules.filter(text="Guests leave by 9 pm.").exists()
    assert current_set(life["other_house"]).number == 2  # the other house's rules did not change


def test_a_manager_cannot_make_an_organization_wide_default(page, manager, life):
    client = page(manager)
    assert 'name="scope"' not in client.get(_url(life["house"])).content.decode()  # the choice is not offered
    client.submit(_url(life["house"]), RULE, button=ADD)
    rule = HouseRule.objects.get(current_version__text="Guests leave by 9 pm.")
    assert rule.house == life["house"]
    # Nor is it taken from a hand-made request, which no page can send.
    client.post(_url(life["house"], "add/"), {**RULE, "text": "No pets.", "scope": "organization"})
    assert HouseRule.objects.get(current_version__text="No pets.").house == life["house"]


def test_an_operator_adds_a_default_for_every_house(page, operator, life):
    before = current_set(life["other_house"]).number
    page(operator).submit(_url(life["house"]), {**RULE, "scope": "organization"}, button=ADD)
    assert HouseRule.objects.get(current_version__text="Guests leave by 9 pm.").house is None
    assert current_set(life["other_house"]).number == before + 1


def test_a_rule_without_text_is_refused_beside_it_and_nothing_is_published(page, manager, life):
    before = RuleSet.objects.count(), HouseRuleVersion.objects.count()
    response = page(manager).submit(_url(life["house"]), {**RULE, "text": "  "}, button=ADD)
    assert response.status_code == 400
    assert response.context["add_form"].errors == {"text": ["This field is required."]}
    assert 'id="id_text_error"' in response.content.decode()
    assert (RuleSet.objects.count(), HouseRuleVersion.objects.count()) == before


def test_editing_a_house_rule_publishes_its_next_version(page, manager, life):
    rule = life["rule"]
    data = {"category": "conduct", "text": "Quiet hours from 10 pm to 7 am.", "consequence": "A warning.", "note": ""}
    response = page(manager).submit(_url(life["house"], f"{rule.pk}/edit/"), data, button=SAVE, follow=True)
    assert "Residents are asked to sign it." in response.content.decode()
    rule.refresh_from_db()
    assert (rule.current_version.number, rule.current_version.text) == (2, "Quiet hours from 10 pm to 7 am.")
    assert current_set(life["house"]).number == 3


def test_saving_the_same_wording_is_refused_beside_the_text(page, manager, life):
    rule = life["rule"]
    version = rule.current_version
    data = {"category": version.category, "text": version.text, "consequence": version.consequence}
    response = page(manager).submit(_url(life["house"], f"{rule.pk}/edit/"), data, button=SAVE)
    assert response.status_code == 400
    assert response.context["form"].errors == {"text": ["Nothing changed: give a new category, text or consequence."]}
    assert current_set(life["house"]).number == 2


def test_the_edit_form_starts_from_the_current_wording(page, manager, life):
    response = page(manager).get(_url(life["house"], f"{life['rule'].pk}/edit/"))
    assert response.context["form"]["text"].value() == "Quiet hours from 10 pm."


def test_a_house_gets_its_own_version_of_a_default_and_the_other_houses_keep_it(page, manager, life):
    default = life["default_rule"]
    data = {"category": "substances", "text": "No alcohol, drugs or kratom.", "consequence": "Discharge."}
    response = page(manager).submit(_url(life["house"], f"{default.pk}/own-version/"), data, button=SAVE, follow=True)
    assert "Published" in response.content.decode()
    own = HouseRule.objects.get(house=life["house"], overrides=default)
    in_force = current_set(life["house"]).rules.all()
    assert own.current_version in in_force
    assert default.current_version not in in_force
    assert default.current_version in current_set(life["other_house"]).rules.all()


def test_a_second_own_version_of_the_same_default_is_refused(page, manager, life):
    default = life["default_rule"]
    data = {"category": "substances", "text": "No alcohol, drugs or kratom.", "consequence": "Discharge."}
    page(manager).submit(_url(life["house"], f"{default.pk}/own-version/"), data, button=SAVE)
    again = {**data, "text": "Again."}
    response = page(manager).submit(_url(life["house"], f"{default.pk}/own-version/"), again, button=SAVE)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Maple House already has its own version of that rule; revise it."
    ]
    assert HouseRule.objects.filter(house=life["house"], overrides=default).count() == 1


def _retire(rule, note=""):
    return {f"retire-{rule.pk}-note": note}


def test_each_house_rule_offers_a_retire_step_with_a_note(page, manager, life):
    rule, default = life["rule"], life["default_rule"]
    body = page(manager).get(_url(life["house"])).content.decode()
    assert f'action="{_url(life["house"], f"{rule.pk}/retire/")}"' in body
    assert f'name="retire-{rule.pk}-note"' in body
    assert f'action="{_url(life["house"], f"{default.pk}/retire/")}"' not in body  # a default: operators only


def test_retiring_a_house_rule_publishes_the_rules_without_it(page, manager, life):
    rule, house = life["rule"], life["house"]
    client = page(manager)
    data = _retire(rule, "Quiet hours are in the lease now.")
    response = client.submit(_url(house), data, form=_retire_form(rule))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.is_active, rule.retired_by) == (False, manager.user)
    rule_set = current_set(house)
    assert (rule_set.number, rule_set.note) == (3, "Quiet hours are in the lease now.")
    assert rule.current_version not in rule_set.rules.all()
    body = client.get(response["Location"]).content.decode()
    assert "“Quiet hours from 10 pm.” is retired. Published: the Maple House rules are now version 3." in body
    assert current_set(life["other_house"]).number == 2


def test_retiring_a_houses_own_version_of_a_default_brings_the_default_back(page, manager, life):
    default, house = life["default_rule"], life["house"]
    data = {"category": "substances", "text": "No alcohol, drugs or kratom.", "consequence": "Discharge."}
    page(manager).submit(_url(house, f"{default.pk}/own-version/"), data, button=SAVE)
    own = HouseRule.objects.get(house=house, overrides=default)
    page(manager).submit(_url(house), _retire(own), form=_retire_form(own))
    in_force = current_set(house).rules.all()
    assert default.current_version in in_force
    assert own.current_version not in in_force


def test_a_manager_cannot_retire_an_organization_default(page, manager, life):
    default = life["default_rule"]
    # The page offers a manager no retire form for a default, so only a hand-made request can try it.
    response = page(manager).post(_url(life["house"], f"{default.pk}/retire/"), _retire(default))
    assert response.status_code == 403
    default.refresh_from_db()
    assert default.is_active
    assert current_set(life["house"]).number == 2


def test_an_operator_retires_a_default_from_every_house(page, operator, life):
    default = life["default_rule"]
    page(operator).submit(_url(life["house"]), _retire(default), form=_retire_form(default))
    for house in (life["house"], life["other_house"]):
        assert current_set(house).number == 3
        assert default.current_version not in current_set(house).rules.all()


def test_a_retire_note_too_long_is_refused_beside_it_and_nothing_is_published(page, manager, life):
    rule = life["rule"]
    response = page(manager).submit(_url(life["house"]), _retire(rule, "x" * 301), form=_retire_form(rule))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_retire-{rule.pk}-note_error"' in body
    assert "Ensure this value has at most 300 characters (it has 301)." in body
    rule.refresh_from_db()
    assert rule.is_active
    assert current_set(life["house"]).number == 2


def test_a_rule_already_retired_is_not_found_again(page, manager, life):
    rule = life["rule"]
    _first, response = page(manager).submit_twice(_url(life["house"]), _retire(rule), form=_retire_form(rule))
    assert response.status_code == 404
    assert current_set(life["house"]).number == 3
