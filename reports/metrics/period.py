import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Month:
    """A calendar month as a half-open range of nights: ``first`` <= D < ``next_first``."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: str) -> "Month":
        """``YYYY-MM`` → Month; ValueError with a readable message otherwise."""
        try:
            year, month = (int(part) for part in value.split("-"))
            date(year, month, 1)
        except (ValueError, TypeError) as error:
            raise ValueError("Use the form YYYY-MM, for example 2026-03.") from error
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

    def previous(self) -> "Month":
        return Month.of(self.first - timedelta(days=1))

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.first.strftime("%B %Y")
