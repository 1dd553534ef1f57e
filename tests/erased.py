"""What an erasure at the applicant's request leaves: the row the monthly figures count, with nothing that tells who
the person was or what anyone wrote about them."""

from residents.models import Application, ApplicationEvent


def assert_nothing_personal_left(application_id: int, *words: str) -> Application:
    """The application ``application_id`` is erased: its personal fields blank, its history's notes blank but the
    erasure's own, and none of ``words`` (the person's name, what they wrote) anywhere on it."""
    application = Application.objects.get(pk=application_id)
    assert application.erased_at is not None
    assert (application.first_name, application.last_name, application.preferred_name) == ("Erased", "", "")
    assert (application.phone, application.email, application.notes, application.payer_name) == ("", "", "", "")
    assert (application.referral_source, application.decline_reason) == ("", "")
    assert (application.date_of_birth, application.sobriety_date, application.on_moud) == (None, None, None)
    notes = set(ApplicationEvent.objects.filter(application=application).values_list("note", flat=True))
    assert notes <= {"", "Erased at the applicant's request"}
    kept = " ".join(str(value) for value in Application.objects.filter(pk=application_id).values().get().values())
    for word in words:
        assert word not in kept, word
        assert not any(word in note for note in notes), word
    return application
