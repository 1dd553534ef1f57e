"""On PostgreSQL, two managers admitting into one bed at the same moment leave exactly one stay."""

import threading
from datetime import date

import pytest
from django.db import connection

from accounts.exceptions import DomainError
from residents.core.services.stays import stay_admit
from residents.models import Stay
from tests.factories import BedFactory, HouseFactory, MembershipFactory, ResidentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(workers):
    barrier = threading.Barrier(len(workers))
    outcomes = []

    def run(work):
        try:
            barrier.wait()
            work()
            outcomes.append("admitted")
        except DomainError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_concurrent_admissions_into_one_bed_leave_exactly_one_stay():
    house = HouseFactory()
    bed = BedFactory(room__house=house)
    actor = MembershipFactory(organization=house.organization)
    residents = [ResidentFactory(organization=house.organization) for _ in range(4)]
    outcomes = _race([lambda r=r: stay_admit(actor=actor, resident=r, bed=bed, on=date(2026, 3, 1)) for r in residents])
    assert outcomes.count("admitted") == 1
    assert Stay.objects.filter(house=house).count() == 1


def test_one_resident_admitted_concurrently_into_two_beds_gets_one_stay():
    house = HouseFactory(beds=2)
    actor = MembershipFactory(organization=house.organization)
    resident = ResidentFactory(organization=house.organization)
    beds = list(house.beds.all())
    outcomes = _race([lambda b=b: stay_admit(actor=actor, resident=resident, bed=b, on=date(2026, 3, 1)) for b in beds])
    assert outcomes.count("admitted") == 1
    assert Stay.objects.filter(resident=resident).count() == 1
