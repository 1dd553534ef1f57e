"""Writes the portal makes for the resident themself that no topic service owns: the language they read."""

from django.db import transaction

from accounts.models import Membership
from accounts.services import set_preferred_language
from residents.models import Resident


def resident_language_set(*, viewer: Membership, language: str) -> Resident:
    """The resident behind ``viewer`` reads ``language`` from now on: their login's language (pages, e-mails) and
    their resident record's (receipts, statements, the rules they sign) change together, or neither does. An unknown
    language is refused (``Invalid`` on ``preferred_language``)."""
    with transaction.atomic():
        set_preferred_language(viewer.user, language)
        resident = Resident.objects.select_for_update().get(pk=viewer.resident.pk)
        if resident.preferred_language != language:
            resident.preferred_language = language
            resident.save(update_fields=["preferred_language"])
    return resident
