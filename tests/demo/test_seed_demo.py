from django.apps import apps
from django.core.management import call_command

from accounts.models import Membership
from houses.models import Bed, House
from residents.models import Stay


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_creates_the_documented_logins(demo_db):
    roles = {
        m.user.email: (m.role, m.organization.slug) for m in Membership.objects.select_related("user", "organization")
    }
    assert roles["operator@example.com"] == ("operator", "second-wind")
    assert roles["manager@example.com"] == ("manager", "second-wind")
    assert roles["resident@example.com"] == ("resident", "second-wind")
    assert roles["operator@other.example.com"] == ("operator", "new-dawn")


def test_the_demo_logins_use_the_published_password(demo_db):
    from django.contrib.auth import get_user_model

    for email in ["operator@example.com", "manager@example.com", "resident@example.com", "operator@other.example.com"]:
        assert get_user_model().objects.get(email=email).check_password("hearth-demo")


def test_the_first_organization_has_three_houses_of_each_designation_and_about_thirty_beds(demo_db):
    houses = House.objects.filter(organization__slug="second-wind")
    assert sorted(houses.values_list("gender", flat=True)) == ["coed", "men", "women"]
    assert 28 <= Bed.objects.filter(house__in=houses).count() <= 32
    assert Stay.objects.filter(house__in=houses, move_out__isnull=True).count() > 15


def test_the_manager_runs_two_of_the_three_houses(demo_db):
    assert Membership.objects.get(user__email="manager@example.com").houses.count() == 2


def test_a_second_run_changes_nothing(demo_db):
    before = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == before
