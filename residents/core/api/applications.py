import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import (
    RefuseReadOnlyInput,
    ScopedRelatedField,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
    ThroughText,
    ViewerMixin,
    scoped,
)
from accounts.api_filters import FilterSet
from accounts.permissions import STAFF, RolePermission
from houses.models import Bed, House
from residents.core.api.serializers import StaySerializer
from residents.core.selectors.applications import applications_for
from residents.core.services import applications as application_services
from residents.models import Application, ApplicationEvent


class ApplicationEventSerializer(serializers.ModelSerializer):
    # An application received from the public form or a partner has a first step nobody took.
    actor_name = ThroughText(source="actor.get_full_name", default="")

    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "at", "actor", "actor_name", "note"]


class ApplicationSerializer(RefuseReadOnlyInput, StrictModelSerializer):
    preferred_house = ScopedRelatedField(queryset=House.objects.all(), required=False, allow_null=True)
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email",
            "preferred_house", "preferred_gender", "referred_by", "referral_source", "payer", "payer_name",
            "sobriety_date", "preferred_move_in", "on_moud", "consent_to_contact", "notes", "applied_on", "status",
            "status_changed_at", "resident", "events", "created_at", "received_via", "received_at",
            "first_contacted_at", "decided_at", "decline_reason",
        ]  # fmt: skip
        read_only_fields = [
            "status", "status_changed_at", "resident", "created_at", "received_via", "received_at",
            "first_contacted_at", "decided_at", "decline_reason",
        ]  # fmt: skip


class ApplicationFilter(FilterSet):
    applied_after = django_filters.DateFilter(field_name="applied_on", lookup_expr="gte")
    applied_before = django_filters.DateFilter(field_name="applied_on", lookup_expr="lte")

    class Meta:
        model = Application
        fields = ["status", "preferred_house", "preferred_gender", "applied_after", "applied_before"]


MOVE_CHOICES = [choice for choice in Application.Status.choices if choice[0] != Application.Status.ADMITTED]


class MoveInput(StrictSerializer):
    status = serializers.ChoiceField(choices=MOVE_CHOICES)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Required to decline: the reason, which the applicant and a referring partner see.",
    )


class ContactInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ApplicationAdmitInput(StrictSerializer):
    bed = ScopedRelatedField(queryset=Bed.objects.all())
    on = serializers.DateField(help_text="First night in the house")


class ApplicationViewSet(ScopedViewSet):
    """Applications and the waitlist. Status changes go through ``move``; ``admit`` turns an accepted application
    into a resident with a stay."""

    queryset = Application.objects.all()
    selector = staticmethod(applications_for)
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["first_name", "last_name", "preferred_name", "phone", "email"]
    ordering_fields = ["applied_on", "status_changed_at", "last_name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def perform_create(self, serializer):
        serializer.instance = application_services.application_create(
            actor=self.request.viewer, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = application_services.application_update(
            actor=self.request.viewer, application=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=MoveInput, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Moves the application along: screening, interview, waitlisted, accepted, declined (with the reason in
        ``note``) or withdrawn. The first step out of new is the first reply; accepting or declining is the
        decision."""
        application = self.get_object()
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        application_services.application_move(
            actor=request.viewer,
            application=application,
            to=data.validated_data["status"],
            note=data.validated_data["note"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(request=ContactInput, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        """Records that staff reached the applicant (a call, an e-mail) without changing the status; the first
        contact is the application's first reply."""
        application = self.get_object()
        data = ContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        application_services.application_record_contact(
            actor=request.viewer, application=application, note=data.validated_data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(request=ApplicationAdmitInput, responses={201: StaySerializer})
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        """Creates the resident from the accepted application and admits them into a bed, in one step."""
        application = self.get_object()
        data = ApplicationAdmitInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stay = application_services.application_admit(
            actor=request.viewer, application=application, **data.validated_data
        )
        return Response(StaySerializer(stay).data, status=status.HTTP_201_CREATED)


class WaitlistView(ViewerMixin, APIView):
    """A house's waitlist, oldest application first."""

    permission_classes = [RolePermission]
    read_roles = STAFF
    selector = scoped(House)

    @extend_schema(responses=ApplicationSerializer(many=True))
    def get(self, request, pk):
        house = get_object_or_404(self.selector(viewer=request.viewer), pk=pk)
        waiting = Application.objects.waitlist_for(house).prefetch_related("events__actor")
        return Response(ApplicationSerializer(waiting, many=True, context={"request": request}).data)
