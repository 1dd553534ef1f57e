"""One importer per sheet kind: reads a row's values, finds what Hearth already has by its natural key, and writes
what is missing through the services every page uses (so every rule, role check and closed month applies).

Natural keys (matched whatever the case, as the services compare names): a house by name in the organization; a
room by house and name; a bed by room and label; a resident by e-mail when the row gives one, else by first name,
last name and date of birth (``ResidentImporter`` says when a name alone is enough). A resident with an open stay at
the row's house is present; an opening balance is posted once per resident, found again by its memo.

Existing records are read once per import (a dictionary per natural key), so a row costs only its own writes.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.exceptions import Invalid
from accounts.models import Membership
from billing.models import EntryKind, LedgerEntry
from billing.services.ledger import charge_post, credit_post
from houses import services as house_services
from houses.forms import RoomForm
from houses.models import Bed, House, Room
from residents.core.services import residents as resident_services
from residents.core.services import stays as stay_services
from residents.models import Resident, Stay

from .kinds import columns_of
from .models import SheetKind
from .sheets import read_date, read_money, read_text

OPENING_MEMO = "Opening balance from import"


class RowInvalid(Exception):
    """A row's values cannot be read: ``errors`` is [(field, message)]."""

    def __init__(self, errors):
        super().__init__("; ".join(message for _row, message in errors))
        self.errors = errors


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


class Values:
    """A row's cells by field, read into Python values; errors gathered so a row reports every bad cell at once."""

    def __init__(self, kind: str, raw: dict):
        self.raw = raw
        self.errors: list[tuple[str, str]] = []
        self.columns = {column.name: column for column in columns_of(kind)}

    def text(self, name: str, *, limit: int | None = None) -> str:
        value = read_text(self.raw.get(name))
        if not value and self.columns[name].required:
            self.errors.append((name, "is required."))
        elif limit and len(value) > limit:
            self.errors.append((name, f"is longer than {limit} characters."))
        return value

    def date(self, name: str) -> date | None:
        try:
            value = read_date(self.raw.get(name))
        except ValueError as error:
            self.errors.append((name, str(error)))
            return None
        if value is None and self.columns[name].required:
            self.errors.append((name, "is required."))
        return value

    def money(self, name: str) -> Decimal | None:
        try:
            return read_money(self.raw.get(name))
        except ValueError as error:
            self.errors.append((name, str(error)))
            return None

    def choice(self, name: str, choices: dict[str, object]):
        value = read_text(self.raw.get(name))
        if not value:
            if self.columns[name].required:
                self.errors.append((name, "is required."))
            return None
        found = choices.get(_key(value).replace("-", "").replace(" ", ""))
        if found is None:
            self.errors.append((name, f"“{value}” is not one of: {', '.join(sorted(set(map(str, choices))))}."))
        return found

    def done(self):
        if self.errors:
            raise RowInvalid(self.errors)


class Outcome:
    """What one row wrote (``created``: ids by record kind) and found already there (``present``: record kinds)."""

    def __init__(self):
        self.created: dict[str, list[int]] = {}
        self.present: list[str] = []

    def add(self, what: str, obj) -> None:
        self.created.setdefault(what, []).append(obj.pk)


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# The room page's limits for a floor, so a sheet cannot add a room the page would refuse.
FLOOR_MIN = RoomForm.base_fields["floor"].min_value
FLOOR_MAX = RoomForm.base_fields["floor"].max_value


