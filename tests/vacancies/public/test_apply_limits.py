"""The per-address limit counts applications sent (and robots' honeypot posts), not a person's attempts: a form sent
back with a mistake counts apart, under a far higher limit. Every drop is logged at INFO."""

import logging

import pytest

from residents.models import Application
from vacancies import public_views

from .test_apply import ANSWERS, nothing_written

pytestmark = pytest.mark.django_db

APPLY = "/v/second-wind/maple-house/apply/"
TYPO = {**ANSWERS, "email": "dana@example"}  # not an address: sent back to be fixed
ROBOT = {**ANSWERS, "hp_confirm": "http://spam.example"}


def test_a_person_fixing_typos_ten_times_can_still_apply(visitor, listing):
    for _ in range(10):
        assert visitor.submit(APPLY, TYPO).status_code == 400

    assert visitor.submit(APPLY, ANSWERS).status_code == 302
    assert Application.objects.count() == 1


def test_posts_with_mistakes_do_not_use_up_the_applications_allowed(visitor, listing, settings):
    settings.PUBLIC_APPLICATIONS_PER_ADDRESS = "2/h"
    for _ in range(5):
        visitor.submit(APPLY, TYPO)

    answers = [visitor.submit(APPLY, ANSWERS).status_code for _ in range(2)]

    assert answers == [302, 302]
    assert Application.objects.count() == 2


def test_past_the_limit_of_posts_with_mistakes_an_address_gets_a_429(visitor, listing, monkeypatch):
    monkeypatch.setattr(public_views, "INVALID_POSTS_PER_ADDRESS", "3/h")
    for _ in range(3):
        assert visitor.submit(APPLY, TYPO).status_code == 400

    response = visitor.submit(APPLY, ANSWERS)

    assert response.status_code == 429
    assert "Too many applications from your network" in response.content.decode()
    assert nothing_written()


def test_honeypot_posts_use_up_the_addresss_allowance(visitor, listing, settings):
    settings.PUBLIC_APPLICATIONS_PER_ADDRESS = "2/h"
    for _ in range(2):
        assert visitor.submit(APPLY, ROBOT).status_code == 302

    assert visitor.submit(APPLY, ANSWERS).status_code == 429
    assert nothing_written()


def test_a_honeypot_drop_is_logged_at_info(visitor, listing, caplog):
    with caplog.at_level(logging.INFO, logger="vacancies.public_views"):
        visitor.submit(APPLY, ROBOT)

    [record] = [record for record in caplog.records if record.name == "vacancies.public_views"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "Dropped a public application to second-wind: the honeypot field was filled."


def test_a_drop_past_the_limit_is_logged_at_info(visitor, listing, settings, caplog):
    settings.PUBLIC_APPLICATIONS_PER_ADDRESS = "1/h"
    visitor.submit(APPLY, ANSWERS)

    with caplog.at_level(logging.INFO, logger="vacancies.public_views"):
        visitor.submit(APPLY, ANSWERS)

    [record] = [record for record in caplog.records if record.name == "vacancies.public_views"]
    assert (record.levelno, record.getMessage()) == (
        logging.INFO,
        "Dropped a public application to second-wind: the address reached its limit.",
    )


def test_the_honeypot_has_a_name_password_managers_do_not_fill(visitor, listing):
    page = visitor.get(APPLY).content.decode()

    assert 'name="hp_confirm"' in page
    assert 'name="website"' not in page
    assert '<label for="id_hp_confirm">Leave this field empty</label>' in page
