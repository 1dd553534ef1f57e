"""Sign-outs, overnight passes and a house's curfew violations, over the API.

Times are shown in the organization's time zone (with their offset); a time sent without an offset is refused.
"""

from datetime import timedelta

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import (
    ScopedQuerysetMixin,
    ScopedRelatedField,
    ScopedViewSet,
    StrictModelSerializer,
    StrictSerializer,
    ThroughText,
    ViewerMixin,
    scoped,
    validated,
)
from accounts.api_datetimes import OffsetDateTimeField, OffsetDateTimeFilter
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter, StrictQueryParams
from accounts.api_schema import ClockTimeField
from accounts.exceptions import Invalid
from accounts.permissions import EVERYONE, STAFF, RolePermission
from houses.models import House
from residents.core.selectors.stays import current_stay_for_member
from residents.models import OvernightPass, SignOut, Stay
from residents.program.selectors.signouts import curfew_violations, passes_for, sign_outs_for
from residents.program.services import signouts as services


def stay_of(request, data: dict) -> Stay:
    """The stay named in the input; a resident who names none acts for their own current stay."""
    stay = data.pop("stay", None)
    if stay is not None:
        return stay
    if not request.viewer.is_resident:
        raise Invalid(_("Choose the resident's stay."), field="stay")
    stay = current_stay_for_member(viewer=request.viewer)
    if stay is None:
        raise Invalid(_("You do not live in a house now."), field="stay")
    return stay


# Sign-outs -----------------------------------------------------------------------------------------------------------