class HouseImporter:
    # The service's own field names mapped onto the sheet's columns, for its refusals.
    fields = {"name": "name", "opened_on": "opened_on", "closed_on": "opened_on"}
    GENDERS = {
        "men": House.Gender.MEN,
        "women": House.Gender.WOMEN,
        "coed": House.Gender.COED,
        "mixed": House.Gender.COED,
    }
    LEVELS = {
        "1": 1,
        "2": 2,
        "3": 3,
        "4": 4,
        "i": 1,
        "ii": 2,
        "iii": 3,
        "iv": 4,
        "level1": 1,
        "level2": 2,
        "level3": 3,
        "level4": 4,
        "leveli": 1,
        "levelii": 2,
        "leveliii": 3,
        "leveliv": 4,
    }

    def __init__(self, actor: Membership):
        self.actor = actor
        self.houses = {_key(house.name): house for house in House.objects.filter(organization=actor.organization)}

    def row(self, raw: dict, *, number: int) -> Outcome:
        values = Values(SheetKind.HOUSES, raw)
        fields = {"name": values.text("name", limit=_limit(House, "name"))}
        fields["gender"] = values.choice("gender", self.GENDERS)
        for name in ("address_line1", "address_line2", "city", "state", "postal_code", "phone"):
            fields[name] = values.text(name, limit=_limit(House, name))
        fields["narr_level"] = values.choice("narr_level", self.LEVELS)
        fields["opened_on"] = values.date("opened_on")
        values.done()
        outcome = Outcome()
        if _key(fields["name"]) in self.houses:
            outcome.present.append("house")
            return outcome
        house = house_services.house_create(actor=self.actor, **fields)
        outcome.add("house", house)
        self.houses[_key(house.name)] = house
        return outcome


class PlaceLookup:
    """The organization's houses, rooms and beds by natural key, read once."""

    def __init__(self, actor: Membership):
        organization = actor.organization
        self.houses = {
            _key(house.name): house
            for house in House.objects.filter(organization=organization).select_related("organization")
        }
        self.rooms = {
            (room.house_id, _key(room.name)): room for room in Room.objects.filter(house__organization=organization)
        }
        beds = Bed.objects.filter(house__organization=organization).select_related("house", "room")
        self.beds = {(bed.room_id, _key(bed.label)): bed for bed in beds}

    def house(self, name: str) -> House:
        house = self.houses.get(_key(name))
        if house is None:
            raise Invalid(
                _("There is no house named “%(name)s”; import the houses first.") % {"name": name}, field="house"
            )
        return house

    def room(self, house: House, name: str) -> Room | None:
        return self.rooms.get((house.pk, _key(name)))

    def bed(self, room: Room, label: str) -> Bed | None:
        return self.beds.get((room.pk, _key(label)))


class BedImporter:
    fields = {"name": "room", "label": "bed", "in_service_from": "in_service_from", "room": "house"}

    def __init__(self, actor: Membership):
        self.actor = actor
        self.places = PlaceLookup(actor)

    def row(self, raw: dict, *, number: int) -> Outcome:
        values = Values(SheetKind.BEDS, raw)
        house_name = values.text("house")
        room_name = values.text("room", limit=_limit(Room, "name"))
        label = values.text("bed", limit=_limit(Bed, "label"))
        floor_text = values.text("floor")
        floor = 1
        if floor_text:
            try:
                floor = int(floor_text)
            except ValueError:
                values.errors.append(("floor", f"“{floor_text}” is not a whole number."))
            else:
                if not FLOOR_MIN <= floor <= FLOOR_MAX:
                    values.errors.append(("floor", f"{floor} is not a floor: write {FLOOR_MIN} to {FLOOR_MAX}."))
        in_service_from = values.date("in_service_from")
        values.done()
        outcome = Outcome()
        house = self.places.house(house_name)
        room = self.places.room(house, room_name)
        new_room = room is None
        if new_room:
            room = house_services.room_create(actor=self.actor, house=house, name=room_name, floor=floor)
            outcome.add("room", room)
        else:
            outcome.present.append("room")
        bed = self.places.bed(room, label)
        if bed is None:
            bed = house_services.bed_create(actor=self.actor, room=room, label=label, in_service_from=in_service_from)
            outcome.add("bed", bed)
            self.places.beds[(room.pk, _key(bed.label))] = bed
        else:
            outcome.present.append("bed")
        if new_room:
            self.places.rooms[(house.pk, _key(room.name))] = room
        return outcome


