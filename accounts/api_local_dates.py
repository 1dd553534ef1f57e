"""Date filters over aware datetimes, in the organization's calendar.

``?collected_from=2026-03-03`` means from midnight of March 3 where the houses are, not in UTC.
"""

from datetime import datetime, time, timedelta

import django_filters


class LocalDateFilter(django_filters.DateFilter):
    """A day bound on a datetime field: ``lookup_expr="gte"`` from the start of that local day, ``"lte"`` through
    its end (before the next local midnight)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        tz = self.parent.request.viewer.organization.tzinfo
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": datetime.combine(value, time.min, tzinfo=tz)})
        next_day = datetime.combine(value + timedelta(days=1), time.min, tzinfo=tz)
        return qs.filter(**{f"{self.field_name}__lt": next_day})
