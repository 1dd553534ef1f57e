"""The sheet kinds an operator can import and their columns: the Hearth field each column fills, whether it is
required, what it holds, and the header names it is matched with before the operator maps the columns."""

from dataclasses import dataclass

from .models import SheetKind
from .sheets import normalize


@dataclass(frozen=True)
class Column:
    name: str  # the Hearth field, the key of ImportRun.mapping
    label: str  # the header the sample files use
    required: bool
    help: str
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        wanted = {normalize(self.name), normalize(self.label), *(normalize(alias) for alias in self.aliases)}
        return normalize(header) in wanted


DATE_HELP = "a date: an Excel date, 2026-03-01 or 03/01/2026"

COLUMNS: dict[str, list[Column]] = {
    SheetKind.HOUSES: [
        Column("name", "Name", True, "the house's name, unique in the organization", ("house", "house name")),
        Column("gender", "Gender", True, "men, women or co-ed", ("designation", "gender designation")),
        Column("address_line1", "Address", False, "street address", ("address line 1", "street")),
        Column("address_line2", "Address line 2", False, "apartment, suite", ("address 2",)),
        Column("city", "City", False, "city"),
        Column("state", "State", False, "state, e.g. IL"),
        Column("postal_code", "Postal code", False, "ZIP or postal code", ("zip", "zip code", "postcode")),
        Column("phone", "Phone", False, "the house phone"),
        Column("narr_level", "NARR level", False, "1, 2, 3 or 4 (or I to IV)", ("level",)),
        Column(
            "opened_on",
            "Opened on",
            False,
            f"the first night it offers beds, {DATE_HELP} (blank: today)",
            ("opened", "open date"),
        ),
    ],
    SheetKind.BEDS: [
        Column("house", "House", True, "the house's name, as Hearth has it", ("house name",)),
        Column("room", "Room", True, "the room's name; a room not yet in the house is added", ("room name",)),
        Column("bed", "Bed", True, "the bed's label, unique in its room", ("bed label", "label")),
        Column(
            "floor",
            "Floor",
            False,
            "the room's floor, a whole number from -5 to 200 (blank: 1); used when the room is added",
        ),
        Column(
            "in_service_from",
            "In service from",
            False,
            f"the first night the bed is offered, {DATE_HELP} (blank: the house's opening for a house "
            "entered today, else tonight)",
            ("in service",),
        ),
    ],
    SheetKind.RESIDENTS: [
        Column("first_name", "First name", True, "legal first name", ("first", "given name", "legal first name")),
        Column(
            "last_name", "Last name", True, "legal last name", ("last", "surname", "family name", "legal last name")
        ),
        Column("preferred_name", "Preferred name", False, "the name they go by", ("nickname",)),
        Column("email", "E-mail", False, "e-mail address; identifies the resident when given", ("email address",)),
        Column("phone", "Phone", False, "phone number", ("mobile", "cell")),
        Column(
            "date_of_birth",
            "Date of birth",
            False,
            f"{DATE_HELP}; with the name, identifies a resident who has no e-mail",
            ("dob", "birth date", "born"),
        ),
        Column(
            "emergency_contact_name",
            "Emergency contact",
            False,
            "name of the emergency contact",
            ("emergency contact name",),
        ),
        Column("emergency_contact_phone", "Emergency contact phone", False, "their phone number"),
        Column("house", "House", True, "the house they live in, by name", ("house name",)),
        Column("room", "Room", True, "their room, by name"),
        Column("bed", "Bed", True, "their bed's label", ("bed label",)),
        Column(
            "move_in",
            "Move-in date",
            True,
            f"the first night of their current stay, {DATE_HELP}",
            ("move in", "moved in", "admitted", "admission date"),
        ),
        Column(
            "opening_balance",
            "Opening balance",
            False,
            "what they owe today: positive owes, negative is in credit ($ and commas allowed)",
            ("balance", "balance owed"),
        ),
        Column(
            "balance_on",
            "Balance as of",
            False,
            f"the day of the opening balance, {DATE_HELP} (blank: today); Hearth bills rent from the day after",
            ("balance date",),
        ),
    ],
}


def columns_of(kind: str) -> list[Column]:
    return COLUMNS[kind]


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Each field's column, found by name (case and spaces ignored); '' where no header matches."""
    mapping = {}
    for column in columns_of(kind):
        mapping[column.name] = next((header for header in headers if header and column.matches(header)), "")
    return mapping


def check_mapping(kind: str, headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Errors by field: a required field left unmapped, a header the sheet does not have, a column used twice."""
    errors = {}
    used: dict[str, str] = {}
    for column in columns_of(kind):
        header = mapping.get(column.name, "")
        if not header:
            if column.required:
                errors[column.name] = f"Choose the column that holds “{column.label}”."
            continue
        if header not in headers:
            errors[column.name] = f"The sheet has no column named “{header}”."
        elif header in used:
            errors[column.name] = f"“{header}” is already used for “{used[header]}”."
        else:
            used[header] = column.label
    return errors
