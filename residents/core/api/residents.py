import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import ScopedViewSet, StrictModelSerializer, StrictSerializer
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter
from accounts.permissions import EVERYONE, STAFF
from accounts.selectors import membership_status
from residents.core.selectors import residents as resident_selectors
from residents.core.services import residents as resident_services
from residents.models import Resident, Stay


class CurrentStaySerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    bed = serializers.SerializerMethodField()
    bed_label = serializers.SerializerMethodField()

    class Meta:
        model = Stay
        fields = ["id", "house", "house_name", "move_in", "bed", "bed_label"]

    def _assignment(self, stay):
        return stay.current_assignment

    def get_bed(self, stay) -> int | None:
        assignment = self._assignment(stay)
        return assignment.bed_id if assignment else None

    def get_bed_label(self, stay) -> str:
        assignment = self._assignment(stay)
        return f"{assignment.bed.room.name} · {assignment.bed.label}" if assignment else ""


PORTAL_LOGIN_STATUSES = [
    ("none", "No portal login"),
    ("invited", "Invited, not yet accepted"),
    ("active", "Active"),
    ("inactive", "Deactivated"),
]


class ResidentSerializer(StrictModelSerializer):
    display_name = serializers.CharField(read_only=True)
    current_stay = serializers.SerializerMethodField()
    has_portal_login = serializers.SerializerMethodField(
        help_text="The resident can sign in to the portal: an accepted login (it may since have been deactivated)"
    )
    portal_login_status = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id", "display_name", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "phone",
            "email", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
            "sobriety_date", "referral_source", "payer", "payer_name", "preferred_language", "current_stay",
            "has_portal_login",
            "portal_login_status", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]

    @extend_schema(responses=CurrentStaySerializer(allow_null=True))
    def get_current_stay(self, resident) -> dict | None:
        stays = getattr(resident, "open_stays", None)
        if stays is None:  # a row just created, not read through the viewset's queryset
            stays = list(resident.stays.filter(move_out__isnull=True))
        return CurrentStaySerializer(stays[0]).data if stays else None

    def get_has_portal_login(self, resident) -> bool:
        return resident.membership is not None and not resident.membership.is_pending

    @extend_schema_field(serializers.ChoiceField(choices=PORTAL_LOGIN_STATUSES))
    def get_portal_login_status(self, resident) -> str:
        return membership_status(resident.membership) if resident.membership is not None else "none"


class ResidentFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House", method="filter_house", label="Living in this house now (house id)")
    status = django_filters.ChoiceFilter(choices=resident_selectors.STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Resident
        fields = ["house", "status", "payer"]

    def filter_house(self, queryset, name, house):
        return resident_selectors.filter_by_house(queryset, house.pk, night=self.request.viewer.organization.today())

    def filter_status(self, queryset, name, value):
        return resident_selectors.filter_by_status(queryset, value)


class PortalLoginSerializer(StrictSerializer):
    email = serializers.EmailField()


class ResidentViewSet(ScopedViewSet):
    """Residents' profiles. Staff see residents of their houses (and those not yet admitted anywhere); a resident
    sees only their own. Residents are never deleted."""

    queryset = Resident.objects.all()
    selector = staticmethod(resident_selectors.residents_for)
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    search_fields = resident_selectors.SEARCH_FIELDS
    ordering_fields = ["legal_last_name", "legal_first_name", "created_at", "sobriety_date"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_roles = EVERYONE
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = resident_services.resident_create(actor=self.request.viewer, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = resident_services.resident_update(
            actor=self.request.viewer, resident=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=PortalLoginSerializer, responses=ResidentSerializer)
    @action(detail=True, methods=["post"], url_path="portal-login")
    def portal_login(self, request, pk=None):
        """Invites the resident to the portal: e-mails them a link to accept (``portal_login_status`` is "invited"
        until they do)."""
        resident = self.get_object()
        data = PortalLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resident_services.resident_grant_portal_login(
            actor=request.viewer,
            resident=resident,
            email=data.validated_data["email"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=resident.pk)).data)
