"""The resident portal in a real browser, on a phone-sized screen: signing the house rules, filing a grievance,
moving around with the keyboard alone, and every page fitting 360 px with thumb-sized targets."""

import re

import pytest

from residents.models import Grievance, RuleAcknowledgement
from tests.pages.portal_factories import PORTAL_PAGES
from tests.residents.rules_factories import publish_defaults

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def phone(open_page):
    """A page on a 360 px wide screen whose console is watched; fails the test on any unexpected error."""
    return open_page(PHONE["width"], PHONE["height"])


def test_a_resident_reads_and_signs_the_house_rules(phone, sign_in, screenshot, operator, house, resident_member):
    publish_defaults(operator)
    resident = resident_member.resident
    sign_in(phone, resident_member)
    phone.wait_for_url(re.compile(r"/portal/$"))
    screenshot(phone, "portal-home-360px")
    phone.get_by_role("link", name=re.compile("Read and sign the house rules")).click()
    phone.wait_for_url(re.compile(r"/portal/rules/$"))
    assert phone.get_by_role("heading", name="Substances").is_visible()
    assert phone.get_by_text("Not signed yet").is_visible()

    phone.get_by_label("Type your full legal name").fill(resident.legal_name)
    phone.get_by_role("button", name="Sign the house rules").click()
    phone.wait_for_url(re.compile(r"/portal/rules/$"))

    assert phone.get_by_role("status").get_by_text(f"You signed version 1 of the {house.name} rules").is_visible()
    assert phone.get_by_text(re.compile(r"You signed version 1 on")).is_visible()
    assert phone.get_by_role("button", name="Sign the house rules").count() == 0
    assert RuleAcknowledgement.objects.filter(resident=resident).count() == 1
    screenshot(phone, "portal-rules-signed-360px")


def test_a_wrong_signature_is_shown_beside_the_field(
    phone, sign_in, screenshot, console_errors, operator, resident_member
):
    # Chromium logs the 400 answer to a refused form as a console error; that answer is what this test expects.
    console_errors.allow("status of 400")
    publish_defaults(operator)
    sign_in(phone, resident_member)
    phone.goto("/portal/rules/")
    field = phone.get_by_label("Type your full legal name")
    field.fill("Not My Name")
    phone.get_by_role("button", name="Sign the house rules").click()
    assert phone.locator("#id_signature_error").get_by_text("must be your full legal name").is_visible()
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "Not My Name"
    assert phone.evaluate("document.activeElement.id") == "id_signature"  # brought into view, below the rules
    screenshot(phone, "portal-rules-wrong-signature-360px")


def test_a_resident_files_a_grievance(phone, sign_in, screenshot, resident_member):
    sign_in(phone, resident_member)
    menu = phone.get_by_role("navigation", name="Main")
    menu.get_by_text("More", exact=True).click()
    menu.get_by_role("link", name="Grievances").click()
    phone.wait_for_url(re.compile(r"/portal/grievances/$"))
    assert phone.get_by_text("You have not filed a grievance.").is_visible()
    phone.get_by_role("link", name="File a grievance").click()

    phone.get_by_label("The house").check()
    phone.get_by_label("Subject").fill("Dryer broken for two weeks")
    phone.get_by_label("What happened?").fill("The dryer in the basement has not heated since the 1st.")
    screenshot(phone, "portal-grievance-form-360px")
    phone.get_by_role("button", name="File the grievance").click()
    phone.wait_for_url(re.compile(r"/portal/grievances/\d+/$"))

    assert phone.get_by_role("status").get_by_text("Your grievance is filed.").is_visible()
    assert phone.get_by_role("heading", name="Dryer broken for two weeks").is_visible()
    assert phone.get_by_text("Waiting for an answer").is_visible()
    assert Grievance.objects.get().resident == resident_member.resident
    screenshot(phone, "portal-grievance-filed-360px")


def test_the_portal_navigation_works_with_the_keyboard_alone(phone, sign_in, resident_member):
    sign_in(phone, resident_member)
    more = phone.locator("details[data-menu] summary")
    more.focus()
    phone.keyboard.press("Enter")
    passes = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Overnight passes")
    assert passes.is_visible()
    phone.keyboard.press("Escape")
    assert not passes.is_visible()
    assert phone.evaluate("document.activeElement.tagName") == "SUMMARY"
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/portal/passes/$"))
    assert phone.get_by_role("heading", name="Overnight passes", level=1).is_visible()


def test_every_portal_page_fits_a_phone_with_thumb_sized_targets(phone, sign_in, screenshot, operator, resident_member):
    publish_defaults(operator)
    sign_in(phone, resident_member)
    too_wide, too_small = {}, {}
    for path in PORTAL_PAGES:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
        targets = phone.locator(".portal-tab > a, .portal-tab summary, main .button, .task-list a, .portal-sections a")
        for index in range(targets.count()):
            box = targets.nth(index).bounding_box()
            if box and box["height"] < 44:
                too_small.setdefault(path, []).append(targets.nth(index).inner_text())
        screenshot(phone, "portal" + path.rstrip("/").replace("/portal", "").replace("/", "-") + "-360px")
    assert too_wide == {}
    assert too_small == {}