class SignOutSerializer(StrictModelSerializer):
    resident = serializers.IntegerField(source="stay.resident_id", read_only=True)
    resident_name = serializers.CharField(source="stay.resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True, help_text="Still out (not signed back in)")
    signed_out_by = ThroughText(source="signed_out_by.get_full_name", default=None, allow_null=True)
    signed_in_by = ThroughText(source="signed_in_by.get_full_name", default=None, allow_null=True)

    class Meta:
        model = SignOut
        fields = [
            "id", "stay", "resident", "resident_name", "house", "house_name", "destination", "signed_out_at",
            "expected_return_at", "signed_in_at", "is_open", "signed_out_by", "signed_in_by",
        ]  # fmt: skip
        read_only_fields = fields


class SignOutInput(StrictSerializer):
    stay = ScopedRelatedField(
        queryset=Stay.objects.all(),
        required=False,
        help_text=gettext_lazy("Required for staff; a resident signs themselves out"),
    )
    destination = serializers.CharField(max_length=200)
    expected_return_at = OffsetDateTimeField()
    signed_out_at = OffsetDateTimeField(
        required=False, help_text=gettext_lazy("Staff only, for a time already past; default now")
    )


class SignInInput(StrictSerializer):
    stay = ScopedRelatedField(
        queryset=Stay.objects.all(),
        required=False,
        help_text=gettext_lazy("Required for staff; a resident signs themselves in"),
    )
    signed_in_at = OffsetDateTimeField(
        required=False, help_text=gettext_lazy("Staff only, for a time already past; default now")
    )


class SignOutFilter(FilterSet):
    # Plain ids (not model choices), so an id of another organization reads as "no rows", never as "exists".
    house = ScopedModelChoiceFilter("houses.House")
    stay = ScopedModelChoiceFilter("residents.Stay")
    resident = ScopedModelChoiceFilter("residents.Resident", field_name="stay__resident")
    open = StrictBooleanFilter(field_name="signed_in_at", lookup_expr="isnull", label="Still out")
    signed_out_after = OffsetDateTimeFilter(field_name="signed_out_at", lookup_expr="gte")
    signed_out_before = OffsetDateTimeFilter(field_name="signed_out_at", lookup_expr="lt")

    class Meta:
        model = SignOut
        fields = ["house", "stay", "resident", "open", "signed_out_after", "signed_out_before"]


class SignOutViewSet(ScopedViewSet):
    """The sign-out log. Residents sign themselves out and in; staff do it for residents of their houses.

    One open sign-out at a time (a second is 409); a sign-in with nothing open is 400.
    """

    queryset = SignOut.objects.all()
    selector = staticmethod(sign_outs_for)
    serializer_class = SignOutSerializer
    filterset_class = SignOutFilter
    search_fields = ["destination", "stay__resident__legal_first_name", "stay__resident__legal_last_name",
                     "stay__resident__preferred_name"]  # fmt: skip
    ordering_fields = ["signed_out_at", "expected_return_at", "signed_in_at"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = EVERYONE

    @extend_schema(request=SignOutInput, responses={201: SignOutSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(SignOutInput, request)
        stay = stay_of(request, data)
        sign_out = services.signout_create(actor=request.viewer, stay=stay, **data)
        return Response(self.get_serializer(sign_out).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SignInInput, responses={200: SignOutSerializer})
    @action(detail=False, methods=["post"], url_path="sign-in")
    def sign_in(self, request):
        """Signs the resident back in, closing their open sign-out."""
        data = validated(SignInInput, request)
        stay = stay_of(request, data)
        sign_out = services.signout_sign_in(actor=request.viewer, stay=stay, **data)
        return Response(self.get_serializer(sign_out).data)


# Overnight passes ----------------------------------------------------------------------------------------------------


class OvernightPassSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    nights = serializers.IntegerField(read_only=True)
    decided_by = ThroughText(source="decided_by.get_full_name", default=None, allow_null=True)

    class Meta:
        model = OvernightPass
        fields = [
            "id", "stay", "resident", "resident_name", "house", "house_name", "leave_on", "return_on", "nights",
            "destination", "contact_phone", "status", "requested_at", "decided_by", "decided_at", "decision_reason",
            "allowance_overridden", "returned_at",
        ]  # fmt: skip
        read_only_fields = fields


class PassInput(StrictSerializer):
    stay = ScopedRelatedField(
        queryset=Stay.objects.all(),
        required=False,
        help_text=gettext_lazy("Required for staff; a resident asks for themselves"),
    )
    leave_on = serializers.DateField(help_text="First night away")
    return_on = serializers.DateField(help_text="Day back; must be after leave_on")
    destination = serializers.CharField(max_length=200)
    contact_phone = serializers.CharField(max_length=40)


class ApproveInput(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    override = serializers.BooleanField(
        required=False, default=False, help_text="Approve beyond the phase's passes a month (needs a reason)"
    )


class DenyInput(StrictSerializer):
    reason = serializers.CharField()


class ReturnInput(StrictSerializer):
    returned_at = OffsetDateTimeField(
        required=False, help_text=gettext_lazy("Staff only, for a time already past; default now")
    )


class OvernightPassFilter(FilterSet):
    house = ScopedModelChoiceFilter("houses.House")
    stay = ScopedModelChoiceFilter("residents.Stay")
    resident = ScopedModelChoiceFilter("residents.Resident")
    returned = StrictBooleanFilter(field_name="returned_at", lookup_expr="isnull", exclude=True, label="Back from it")
    leave_after = django_filters.DateFilter(field_name="leave_on", lookup_expr="gte")
    leave_before = django_filters.DateFilter(field_name="leave_on", lookup_expr="lte")

    class Meta:
        model = OvernightPass
        fields = ["status", "house", "stay", "resident", "returned", "leave_after", "leave_before"]


class OvernightPassViewSet(ScopedViewSet):
    """Overnight passes. A resident asks for their own; a manager of the house (or an operator) approves or denies
    it with a reason. Approval counts against the phase's passes a month; beyond it needs ``override=true``.
    Recording the return sends ``residents.signals.pass_returned``."""

    queryset = OvernightPass.objects.all()
    selector = staticmethod(passes_for)
    serializer_class = OvernightPassSerializer
    filterset_class = OvernightPassFilter
    search_fields = ["destination", "resident__legal_first_name", "resident__legal_last_name",
                     "resident__preferred_name"]  # fmt: skip
    ordering_fields = ["leave_on", "return_on", "requested_at", "decided_at", "status"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = EVERYONE
    action_roles = {"approve": STAFF, "deny": STAFF}

    @extend_schema(request=PassInput, responses={201: OvernightPassSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(PassInput, request)
        stay = stay_of(request, data)
        pass_ = services.pass_request(actor=request.viewer, stay=stay, **data)
        return Response(self.get_serializer(pass_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApproveInput, responses={200: OvernightPassSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = validated(ApproveInput, request)
        pass_ = services.pass_approve(actor=request.viewer, pass_=self.get_object(), **data)
        return Response(self.get_serializer(pass_).data)

    @extend_schema(request=DenyInput, responses={200: OvernightPassSerializer})
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        data = validated(DenyInput, request)
        pass_ = services.pass_deny(actor=request.viewer, pass_=self.get_object(), **data)
        return Response(self.get_serializer(pass_).data)

    @extend_schema(request=None, responses={200: OvernightPassSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        validated(StrictSerializer, request)
        pass_ = services.pass_cancel(actor=request.viewer, pass_=self.get_object())
        return Response(self.get_serializer(pass_).data)

    @extend_schema(request=ReturnInput, responses={200: OvernightPassSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Records the resident's return from an approved pass."""
        data = validated(ReturnInput, request)
        pass_ = services.pass_return(actor=request.viewer, pass_=self.get_object(), **data)
        return Response(self.get_serializer(pass_).data)


# Curfew violations ---------------------------------------------------------------------------------------------------


class CurfewViolationSerializer(serializers.Serializer):
    stay = serializers.IntegerField(source="stay.pk")
    resident = serializers.IntegerField(source="stay.resident_id")
    resident_name = serializers.CharField(source="stay.resident.display_name")
    night = serializers.DateField()
    phase = serializers.IntegerField(source="phase.pk")
    phase_name = serializers.CharField(source="phase.name")
    curfew = ClockTimeField()
    deadline = OffsetDateTimeField()
    kind = serializers.ChoiceField(
        choices=["signed_in_late", "not_signed_in", "signed_out_after_curfew"],
        help_text="Back after curfew, not back yet, or left after curfew",
    )
    minutes_late = serializers.IntegerField(help_text="From curfew to the sign-in (to now while still out)")
    sign_out = serializers.IntegerField(source="sign_out.pk")
    destination = serializers.CharField(source="sign_out.destination")
    signed_out_at = OffsetDateTimeField(source="sign_out.signed_out_at")
    signed_in_at = OffsetDateTimeField(source="sign_out.signed_in_at", allow_null=True)


class NightQuery(StrictSerializer):
    night = serializers.DateField(required=False, help_text="The evening's date; default last night")


class CurfewViolationsView(ViewerMixin, ScopedQuerysetMixin, generics.GenericAPIView):
    """A house's curfew violations on one night, for its daily list: residents back after their phase's curfew,
    not back by it, or out after it. Residents on an approved overnight pass that night are excused."""

    permission_classes = [RolePermission]
    read_roles = STAFF
    filter_backends = [StrictQueryParams]
    extra_query_params = ("night",)
    pagination_class = None
    serializer_class = CurfewViolationSerializer
    queryset = House.objects.all()
    selector = scoped(House)  # the house is looked up among these; any other id is a 404

    @extend_schema(
        parameters=[OpenApiParameter("night", str, description="YYYY-MM-DD, the evening's date; default last night")],
        responses={
            200: inline_serializer(
                "CurfewViolationList",
                {
                    "house": serializers.IntegerField(),
                    "night": serializers.DateField(),
                    "count": serializers.IntegerField(),
                    "results": CurfewViolationSerializer(many=True),
                },
            )
        },
    )
    def get(self, request, pk: int):
        house = generics.get_object_or_404(self.get_queryset(), pk=pk)
        self.filter_queryset(House.objects.none())  # refuses unknown query parameters
        query = NightQuery(data={k: v for k, v in request.query_params.items() if k == "night"})
        query.is_valid(raise_exception=True)
        night = query.validated_data.get("night") or request.viewer.organization.today() - timedelta(days=1)
        violations = curfew_violations(viewer=request.viewer, house=house, night=night)
        rows = CurfewViolationSerializer(violations, many=True, context={"request": request}).data
        return Response({"house": house.pk, "night": night, "count": len(rows), "results": rows})
