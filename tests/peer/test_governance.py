from datetime import date

import pytest

from accounts.exceptions import Conflict, Invalid, NotAllowed, NotFound
from accounts.models import Role
from houses import services as house_services
from houses.models import House
from peer.models import HouseCharter, OfficerTerm
from peer.services import governance
from peer.services.authority import require_office
from residents.core.services.stays import stay_discharge
from tests.factories import HouseFactory, MembershipFactory, operator_of
from tests.peer.conftest import add_member, login, peer_run


def test_a_house_made_peer_run_gets_the_default_charter(organization):
    house = peer_run(HouseFactory(organization=organization, beds=4))
    charter = HouseCharter.objects.get(house=house)
    assert (house.governance, charter.term_months, charter.admission_percent) == ("peer_run", 6, 80)


def test_a_house_with_a_manager_cannot_become_peer_run(organization, house, manager):
    with pytest.raises(Conflict, match="unassign them first"):
        peer_run(house)
    assert House.objects.get(pk=house.pk).governance == "staff_run"


def test_a_manager_cannot_be_assigned_to_a_peer_run_house(organization, peer_house):
    manager = MembershipFactory(organization=organization, role=Role.MANAGER)
    with pytest.raises(Invalid, match="has no manager"):
        house_services.house_assign_staff(actor=operator_of(organization), membership=manager, houses=[peer_house])


def test_only_an_operator_makes_a_house_peer_run(organization, house, resident_member):
    with pytest.raises(NotAllowed):
        governance.house_governance_set(actor=resident_member, house=house, governance="peer_run")


def test_a_term_longer_than_six_months_is_refused(organization):
    house = HouseFactory(organization=organization, beds=4)
    with pytest.raises(Exception, match="6"):
        peer_run(house, term_months=7)
    assert not HouseCharter.objects.filter(house=house).exists()


def test_a_term_ends_on_its_own_after_the_charters_months(peer_house, members):
    term = OfficerTerm.objects.get(house=peer_house, office="treasurer")
    assert (term.starts_on, term.ends_on) == (date(2026, 1, 10), date(2026, 7, 10))
    assert not OfficerTerm.objects.on(date(2026, 7, 10)).filter(pk=term.pk).exists()


def test_a_shorter_charter_term_makes_shorter_terms(organization):
    house = peer_run(HouseFactory(organization=organization, beds=4), term_months=3)
    resident = add_member(house)
    term = governance.officer_elect(
        actor=operator_of(organization), house=house, office="secretary", resident=resident, starts_on=date(2026, 2, 1)
    )
    assert term.ends_on == date(2026, 5, 1)


def test_the_operator_cannot_elect_officers_once_the_house_holds_meetings(peer_house, members, meeting):
    with pytest.raises(NotAllowed, match="elected at them"):
        governance.officer_elect(
            actor=operator_of(peer_house.organization), house=peer_house, office="secretary",
            resident=members.treasurer, starts_on=date(2026, 3, 12),
        )  # fmt: skip


def test_the_president_elects_officers_at_an_open_meeting(peer_house, members, meeting):
    term = governance.officer_elect(
        actor=login(members.president), house=peer_house, office="secretary", resident=members.coordinator,
        starts_on=date(2026, 3, 12), meeting=meeting,
    )  # fmt: skip
    before = OfficerTerm.objects.get(house=peer_house, office="secretary", resident=members.secretary)
    assert (term.elected_at, before.ends_on) == (meeting, date(2026, 3, 12))


def test_a_president_cannot_serve_two_terms_in_a_row(peer_house, members, meeting):
    with pytest.raises(Invalid, match="two terms in a row"):
        governance.officer_elect(
            actor=login(members.president), house=peer_house, office="president", resident=members.president,
            starts_on=date(2026, 7, 10), meeting=meeting,
        )  # fmt: skip


def test_another_member_can_follow_the_president(peer_house, members, meeting):
    term = governance.officer_elect(
        actor=login(members.president), house=peer_house, office="president", resident=members.secretary,
        starts_on=date(2026, 7, 10), meeting=meeting,
    )  # fmt: skip
    assert term.ends_on == date(2027, 1, 10)


def test_only_a_member_living_in_the_house_can_hold_an_office(peer_house, members, meeting, resident_member):
    outsider = resident_member.resident
    with pytest.raises(Invalid, match="living in the house"):
        governance.officer_elect(
            actor=login(members.president), house=peer_house, office="treasurer", resident=outsider,
            starts_on=date(2026, 3, 12), meeting=meeting,
        )  # fmt: skip


def test_a_member_who_leaves_the_house_leaves_their_office(peer_house, members):
    stay = members.treasurer.stays.get()
    stay_discharge(actor=operator_of(peer_house.organization), stay=stay, on=date(2026, 3, 11), reason="voluntary")
    assert OfficerTerm.objects.get(resident=members.treasurer).ends_on == date(2026, 3, 11)


def test_an_office_grants_its_duties_only_to_its_holder(peer_house, members):
    assert require_office(login(members.treasurer), peer_house, "treasurer") == members.treasurer
    with pytest.raises(NotAllowed, match="treasurer"):
        require_office(login(members.secretary), peer_house, "treasurer")


def test_a_member_of_another_house_finds_no_such_house(peer_house, members, resident_member):
    with pytest.raises(NotFound):
        require_office(resident_member, peer_house, "treasurer")


def test_going_back_to_staff_run_ends_every_term_today(peer_house, members):
    governance.house_governance_set(
        actor=operator_of(peer_house.organization), house=peer_house, governance="staff_run"
    )
    assert set(OfficerTerm.objects.filter(house=peer_house).values_list("ends_on", flat=True)) == {date(2026, 3, 11)}
