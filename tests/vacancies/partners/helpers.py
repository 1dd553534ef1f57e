"""A referral as a partner sends it, through the service the pages call."""

from vacancies.services.partners import referral_submit


def refer(partner, *, first_name="Jamie", last_name="Lopez", **fields):
    fields.setdefault("phone", "(555) 010-2000")
    fields.setdefault("referrer_name", "Casey Case")
    fields.setdefault("referrer_email", "casey@hope.example")
    fields.setdefault("consent_to_contact", True)
    return referral_submit(partner=partner, first_name=first_name, last_name=last_name, **fields)
