"""Tonight's curfew for residents about to sign out, read from their phase as ``signouts.py`` reads it for
violations (weekend curfew on Friday and Saturday nights, a curfew before noon falls after midnight)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from accounts.models import Organization
from residents.models import Phase, PhaseChange, Stay
from residents.program.models.phases import CURFEW_ENDS


@dataclass(frozen=True)
class Curfew:
    night: date
    phase_name: str
    time: time
    deadline: datetime  # aware, in the organization's time zone

    @property
    def words(self) -> str:
        """``11:00 PM``, or ``12:30 AM (after midnight)``."""
        text = time_format(self.time, _("g:i A"))
        return _("%(time)s (after midnight)") % {"time": text} if self.deadline.date() > self.night else text


def current_night(organization: Organization, now: datetime | None = None) -> date:
    """The night a moment belongs to: until ``CURFEW_ENDS`` in the morning it is still the previous evening's."""
    local = timezone.localtime(now or timezone.now(), organization.tzinfo)
    return local.date() - timedelta(days=1) if local.time() < CURFEW_ENDS else local.date()


def with_curfew(stays: QuerySet[Stay], *, night: date) -> QuerySet[Stay]:
    """Annotates each stay with the curfews of its phase in force on ``night`` (``night_phase_name``,
    ``night_weeknight_curfew``, ``night_weekend_curfew``), in the same query; read them with ``curfew_of``."""
    change = PhaseChange.objects.filter(stay=OuterRef("pk"), effective_on__lte=night).order_by("-effective_on", "-pk")
    return stays.annotate(
        night_phase_name=Subquery(change.values("phase__name")[:1]),
        night_weeknight_curfew=Subquery(change.values("phase__weeknight_curfew")[:1]),
        night_weekend_curfew=Subquery(change.values("phase__weekend_curfew")[:1]),
    )


def curfew_of(stay: Stay, *, night: date, organization: Organization) -> Curfew | None:
    """The curfew of a stay annotated by ``with_curfew``, or None when its phase sets none that night."""
    if stay.night_phase_name is None:
        return None
    phase = Phase(weeknight_curfew=stay.night_weeknight_curfew, weekend_curfew=stay.night_weekend_curfew)
    deadline = phase.curfew_deadline(night, organization.tzinfo)
    if deadline is None:
        return None
    return Curfew(night=night, phase_name=stay.night_phase_name, time=phase.curfew_time(night), deadline=deadline)


def curfews_tonight(
    *, organization: Organization, stays: QuerySet[Stay], now: datetime | None = None
) -> dict[int, Curfew]:
    """Each stay's curfew for the night under way at ``now`` (default: now), by stay id; stays whose phase sets no
    curfew that night are left out. One query whatever the number of stays."""
    night = current_night(organization, now)
    curfews = {
        stay.pk: curfew_of(stay, night=night, organization=organization) for stay in with_curfew(stays, night=night)
    }
    return {stay_id: curfew for stay_id, curfew in curfews.items() if curfew is not None}


def return_by(curfew: Curfew | None, proposed: datetime, *, now: datetime) -> datetime:
    """A default expected return: ``proposed``, brought back to the curfew when it is later and the curfew is
    still ahead."""
    if curfew is not None and now < curfew.deadline < proposed:
        return curfew.deadline
    return proposed
