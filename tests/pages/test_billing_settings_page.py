"""The operator's rent settings: each house's rent terms, deposit and late-fee rule, listed in plain words and edited
one house at a time (``/dashboard/settings/rent/``)."""

from decimal import Decimal

import pytest
from django.utils.html import escape

from accounts.models import AuditEntry
from billing.models import HouseBillingPolicy, LateFeeKind
from billing.selectors.policies import policy_words
from billing.services.policies import house_billing_policy_set
from tests.factories import HouseFactory, MembershipFactory

LIST = "/dashboard/settings/rent/"
MONTHLY = {
    "rent_amount": "900.00",
    "rent_period": "monthly",
    "rent_due_weekday": "",
    "rent_due_day": "1",
    "deposit_amount": "500.00",
    "late_fee_kind": "flat",
    "late_fee_amount": "50.00",
    "late_fee_percent": "",
    "late_fee_grace_days": "5",
}
MONTHLY_WORDS = "$900.00 a month, due on the 1st · deposit $500.00 · late fee $50.00 after 5 days' grace"


def edit_url(house):
    return f"{LIST}{house.pk}/"


def set_terms(house, actor, **terms):
    values = {"rent_amount": Decimal("900.00"), "rent_period": "monthly", "rent_due_day": 1, **terms}
    return house_billing_policy_set(actor=actor, house=house, **values)


def terms_of(house):
    """Every stored term of the house's policy (None when it has none), to show nothing was written."""
    policy = HouseBillingPolicy.objects.filter(house=house).first()
    return None if policy is None else {**vars(policy), "_state": None}


# The list


def test_the_list_says_each_houses_terms_in_plain_words(page, operator, house):
    set_terms(house, operator, deposit_amount=Decimal("500"), late_fee_kind="flat", late_fee_amount=Decimal("50"))
    body = page(operator).get(LIST).content.decode()
    assert escape(MONTHLY_WORDS) in body
    assert "by Olivia Operator" in body
    assert f'href="{edit_url(house)}"' in body


def test_a_house_without_terms_says_so_and_links_to_set_them(page, operator, house):
    body = page(operator).get(LIST).content.decode()
    assert "No rent terms yet — " in body
    assert f'<a href="{edit_url(house)}">set them' in body


def test_the_list_shows_only_the_organizations_houses(page, operator, house, foreign_house):
    body = page(operator).get(LIST).content.decode()
    assert "Maple House" in body
    assert "Aspen House" not in body


@pytest.mark.parametrize(
    ("terms", "words"),
    [
        (
            {"rent_amount": "210", "rent_period": "weekly", "rent_due_weekday": 4, "late_fee_kind": "percent",
             "late_fee_percent": "5", "late_fee_grace_days": 3},
            "$210.00 a week, due on Fridays · no deposit · late fee 5% of the overdue rent after 3 days' grace",
        ),
        (
            {"rent_amount": "400", "rent_period": "biweekly", "rent_due_weekday": 0, "deposit_amount": "1250",
             "late_fee_kind": "percent", "late_fee_percent": "2.5", "late_fee_grace_days": 1},
            "$400.00 every two weeks, due every other Monday · deposit $1,250.00 · late fee 2.5% of the overdue "
            "rent after 1 day's grace",
        ),
        (
            {"rent_amount": "900", "rent_period": "monthly", "rent_due_day": 30, "late_fee_kind": "flat",
             "late_fee_amount": "20", "late_fee_grace_days": 0},
            "$900.00 a month, due on the 30th (the last day in shorter months) · no deposit · late fee $20.00 the "
            "day after rent is due",
        ),
        (
            {"rent_amount": "900", "rent_period": "monthly", "rent_due_day": 31},
            "$900.00 a month, due on the last day of the month · no deposit · no late fee",
        ),
        (
            {"rent_amount": "900", "rent_period": "monthly", "rent_due_day": 22},
            "$900.00 a month, due on the 22nd · no deposit · no late fee",
        ),
    ],
)  # fmt: skip
def test_each_kind_of_terms_reads_in_plain_words(house, operator, terms, words):
    values = {key: Decimal(value) if isinstance(value, str) and key.endswith(("amount", "percent")) else value
              for key, value in terms.items()}  # fmt: skip
    policy = house_billing_policy_set(actor=operator, house=house, **values)
    assert policy_words(policy, "USD") == words


