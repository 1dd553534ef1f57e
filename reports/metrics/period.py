import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.dates import OUT_OF_RANGE, is_sane_date


@dataclass(frozen=True)
class Month:
    """A calendar month as a half-open range of nights: ``first`` <= D < ``next_first``.

    A month still running is reported "to date": ``through`` is the last night counted (last night, on the
    organization's calendar) and ``end`` the first night not counted. Figures count nights ``first`` <= D < ``end``.
    """

    year: int
    month: int
    through: date | None = None

    @classmethod
    def parse(cls, value: str) -> "Month":
        """``YYYY-MM`` → Month; ValueError with a readable message otherwise."""
        try:
            year, month = (int(part) for part in value.split("-"))
            first = date(year, month, 1)
        except (ValueError, TypeError) as error:
            raise ValueError("Use the form YYYY-MM, for example 2026-03.") from error
        if not is_sane_date(first):
            raise ValueError(OUT_OF_RANGE)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def last(self) -> date:
        return date(self.year, self.month, self.days)

    @property
    def next_first(self) -> date:
        return self.last + timedelta(days=1)

    @property
    def end(self) -> date:
        """First night not counted: the next month's first, or the night after ``through`` for a month to date."""
        return self.through + timedelta(days=1) if self.through is not None else self.next_first

    @property
    def nights(self) -> int:
        """Nights counted: the whole month, or those through last night."""
        return (self.end - self.first).days

    @property
    def is_partial(self) -> bool:
        return self.through is not None

    def as_of(self, today: date) -> "Month":
        """This month as it can be reported on ``today``: whole once over, "to date through last night" while it
        runs. ValueError for a month that has not started (or whose first night is tonight)."""
        whole = replace(self, through=None)
        if today > whole.last:
            return whole
        if today <= whole.first:
            # On the 1st no night of the month is over yet.
            raise ValueError("That month has no nights behind it yet: figures cover nights already slept.")
        return replace(whole, through=today - timedelta(days=1))

    def previous(self) -> "Month":
        return Month.of(self.first - timedelta(days=1))

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return date_format(self.first, _("F Y"))
