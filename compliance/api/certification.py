"""A house's standing against the NARR map, as JSON and as the evidence-pack PDF."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_base import StrictSerializer, ViewerMixin
from accounts.permissions import STAFF, RolePermission
from houses.selectors import houses_for
from reports.downloads import PDF_RENDERERS

from ..downloads import evidence_pack_response
from ..evidence.registry import STATUS_CHOICES
from ..selectors.certification import certification_status


class EvidenceLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    type = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    note = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    links = EvidenceLinkSerializer(many=True)


class RuleStatusSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="NARR Standard 3.0 rule identifier, e.g. 2.F.17.c")
    domain = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    evidence = EvidenceSerializer(many=True)


class CertificationSerializer(serializers.Serializer):
    house = serializers.IntegerField()
    house_name = serializers.CharField()
    level = serializers.IntegerField(allow_null=True)
    on = serializers.DateField()
    map_version = serializers.CharField()
    summary = serializers.DictField(child=serializers.IntegerField(), help_text="Rules per status")
    rules = RuleStatusSerializer(many=True)


class CertificationQuery(StrictSerializer):
    on = serializers.DateField(required=False, help_text="Judge as of this date (default: today)")


class CertificationView(ViewerMixin, APIView):
    """Each NARR Standard 3.0 rule that applies at the house's level: met, expiring, expired, missing or not
    applicable, with links to the documents, inspections and drills that evidence it."""

    permission_classes = [RolePermission]
    read_roles = STAFF

    @extend_schema(parameters=[CertificationQuery], responses=CertificationSerializer)
    def get(self, request, pk):
        house = get_object_or_404(houses_for(viewer=request.viewer), pk=pk)
        query = CertificationQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        status = certification_status(viewer=request.viewer, house=house, on=query.validated_data.get("on"))
        return Response(CertificationSerializer(status).data)


class EvidencePackQuery(StrictSerializer):
    documents = serializers.BooleanField(
        default=False, help_text="Append the current documents themselves, each with a bookmark"
    )


class EvidencePackView(ViewerMixin, APIView):
    """The house's evidence pack as an accessible (tagged) PDF: the rule-by-rule table, a year of inspections,
    corrective actions and drills, house meetings and the document register; with ``documents=true``, followed by
    the documents themselves. Answers ``Accept: application/pdf`` and ``*/*`` alike."""

    permission_classes = [RolePermission]
    read_roles = STAFF
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        parameters=[EvidencePackQuery], responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    def get(self, request, pk):
        house = get_object_or_404(houses_for(viewer=request.viewer).select_related("organization"), pk=pk)
        query = EvidencePackQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return evidence_pack_response(
            viewer=request.viewer, house=house, base_url=request.build_absolute_uri("/"),
            with_documents=query.validated_data["documents"],
        )  # fmt: skip