def test_amounts_in_a_currency_without_a_symbol_carry_its_code(house, operator):
    assert policy_words(set_terms(house, operator), "EUR").startswith("900.00 EUR a month")


# Editing


def test_setting_terms_for_a_house_without_any_creates_them(page, operator, house):
    response = page(operator).submit(edit_url(house), MONTHLY, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert escape(f"Rent terms of Maple House saved: {MONTHLY_WORDS}.") in response.content.decode()
    policy = HouseBillingPolicy.objects.get(house=house)
    assert (policy.organization, policy.updated_by) == (operator.organization, operator.user)
    assert (policy.rent_amount, policy.rent_due_day, policy.rent_due_weekday) == (Decimal("900.00"), 1, None)


def test_a_new_house_form_starts_from_monthly_rent_due_on_the_1st_without_a_late_fee(page, operator, house):
    form = page(operator).get(edit_url(house)).context["form"]
    assert form["rent_period"].value() == "monthly"
    assert form["rent_due_day"].value() == 1
    assert form["late_fee_kind"].value() == "none"


def test_the_form_shows_the_saved_terms(page, operator, house):
    set_terms(house, operator, rent_amount=Decimal("777.00"))
    response = page(operator).get(edit_url(house))
    assert response.context["form"]["rent_amount"].value() == Decimal("777.00")
    assert "$777.00 a month, due on the 1st" in response.content.decode()


@pytest.mark.parametrize(
    ("period", "weekday", "day"),
    [("weekly", 4, None), ("biweekly", 0, None), ("monthly", None, 15)],
)
def test_each_period_is_saved_with_its_own_due_day(page, operator, house, period, weekday, day):
    set_terms(house, operator)
    # Both due fields are sent, as a browser without scripts would: the one the period does not use is dropped.
    data = {**MONTHLY, "rent_period": period, "rent_due_weekday": "4" if period == "weekly" else "0",
            "rent_due_day": "15"}  # fmt: skip
    response = page(operator).submit(edit_url(house), data)
    assert response.status_code == 302
    policy = HouseBillingPolicy.objects.get(house=house)
    assert (policy.rent_period, policy.rent_due_weekday, policy.rent_due_day) == (period, weekday, day)


@pytest.mark.parametrize(
    ("kind", "amount", "percent"),
    [("none", Decimal("0.00"), Decimal("0.00")), ("flat", Decimal("50.00"), Decimal("0.00")),
     ("percent", Decimal("0.00"), Decimal("7.50"))],
)  # fmt: skip
def test_each_kind_of_late_fee_is_saved_and_the_unused_figure_cleared(page, operator, house, kind, amount, percent):
    set_terms(house, operator, late_fee_kind="flat", late_fee_amount=Decimal("80"))
    data = {**MONTHLY, "late_fee_kind": kind, "late_fee_amount": "50.00", "late_fee_percent": "7.5"}
    assert page(operator).submit(edit_url(house), data).status_code == 302
    policy = HouseBillingPolicy.objects.get(house=house)
    assert (policy.late_fee_kind, policy.late_fee_amount, policy.late_fee_percent) == (kind, amount, percent)


def test_without_a_late_fee_the_house_keeps_its_grace_days(page, operator, house):
    set_terms(house, operator, late_fee_grace_days=9)
    data = {**MONTHLY, "late_fee_kind": "none", "late_fee_amount": "", "late_fee_grace_days": ""}
    assert page(operator).submit(edit_url(house), data).status_code == 302
    assert HouseBillingPolicy.objects.get(house=house).late_fee_grace_days == 9


def test_an_empty_deposit_means_none(page, operator, house):
    assert page(operator).submit(edit_url(house), {**MONTHLY, "deposit_amount": ""}).status_code == 302
    assert HouseBillingPolicy.objects.get(house=house).deposit_amount == Decimal("0.00")


def test_saving_the_same_terms_changes_nothing_and_says_so(page, operator, house):
    policy = set_terms(
        house, operator, deposit_amount=Decimal("500"), late_fee_kind="flat", late_fee_amount=Decimal("50")
    )
    response = page(operator).submit(edit_url(house), MONTHLY, follow=True)
    assert "Nothing changed in the rent terms of Maple House." in response.content.decode()
    assert HouseBillingPolicy.objects.get(house=house).updated_at == policy.updated_at
    assert not AuditEntry.objects.exists()


def test_a_new_admission_gets_the_terms_set_on_the_page(page, operator, house, resident_factory):
    from residents.core.services.stays import stay_admit

    page(operator).submit(edit_url(house), {**MONTHLY, "rent_period": "weekly", "rent_due_weekday": "2"})
    stay = stay_admit(
        actor=operator, resident=resident_factory(), bed=house.beds.first(), on=operator.organization.today()
    )
    schedule = stay.rent_schedules.get()
    assert (schedule.amount, schedule.period, schedule.due_weekday) == (Decimal("900.00"), "weekly", 2)


def test_changing_terms_leaves_a_current_stays_schedule_alone(page, operator, house, resident_member):
    # resident_member was admitted before the house had terms: no schedule, and saving terms does not start one.
    stay = resident_member.resident.stays.get()
    set_terms(house, operator)
    page(operator).submit(edit_url(house), {**MONTHLY, "rent_amount": "1000.00"})
    assert not stay.rent_schedules.exists()


def test_the_form_says_what_a_change_reaches(page, operator, house):
    body = page(operator).get(edit_url(house)).content.decode()
    assert "Rent and deposit apply to new admissions." in body
    assert "Residents living here now keep their schedule." in body
    assert "The late-fee rule applies to everyone in the house." in body


# Bad input: 400, the message beside the field, the typed values kept, nothing written

BAD = [
    ({"rent_amount": ""}, "rent_amount", "This field is required."),
    ({"rent_amount": "lots"}, "rent_amount", "Enter a number."),
    ({"rent_amount": "0"}, "rent_amount", "Rent must be more than zero."),
    ({"rent_amount": "100000.01"}, "rent_amount", "Rent cannot be more than 100,000.00."),
    ({"rent_amount": "9.999"}, "rent_amount", "Ensure that there are no more than 2 decimal places."),
    ({"rent_period": "yearly"}, "rent_period", "Select a valid choice."),
    ({"rent_due_day": ""}, "rent_due_day", "Monthly rent needs a due day of the month from 1 to 31."),
    ({"rent_due_day": "32"}, "rent_due_day", "Monthly rent needs a due day of the month from 1 to 31."),
    ({"rent_period": "weekly"}, "rent_due_weekday", "Weekly rent needs a due weekday"),
    ({"rent_period": "biweekly", "rent_due_weekday": "7"}, "rent_due_weekday", "Select a valid choice."),
    ({"deposit_amount": "-5"}, "deposit_amount", "The deposit must be from 0 to 100,000.00."),
    ({"late_fee_amount": ""}, "late_fee_amount", "A flat late fee needs an amount above zero."),
    ({"late_fee_amount": "0"}, "late_fee_amount", "A flat late fee needs an amount above zero."),
    ({"late_fee_amount": "100001"}, "late_fee_amount", "The late fee cannot be more than 100,000.00."),
    ({"late_fee_kind": "percent", "late_fee_percent": "150"}, "late_fee_percent",
     "A percent late fee needs a percent above 0 and at most 100."),
    ({"late_fee_kind": "percent", "late_fee_percent": ""}, "late_fee_percent",
     "A percent late fee needs a percent above 0 and at most 100."),
    ({"late_fee_kind": "sometimes"}, "late_fee_kind", "Select a valid choice."),
    ({"late_fee_grace_days": "90"}, "late_fee_grace_days", "Grace days cannot be more than 60."),
    ({"late_fee_grace_days": "-1"}, "late_fee_grace_days", "Ensure this value is greater than or equal to 0."),
    ({"late_fee_grace_days": ""}, "late_fee_grace_days", "Give the grace days"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_terms_are_refused_beside_the_field_and_nothing_is_written(page, operator, house, change, field, message):
    set_terms(house, operator, rent_amount=Decimal("650.00"))
    before = terms_of(house)
    response = page(operator).submit(edit_url(house), {**MONTHLY, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    body = response.content.decode()
    error_html = body[body.index(f'id="id_{field}_error"') :]
    assert escape(message) in error_html[: error_html.index("</div>")]
    assert terms_of(house) == before
    assert not AuditEntry.objects.exists()


def test_bad_terms_for_a_house_without_any_create_nothing(page, operator, house):
    response = page(operator).submit(edit_url(house), {**MONTHLY, "rent_amount": "0"})
    assert response.status_code == 400
    assert not HouseBillingPolicy.objects.exists()


def test_a_refused_form_keeps_what_was_typed(page, operator, house):
    data = {**MONTHLY, "rent_amount": "1234.56", "deposit_amount": "333.00", "late_fee_grace_days": "90"}
    response = page(operator).submit(edit_url(house), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="1234.56"' in body
    assert 'value="333.00"' in body
    assert 'value="90"' in body


def test_an_unused_field_with_nonsense_in_it_is_ignored(page, operator, house):
    data = {**MONTHLY, "late_fee_kind": "none", "late_fee_amount": "lots", "late_fee_percent": "-3"}
    assert page(operator).submit(edit_url(house), data).status_code == 302
    assert HouseBillingPolicy.objects.get(house=house).late_fee_kind == LateFeeKind.NONE


# Who may


@pytest.mark.parametrize("role", ["manager", "resident_member"])
def test_managers_and_residents_may_not_open_the_rent_settings(page, request, house, role):
    client = page(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.get(edit_url(house)).status_code == 403


@pytest.mark.parametrize("role", ["manager", "resident_member"])
def test_managers_and_residents_may_not_change_terms(page, request, operator, house, role):
    set_terms(house, operator)
    before = terms_of(house)
    # They cannot load the page (403), so there is no form to submit: the request is sent as crafted.
    response = page(request.getfixturevalue(role)).post(edit_url(house), {**MONTHLY, "rent_amount": "1.00"})
    assert response.status_code == 403
    assert terms_of(house) == before


def test_another_organizations_house_does_not_exist_for_an_operator(page, outsider, house):
    assert page(outsider).get(edit_url(house)).status_code == 404


def test_another_organizations_operator_cannot_set_a_houses_terms(page, outsider, operator, house, other_house):
    set_terms(house, operator)
    before = terms_of(house)
    client = page(outsider)
    # Neither house exists for them (404), so there is no form to submit: the requests are sent as crafted.
    assert client.post(edit_url(house), {**MONTHLY, "rent_amount": "1.00"}).status_code == 404
    assert client.post(edit_url(other_house), MONTHLY).status_code == 404
    assert terms_of(house) == before
    assert not HouseBillingPolicy.objects.filter(house=other_house).exists()


def test_a_house_that_does_not_exist_is_404(page, operator):
    assert page(operator).get(f"{LIST}999999/").status_code == 404


# The audit trail


def test_setting_terms_the_first_time_is_audited_as_a_creation(page, operator, house):
    page(operator).submit(edit_url(house), MONTHLY)
    entry = AuditEntry.objects.get()
    policy = HouseBillingPolicy.objects.get(house=house)
    assert (entry.actor, entry.organization, entry.action) == (operator.user, operator.organization, "create")
    assert (entry.object_type, entry.object_id) == ("billing.housebillingpolicy", str(policy.pk))
    assert entry.detail == f"Maple House: {MONTHLY_WORDS}"


def test_changing_terms_is_audited_with_the_fields_changed(page, operator, house):
    set_terms(house, operator)
    page(operator).submit(edit_url(house), {**MONTHLY, "rent_amount": "950.00"})
    entry = AuditEntry.objects.get()
    assert entry.action == "update"
    assert entry.path == edit_url(house)
    assert entry.detail.startswith("Maple House: $950.00 a month, due on the 1st")
    assert entry.detail.endswith("(changed: deposit_amount, late_fee_amount, late_fee_kind, rent_amount)")


def test_a_change_through_the_api_takes_the_same_path(api, operator, house):
    policy = set_terms(house, operator)
    second = MembershipFactory(organization=operator.organization, role="operator")
    response = api(second).patch(f"/api/v1/billing/policies/{policy.pk}/", {"deposit_amount": "250.00"}, format="json")
    assert response.status_code == 200
    policy.refresh_from_db()
    assert (policy.deposit_amount, policy.updated_by) == (Decimal("250.00"), second.user)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("update", second.user)
    assert entry.detail.endswith("(changed: deposit_amount)")


def test_terms_created_through_the_api_are_audited_as_a_creation(api, operator, house):
    body = {"house": house.pk, "rent_amount": "900.00", "rent_period": "monthly", "rent_due_day": 1}
    assert api(operator).post("/api/v1/billing/policies/", body, format="json").status_code == 201
    assert HouseBillingPolicy.objects.get(house=house).updated_by == operator.user
    assert AuditEntry.objects.get().action == "create"


# Navigation and the page itself


def test_operators_find_rent_and_fees_in_the_navigation_and_managers_do_not(page, operator, manager):
    assert 'href="/dashboard/settings/rent/"' in page(operator).get("/dashboard/residents/").content.decode()
    assert 'href="/dashboard/settings/rent/"' not in page(manager).get("/dashboard/residents/").content.decode()
    current = page(operator).get(LIST).content.decode()
    assert 'href="/dashboard/settings/rent/" aria-current="page">Rent &amp; fees</a>' in current


def test_each_row_of_the_houses_page_and_the_settings_page_lead_to_rent_settings(page, operator, house):
    client = page(operator)
    assert f'href="{edit_url(house)}">Rent &amp; fees' in client.get("/dashboard/houses/").content.decode()
    assert f'href="{LIST}"' in client.get("/dashboard/settings/").content.decode()


def test_the_form_groups_the_late_fee_under_a_legend_and_labels_every_field(page, operator, house):
    response = page(operator).get(edit_url(house))
    body = response.content.decode()
    late_fee = body[body.index("<legend>Late fee</legend>") :]
    late_fee = late_fee[: late_fee.index('<div class="card group">')]
    for name in ["late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days"]:
        assert f'name="{name}"' in late_fee
    for name in ["rent_amount", "rent_due_weekday", "rent_due_day", "deposit_amount", "late_fee_amount",
                 "owing_alert_above"]:  # fmt: skip
        assert f'<label for="id_{name}">' in body
    assert "<legend>How often rent is due" in body
    assert "<legend>Kind of late fee" in body


def test_fields_for_some_answers_only_say_which(page, operator, house):
    body = page(operator).get(edit_url(house)).content.decode()
    assert 'data-show-when="rent_period" data-show-for="biweekly weekly"' in body
    assert 'data-show-when="rent_period" data-show-for="monthly"' in body
    assert 'data-show-when="late_fee_kind" data-show-for="flat"' in body
    assert 'data-show-when="late_fee_kind" data-show-for="percent"' in body
    assert 'data-show-when="late_fee_kind" data-show-for="flat percent"' in body


# Query counts


def _houses(operator, count):
    for number in range(count):
        house = HouseFactory(organization=operator.organization, name=f"Extra House {number}")
        if number % 2:
            set_terms(house, operator, late_fee_kind="percent", late_fee_percent=Decimal("5"))


def test_the_list_costs_the_same_queries_for_two_houses_or_many(page, operator, house, other_house,
                                                                django_assert_max_num_queries):  # fmt: skip
    set_terms(house, operator)
    client = page(operator)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(6) as small:
        assert client.get(LIST).status_code == 200
    _houses(operator, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(LIST).content.decode()
    assert body.count("a month, due on the 1st") == 11


def test_the_form_costs_a_few_queries(page, operator, house, django_assert_max_num_queries):
    set_terms(house, operator)
    client = page(operator)
    client.get(edit_url(house))
    with django_assert_max_num_queries(6):
        client.get(edit_url(house))


def test_the_dashboard_alert_amount_is_set_on_the_form_and_shown_in_the_list(page, operator, house):
    data = {"rent_amount": "900.00", "rent_period": "monthly", "rent_due_day": "1", "deposit_amount": "0",
            "late_fee_kind": "none", "owing_alert_above": "250.00"}  # fmt: skip
    response = page(operator).submit(f"/dashboard/settings/rent/{house.pk}/", data, follow=True)
    assert HouseBillingPolicy.objects.get(house=house).owing_alert_above == Decimal("250.00")
    assert "Dashboard flags residents owing more than $250.00 past due." in response.content.decode()


def test_an_empty_alert_amount_means_the_default(page, operator, house):
    data = {"rent_amount": "900.00", "rent_period": "monthly", "rent_due_day": "1", "deposit_amount": "0",
            "late_fee_kind": "none", "owing_alert_above": ""}  # fmt: skip
    page(operator).submit(f"/dashboard/settings/rent/{house.pk}/", data)
    assert HouseBillingPolicy.objects.get(house=house).owing_alert_above == Decimal("100.00")


def test_a_negative_alert_amount_is_refused_beside_the_field(page, operator, house):
    data = {"rent_amount": "900.00", "rent_period": "monthly", "rent_due_day": "1", "deposit_amount": "0",
            "late_fee_kind": "none", "owing_alert_above": "-5"}  # fmt: skip
    response = page(operator).submit(f"/dashboard/settings/rent/{house.pk}/", data)
    assert response.status_code == 400
    assert "owing_alert_above" in response.context["form"].errors
    assert not HouseBillingPolicy.objects.filter(house=house).exists()
