"""Drug and alcohol tests, requests to test, and the weekly random draws that create those requests.

Results are sensitive (42 CFR Part 2 / HIPAA): staff reads and changes go through audited endpoints.
The substances on a test's panel are one row each (``DrugTestSubstance``), so "who tested positive for fentanyl"
is a plain SQL filter on every database, never a search through JSON text.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident
from residents.core.models.stays import Stay


class Substance(models.TextChoices):
    """The fixed vocabulary of what a panel screens for."""

    ALCOHOL = "alcohol", _("Alcohol")
    AMPHETAMINES = "amphetamines", _("Amphetamines")
    BARBITURATES = "barbiturates", _("Barbiturates")
    BENZODIAZEPINES = "benzodiazepines", _("Benzodiazepines")
    BUPRENORPHINE = "buprenorphine", _("Buprenorphine")
    COCAINE = "cocaine", _("Cocaine")
    FENTANYL = "fentanyl", _("Fentanyl")
    THC = "thc", _("Marijuana (THC)")
    METHADONE = "methadone", _("Methadone")
    METHAMPHETAMINE = "methamphetamine", _("Methamphetamine")
    MDMA = "mdma", _("MDMA")
    OPIATES = "opiates", _("Opiates")
    OXYCODONE = "oxycodone", _("Oxycodone")
    PCP = "pcp", _("PCP")
    KRATOM = "kratom", _("Kratom")
    OTHER = "other", _("Other")


SUBSTANCE_ORDER = {code: index for index, code in enumerate(Substance.values)}


class TestReason(models.TextChoices):
    __test__ = False  # not a pytest test class, whatever its name

    RANDOM = "random", _("Random")
    SCHEDULED = "scheduled", _("Scheduled")
    FOR_CAUSE = "for_cause", _("For cause")
    INTAKE = "intake", _("Intake")
    RETURN_FROM_PASS = "return_from_pass", _("Return from pass")


class DrugTestQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def in_view(self):
        """Tests not archived under the retention policy: the day-to-day pages' and lists' (residents.retention)."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class DrugTest(models.Model):
    """One sample (or refusal) collected from one resident at one moment, and its result."""

    class Method(models.TextChoices):
        URINE_CUP = "urine_cup", _("Urine cup (instant)")
        LAB_URINE = "lab_urine", _("Lab urine")
        SALIVA = "saliva", _("Saliva")
        BREATH = "breath", _("Breath (alcohol)")

    class Result(models.TextChoices):
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")
        DILUTE = "dilute", _("Dilute")
        INVALID = "invalid", _("Invalid")
        REFUSED = "refused", _("Refused")
        PENDING_LAB = "pending_lab", _("Pending lab")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="drug_tests")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="drug_tests")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="drug_tests")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="drug_tests")
    collected_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=Method.choices)
    reason = models.CharField(max_length=16, choices=TestReason.choices)
    result = models.CharField(max_length=16, choices=Result.choices)
    lab_reference = models.CharField(max_length=80, blank=True, help_text=_("Lab accession or requisition number"))
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True, help_text=_("When the final result was entered"))
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Archived under the retention policy: kept, out of day-to-day view")
    )

    objects = DrugTestQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "collected_at"]),
            models.Index(fields=["house", "collected_at"]),
            models.Index(fields=["resident", "collected_at"]),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_method_display()} · {self.collected_at:%Y-%m-%d} · {self.result}"

    @property
    def panel(self) -> list[str]:
        """Substances screened for, in vocabulary order (reads prefetched rows when they are there)."""
        return sorted((row.substance for row in self.substances.all()), key=SUBSTANCE_ORDER.__getitem__)

    @property
    def positive_substances(self) -> list[str]:
        rows = (row.substance for row in self.substances.all() if row.positive)
        return sorted(rows, key=SUBSTANCE_ORDER.__getitem__)


class DrugTestSubstance(models.Model):
    """One substance on a test's panel, and whether the test was positive for it."""

    test = models.ForeignKey(DrugTest, on_delete=models.CASCADE, related_name="substances")
    substance = models.CharField(max_length=16, choices=Substance.choices)
    positive = models.BooleanField(default=False)

    class Meta:
        ordering = ["test", "substance"]
        constraints = [models.UniqueConstraint(fields=["test", "substance"], name="substance_once_per_panel")]
        indexes = [models.Index(fields=["substance", "positive"])]

    def __str__(self):
        return f"{self.get_substance_display()}{' (positive)' if self.positive else ''}"


