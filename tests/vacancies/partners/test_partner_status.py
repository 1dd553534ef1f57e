"""A partner sees where its referral stands in its own words: one status for each step of the pipeline."""

from django.utils import timezone

from residents.models import Application
from vacancies.partner_selectors import partner_status

S = Application.Status
NOW = timezone.now()


def test_a_new_application_nobody_has_replied_to_is_received():
    assert partner_status(status=S.NEW, first_contacted_at=None) == "received"


def test_a_new_application_someone_has_replied_to_is_contacted():
    assert partner_status(status=S.NEW, first_contacted_at=NOW) == "contacted"


def test_an_application_in_screening_is_contacted():
    assert partner_status(status=S.SCREENING, first_contacted_at=NOW) == "contacted"


def test_an_application_at_interview_is_interview():
    assert partner_status(status=S.INTERVIEW, first_contacted_at=NOW) == "interview"


def test_a_waitlisted_application_is_accepted():
    assert partner_status(status=S.WAITLISTED, first_contacted_at=NOW) == "accepted"


def test_an_accepted_application_is_accepted():
    assert partner_status(status=S.ACCEPTED, first_contacted_at=NOW) == "accepted"


def test_an_admitted_application_is_admitted():
    assert partner_status(status=S.ADMITTED, first_contacted_at=NOW) == "admitted"


def test_a_declined_application_is_declined():
    assert partner_status(status=S.DECLINED, first_contacted_at=NOW) == "declined"


def test_a_withdrawn_application_is_withdrawn():
    assert partner_status(status=S.WITHDRAWN, first_contacted_at=None) == "withdrawn"


def test_every_status_of_an_application_has_a_partner_status():
    assert {partner_status(status=status, first_contacted_at=None) for status in S} <= {
        "received", "contacted", "interview", "accepted", "admitted", "declined", "withdrawn",
    }  # fmt: skip
