"""Takes other residents out of the free text of a resident's own export (their right of access holds nothing of
another resident): every name (legal first, last, preferred, and first and last together), phone number and e-mail
of the organization's other residents and applicants becomes ``[another resident]``.

Matching is on whole words, case-insensitive, by looking each word (and run of up to four words) up in a set, so its
cost does not grow with the number of residents. The resident's own names, phones and e-mails (from their record
and their applications) are never replaced, even where another resident shares one: "Ana" stays when both are Ana,
while the other's full name, "Ana Baptiste", goes. Staff names are left as written: staff act in their role, and a
note's author is the operator's record of who wrote it.

Matching by words over-redacts rather than under-redacts: a resident whose last name is an everyday word ("Hope")
hides that word wherever it appears.
"""

import re
from collections.abc import Iterable
from itertools import pairwise

from residents.models import Application, Resident

OTHER_RESIDENT = "[another resident]"
MAX_WORDS = 4  # the longest name looked up ("Mary Ann de Souza")

WORD = re.compile(r"\w+")
# Between the words of one name: spaces, or a name's own hyphen or apostrophe ("Mary-Jane", "O'Brien").
NAME_GAP = re.compile(r"[\s'\u2019-]+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with the separators phone numbers are written with; the numbers inside it are tried group by group.
PHONE_RUN = re.compile(r"(?<![\w])\+?\(?\d[\d().\s-]*\d(?![\w])")
DIGITS = re.compile(r"\d+")

OWN, OTHER = "own", "other"


def _words(name: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in WORD.findall(name or ""))


def _phone_keys(number: str) -> set[str]:
    """A phone number's digits as compared: the number without a leading country code 1, and its last seven digits
    (written without the area code)."""
    digits = "".join(DIGITS.findall(number or ""))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not 7 <= len(digits) <= 10:
        return set()
    return {digits, digits[-7:]}


class Redactor:
    """The other residents' names, phones and e-mails, and the resident's own (which are kept)."""

    def __init__(self):
        self.names: dict[tuple[str, ...], str] = {}
        self.phones: dict[str, str] = {}
        self.emails: dict[str, str] = {}

    def add(self, whose: str, *, first="", last="", preferred="", phones=(), emails=()) -> None:
        for name in (first, last, preferred, f"{first} {last}", f"{preferred} {last}" if preferred else ""):
            words = _words(name)
            if not words or len(words) > MAX_WORDS or (len(words) == 1 and len(words[0]) < 2):
                continue
            # The resident's own wins: a name they share with another resident is theirs too.
            if self.names.get(words) != OWN:
                self.names[words] = whose
        for number in phones:
            for key in _phone_keys(number):
                if self.phones.get(key) != OWN:
                    self.phones[key] = whose
        for email in emails:
            if email and self.emails.get(email.casefold()) != OWN:
                self.emails[email.casefold()] = whose

    def _email_spans(self, text: str) -> Iterable[tuple[int, int]]:
        for match in EMAIL.finditer(text):
            if self.emails.get(match.group().casefold()) == OTHER:
                yield match.span()

    def _phone_spans(self, text: str) -> Iterable[tuple[int, int]]:
        for run in PHONE_RUN.finditer(text):
            groups = list(DIGITS.finditer(run.group()))
            start = 0
            while start < len(groups):
                for end in range(len(groups), start, -1):
                    digits = "".join(g.group() for g in groups[start:end])
                    if self.phones.get(digits) == OTHER or (
                        len(digits) == 11 and digits[0] == "1" and self.phones.get(digits[1:]) == OTHER
                    ):
                        begin = run.start() + groups[start].start()
                        if start == 0:
                            begin = run.start()  # with the "+" or "(" the number starts with
                        yield begin, run.start() + groups[end - 1].end()
                        start = end
                        break
                else:
                    start += 1

    def _name_spans(self, text: str) -> Iterable[tuple[int, int]]:
        words = list(WORD.finditer(text))
        at = 0
        while at < len(words):
            for count in range(min(MAX_WORDS, len(words) - at), 0, -1):
                run = words[at : at + count]
                if any(not NAME_GAP.fullmatch(text[a.end() : b.start()]) for a, b in pairwise(run)):
                    continue
                whose = self.names.get(tuple(word.group().casefold() for word in run))
                if whose is None:
                    continue
                if whose == OTHER:
                    yield run[0].start(), run[-1].end()
                at += count
                break
            else:
                at += 1

    def __call__(self, text: str) -> str:
        if not text:
            return text
        taken: list[tuple[int, int]] = []
        for spans in (self._email_spans(text), self._phone_spans(text), self._name_spans(text)):
            for begin, end in spans:
                if all(end <= b or begin >= e for b, e in taken):
                    taken.append((begin, end))
        if not taken:
            return text
        parts, last = [], 0
        for begin, end in sorted(taken):
            parts += [text[last:begin], OTHER_RESIDENT]
            last = end
        parts.append(text[last:])
        return "".join(parts)


def redactor_for(resident: Resident) -> Redactor:
    """The redactor of ``resident``'s export: everyone else the organization keeps as a resident or an applicant
    (archived or not), read in two queries, and the resident's own names from their record and applications."""
    redactor = Redactor()
    people = Resident._base_manager.filter(organization_id=resident.organization_id).values_list(
        "pk", "legal_first_name", "legal_last_name", "preferred_name", "phone", "email", "membership__user__email"
    )
    applicants = Application._base_manager.filter(organization_id=resident.organization_id).values_list(
        "resident_id", "first_name", "last_name", "preferred_name", "phone", "email"
    )
    own, others = [], []
    for pk, first, last, preferred, phone, email, account in people:
        (own if pk == resident.pk else others).append((first, last, preferred, [phone], [email, account]))
    for resident_id, first, last, preferred, phone, email in applicants:
        (own if resident_id == resident.pk else others).append((first, last, preferred, [phone], [email]))
    # The resident's own first, so nothing of theirs is taken for another's.
    for whose, rows in ((OWN, own), (OTHER, others)):
        for first, last, preferred, phones, emails in rows:
            redactor.add(whose, first=first, last=last, preferred=preferred, phones=phones, emails=emails)
    return redactor
