"""Certification documents: upload (multipart), list, detail, download. Reads and downloads by staff are audited."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api_base import ScopedRelatedField, ScopedViewSet, StrictModelSerializer, StrictSerializer, ThroughText
from accounts.api_filters import FilterSet, ScopedModelChoiceFilter, StrictBooleanFilter
from accounts.permissions import EVERYONE, STAFF
from houses.models import House
from reports.downloads import PDFRenderer

from ..downloads import document_file_response
from ..models import ALLOWED_CONTENT_TYPES, Document, DocumentKind
from ..selectors.documents import documents_for
from ..services import documents as document_services


class DocumentSerializer(StrictModelSerializer):
    house_name = ThroughText(source="house.name", default=None, allow_null=True)
    uploaded_by_name = ThroughText(source="uploaded_by.get_full_name", default="")
    download_url = serializers.HyperlinkedIdentityField(view_name="api:document-download", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "house", "house_name", "kind", "title", "content_type", "size", "sha256", "original_name",
            "issued_on", "expires_on", "uploaded_by", "uploaded_by_name", "uploaded_at", "is_current",
            "superseded_by", "superseded_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentUploadInput(StrictSerializer):
    house = ScopedRelatedField(
        queryset=House.objects.all(), required=False, allow_null=True, help_text=_("Empty: the whole organization")
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="PDF, PNG or JPEG, checked by content; at most 10 MB by default")
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class DocumentFilter(FilterSet):
    current = StrictBooleanFilter(field_name="is_current", label="Only the current version of each")
    organization_wide = StrictBooleanFilter(field_name="house", lookup_expr="isnull")
    for_house = ScopedModelChoiceFilter(
        "houses.House", method="filter_for_house", label="The house's own and organization-wide"
    )
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    expires_after = django_filters.DateFilter(field_name="expires_on", lookup_expr="gte")
    issued_before = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    issued_after = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")

    class Meta:
        model = Document
        fields = [
            "house", "kind", "current", "organization_wide", "for_house", "expires_before", "expires_after",
            "issued_before", "issued_after",
        ]  # fmt: skip

    def filter_for_house(self, queryset, name, value):
        return queryset.filter(Q(house=value) | Q(house__isnull=True))


class PNGRenderer(PDFRenderer):
    media_type = "image/png"
    format = "png"


class JPEGRenderer(PDFRenderer):
    media_type = "image/jpeg"
    format = "jpg"


# A client may ask for the file's own type (Accept: application/pdf, image/png or image/jpeg) or take anything.
DOCUMENT_RENDERERS = [PDFRenderer, PNGRenderer, JPEGRenderer, JSONRenderer]


class DocumentViewSet(ScopedViewSet):
    """Licences, insurance, certificates and policies, per house or organization-wide.

    Staff see the documents of the houses they may see (and the organization-wide ones); residents may only list
    and download the current published policies of their house (handbook, grievance and refund policies, fee
    schedule). Uploading a document of the same kind and scope supersedes the current one. Documents are never
    edited or deleted.
    """

    queryset = Document.objects.all()
    selector = staticmethod(documents_for)
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["title", "original_name"]
    ordering_fields = ["uploaded_at", "expires_on", "issued_on", "title", "kind"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]
    read_roles = EVERYONE
    write_roles = STAFF
    action_roles = {"retrieve": STAFF}  # residents list and download their policies; nothing else

    @extend_schema(request={"multipart/form-data": DocumentUploadInput}, responses={201: DocumentSerializer})
    def create(self, request, *args, **kwargs):
        """Uploads a document. The file must really be a PDF, PNG or JPEG (checked by content), within the size
        limit; the expiry date may not precede the issue date. Nothing is stored when any check fails."""
        data = DocumentUploadInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        document = document_services.document_upload(
            actor=request.viewer,
            house=data.validated_data.get("house"),
            kind=data.validated_data["kind"],
            title=data.validated_data["title"],
            file=data.validated_data["file"],
            issued_on=data.validated_data.get("issued_on"),
            expires_on=data.validated_data.get("expires_on"),
        )
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, media_type): OpenApiResponse(OpenApiTypes.BINARY) for media_type in ALLOWED_CONTENT_TYPES}
    )
    @action(detail=True, methods=["get"], renderer_classes=DOCUMENT_RENDERERS)
    def download(self, request, pk=None):
        """The document's file, as an attachment. Only through here: files are never served from a public URL."""
        return document_file_response(viewer=request.viewer, document=self.get_object())