class DrugTestPolicyQuerySet(TenantQuerySet):
    pass


class DrugTestPolicy(models.Model):
    """A house's random-testing setting. A house without one uses the defaults below."""

    DEFAULT_PERCENTAGE = 25
    DEFAULT_DUE_DAYS = 2

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.OneToOneField(House, on_delete=models.PROTECT, related_name="drug_test_policy")
    percentage = models.PositiveSmallIntegerField(
        default=DEFAULT_PERCENTAGE,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of current residents drawn each week (rounded up)"),
    )
    due_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DUE_DAYS,
        validators=[MaxValueValidator(6)],
        help_text=_("Days after the draw by which a drawn resident must test"),
    )
    random_draws_enabled = models.BooleanField(default=True, help_text=_("Include this house in the weekly draw job"))
    test_after_pass = models.BooleanField(
        default=True, help_text=_("Ask for a test, due the day they return, of residents back from an overnight pass")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DrugTestPolicyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "drug test policies"
        ordering = ["house__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__gte=1, percentage__lte=100), name="draw_percentage_from_1_to_100"
            ),
            models.CheckConstraint(condition=Q(due_days__lte=6), name="draw_due_within_the_week"),
        ]

    def __str__(self):
        return f"{self.house}: {self.percentage}% a week, due in {self.due_days} days"

    @classmethod
    def for_house(cls, house: House) -> "DrugTestPolicy":
        """The house's stored policy, or an unsaved one holding the defaults."""
        policy = cls.objects.filter(house=house).first()
        return policy or cls(organization_id=house.organization_id, house=house)


class DrawQuerySet(TenantQuerySet):
    pass


class Draw(models.Model):
    """One week's random draw for one house, stored so anyone can re-run it and get the same residents.

    ``selected == random.Random(seed).sample(population, count)``, where ``population`` is the sorted ids of the
    residents sleeping in the house on ``population_on`` and ``count`` is ``ceil(len(population) * percentage / 100)``.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="drug_test_draws")
    week_start = models.DateField(help_text=_("Monday of the week drawn"))
    population_on = models.DateField(help_text=_("The night whose residents made up the population"))
    seed = models.PositiveBigIntegerField()
    population = models.JSONField(help_text=_("Sorted resident ids the draw chose from"))
    percentage = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    selected = models.JSONField(help_text=_("Resident ids drawn, in the order the sample returned them"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "house__name"]
        constraints = [models.UniqueConstraint(fields=["house", "week_start"], name="one_draw_per_house_and_week")]

    def __str__(self):
        return f"{self.house} · week of {self.week_start}: {self.count} of {len(self.population)}"


class TestRequestQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def open(self):
        return self.filter(status=TestRequest.Status.OPEN)

    def overdue(self, today):
        """Open and due before ``today`` (the organization's date)."""
        return self.open().filter(due_on__lt=today)


class TestRequest(models.Model):
    """A resident must be tested by ``due_on``: drawn at random, scheduled, for cause, or after a pass."""

    __test__ = False

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="test_requests")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="test_requests")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="test_requests")
    reason = models.CharField(max_length=16, choices=TestReason.choices)
    requested_on = models.DateField()
    due_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    fulfilled_by = models.OneToOneField(
        DrugTest, null=True, blank=True, on_delete=models.PROTECT, related_name="fulfilled_request"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TestRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["house", "status", "due_on"]),
            models.Index(fields=["stay", "status", "due_on"]),
            # The organization's overdue requests, counted without reading the table.
            models.Index(fields=["organization", "due_on"], condition=Q(status="open"), name="open_test_requests_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="fulfilled", fulfilled_by__isnull=False)
                | (~Q(status="fulfilled") & Q(fulfilled_by__isnull=True)),
                name="fulfilled_request_names_its_test",
            ),
            models.UniqueConstraint(
                fields=["draw", "resident"], condition=Q(draw__isnull=False), name="one_request_per_drawn_resident"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_reason_display()} test due {self.due_on} ({self.status})"