class ResidentImporter:
    """Residents with their current stay and opening balance.

    Who a row is (``_find``): the resident with the row's e-mail, whose legal first and last names must then be the
    row's (else the row is refused: the e-mail belongs to someone else); failing that, the resident with the row's
    first name, last name and date of birth. By name alone (the row and the resident both without a date of birth)
    only when nothing tells them apart: two different e-mails do. A namesake the row cannot be told apart from,
    because one of the two has a date of birth and the other not, or both have e-mails that differ, refuses the row
    until both have a date of birth: neither a silent duplicate nor two people merged into one. A person twice in one
    sheet (the same e-mail, or the same name and date of birth) is a bad row the second time.

    A resident carried over from before Hearth is admitted with ``billed_from`` the day after their balance date
    (or the import day when the row has none): their opening balance is what they owed up to then, deposit included,
    so Hearth charges no deposit and bills rent only from that night.
    """

    fields = {
        "on": "move_in",
        "bed": "bed",
        "resident": "first_name",
        "payer_name": "first_name",
        "effective_on": "balance_on",
        "amount": "opening_balance",
        "memo": "opening_balance",
    }

    def __init__(self, actor: Membership):
        self.actor = actor
        self.places = PlaceLookup(actor)
        self.by_email: dict[str, Resident] = {}
        self.by_name: dict[tuple[str, str], list[Resident]] = {}
        for resident in Resident.objects.filter(organization=actor.organization).order_by("pk"):
            self._remember(resident)
        open_stays = Stay.objects.filter(organization=actor.organization, move_out__isnull=True)
        self.open_house = dict(open_stays.values_list("resident_id", "house_id"))
        entries = LedgerEntry.objects.filter(organization=actor.organization, memo=OPENING_MEMO)
        self.balanced = set(entries.values_list("resident_id", flat=True))
        # This sheet's people so far: e-mail -> row, (first, last, born) -> (row, e-mail).
        self.seen_email: dict[str, int] = {}
        self.seen_name: dict[tuple, tuple[int, str]] = {}

    def _remember(self, resident: Resident) -> None:
        if resident.email:
            self.by_email.setdefault(resident.email.lower(), resident)
        namesakes = self.by_name.setdefault((_key(resident.legal_first_name), _key(resident.legal_last_name)), [])
        if resident not in namesakes:
            namesakes.append(resident)

    def _repeat(self, *, number: int, email: str, first: str, last: str, born: date | None) -> None:
        """Refuses a row whose person an earlier row of the sheet already named; else remembers them."""
        if email and email.lower() in self.seen_email:
            raise Invalid(
                _("Same person as row %(seen_email)s (the same e-mail).")
                % {"seen_email": self.seen_email[email.lower()]},
                field="email",
            )
        key = (_key(first), _key(last), born)
        earlier = self.seen_name.get(key)
        if earlier is not None and not (email and earlier[1] and email.lower() != earlier[1]):
            raise Invalid(
                _("Same person as row %(earlier)s (the same name and date of birth).") % {"earlier": earlier[0]},
                field="first_name",
            )
        if email:
            self.seen_email[email.lower()] = number
        self.seen_name.setdefault(key, (number, email.lower()))

    def _find(self, *, email: str, first: str, last: str, born: date | None) -> Resident | None:
        if email:
            resident = self.by_email.get(email.lower())
            if resident is not None:
                if (_key(resident.legal_first_name), _key(resident.legal_last_name)) != (_key(first), _key(last)):
                    raise Invalid(
                        _("This e-mail belongs to %(resident)s in Hearth, not to %(first)s %(last)s.")
                        % {"resident": resident.legal_name, "first": first, "last": last},
                        field="email",
                    )
                return resident
        namesakes = self.by_name.get((_key(first), _key(last)), [])
        for resident in namesakes:
            if born and resident.date_of_birth == born:
                return resident
        # Namesakes whose date of birth does not tell them apart from the row (one side has none).
        unclear = [resident for resident in namesakes if not (born and resident.date_of_birth)]
        for resident in unclear:
            if born is None and resident.date_of_birth is None and not (email and resident.email):
                return resident
        if unclear:
            raise Invalid(
                _(
                    "Hearth already has a resident named %(name)s, and this row does not tell whether it is them: "
                    "give their date of birth both in Hearth (on their page) and on this row."
                )
                % {"name": unclear[0].legal_name},
                field="first_name",
            )
        return None

    def row(self, raw: dict, *, number: int) -> Outcome:
        values = Values(SheetKind.RESIDENTS, raw)
        profile = {
            "legal_first_name": values.text("first_name", limit=_limit(Resident, "legal_first_name")),
            "legal_last_name": values.text("last_name", limit=_limit(Resident, "legal_last_name")),
            "preferred_name": values.text("preferred_name", limit=_limit(Resident, "preferred_name")),
            "email": values.text("email", limit=_limit(Resident, "email")),
            "phone": values.text("phone", limit=_limit(Resident, "phone")),
            "date_of_birth": values.date("date_of_birth"),
            "emergency_contact_name": values.text("emergency_contact_name", limit=120),
            "emergency_contact_phone": values.text("emergency_contact_phone", limit=40),
        }
        if profile["email"] and ("@" not in profile["email"] or " " in profile["email"]):
            values.errors.append(("email", f"“{profile['email']}” is not an e-mail address."))
        house_name, room_name, label = values.text("house"), values.text("room"), values.text("bed")
        move_in = values.date("move_in")
        balance = values.money("opening_balance")
        balance_on = values.date("balance_on")
        values.done()
        who = {
            "email": profile["email"],
            "first": profile["legal_first_name"],
            "last": profile["legal_last_name"],
            "born": profile["date_of_birth"],
        }
        self._repeat(number=number, **who)

        house = self.places.house(house_name)
        room = self.places.room(house, room_name)
        if room is None:
            raise Invalid(
                _("%(house)s has no room named “%(room_name)s”; import the beds first.")
                % {"house": house.name, "room_name": room_name},
                field="room",
            )
        bed = self.places.bed(room, label)
        if bed is None:
            raise Invalid(
                _("%(room)s in %(house)s has no bed “%(label)s”; import the beds first.")
                % {"room": room.name, "house": house.name, "label": label},
                field="bed",
            )

        outcome = Outcome()
        resident = self._find(**who)
        today = self.actor.organization.today()
        billed_from = balance_on + timedelta(days=1) if balance_on else today
        if resident is None:
            stay = resident_services.resident_admit_new(
                actor=self.actor, bed=bed, on=move_in, billed_from=billed_from, **profile
            )
            resident = stay.resident
            outcome.add("resident", resident)
            outcome.add("stay", stay)
        elif self.open_house.get(resident.pk) == house.pk:
            outcome.present += ["resident", "stay"]
        elif resident.pk in self.open_house:
            raise Invalid(
                _("%(resident)s already lives in another house; move them there with a transfer.")
                % {"resident": resident},
                field="house",
            )
        else:
            outcome.present.append("resident")
            stay = stay_services.stay_admit(
                actor=self.actor, resident=resident, bed=bed, on=move_in, billed_from=billed_from
            )
            outcome.add("stay", stay)

        if balance and resident.pk in self.balanced:
            outcome.present.append("opening balance")
        elif balance:
            post = charge_post if balance > 0 else credit_post
            extra = {"kind": EntryKind.OTHER} if balance > 0 else {}
            entry = post(
                actor=self.actor,
                resident=resident,
                amount=abs(balance),
                memo=OPENING_MEMO,
                effective_on=balance_on or today,
                **extra,
            )
            outcome.add("opening balance", entry)
            self.balanced.add(resident.pk)

        self.open_house[resident.pk] = house.pk
        self._remember(resident)
        return outcome


IMPORTERS = {SheetKind.HOUSES: HouseImporter, SheetKind.BEDS: BedImporter, SheetKind.RESIDENTS: ResidentImporter}

# What each record kind is, for counts and the audit entry's detail.
RECORD_MODELS = {
    "house": House,
    "room": Room,
    "bed": Bed,
    "resident": Resident,
    "stay": Stay,
    "opening balance": LedgerEntry,
}
