"""Chapters: the peer-run houses of an area, and the monthly report each house files to its chapter."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from peer.models.money import money
from peer.models.scope import MemberScopedQuerySet
from residents.models import Resident


class ChapterQuerySet(TenantQuerySet):
    """Operators see every chapter; a member sees the chapter of the house they live in; managers none."""

    house_path = None

    def visible_to(self, viewer):
        if viewer.is_manager:
            return self.none()
        return super().visible_to(viewer)

    def for_resident(self, qs, viewer):
        from residents.core.selectors.nights import homes_of

        return qs.filter(charters__house__in=homes_of(viewer)).distinct()


class Chapter(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="chapters")
    name = models.CharField(max_length=120)
    area = models.CharField(max_length=200, blank=True, help_text=_("The towns or neighbourhoods it covers"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="chapter_name_unique_in_organization")
        ]

    def __str__(self):
        return self.name


class HouseReportQuerySet(MemberScopedQuerySet):
    pass


class HouseReport(models.Model):
    """A house's monthly report to its chapter, as filed: the figures are copied when it is filed, so the report
    says what the house reported, whatever is corrected later. The chapter may mark the house as needing help."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="chapter_reports")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="house_reports")
    month = models.DateField(help_text=_("First day of the month reported"))
    beds = models.PositiveSmallIntegerField()
    members = models.PositiveSmallIntegerField(help_text=_("Members living in the house at the month's end"))
    vacancies = models.PositiveSmallIntegerField()
    shares_charged = money()
    shares_collected = money()
    shares_owed = money(help_text=_("What members owed the house at the month's end"))
    bank_balance = money(help_text=_("Register balance at the month's end"))
    audit_done = models.BooleanField()
    audit_reconciled = models.BooleanField()
    officers = models.TextField(help_text=_("Office and name, one a line, at the month's end"))
    meetings_held = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    filed_by = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    needs_help = models.BooleanField(default=False)
    help_note = models.CharField(max_length=300, blank=True)
    help_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = HouseReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "house__name"]
        constraints = [
            models.UniqueConstraint(fields=["house", "month"], name="one_chapter_report_per_house_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="chapter_report_month_starts_on_the_first"),
        ]

    def __str__(self):
        return f"{self.house.name} report {self.month:%Y-%m}"
