"""House rules over the API: staff write and revise rules (each change publishes), everyone reads their house's
current rule set, residents sign it, and staff see who has not signed."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.api_base import (
    ScopedQuerysetMixin,
    ScopedReadOnlyViewSet,
    ScopedRelatedField,
    ScopedViewSet,
    StrictSerializer,
    ViewerMixin,
)
from accounts.audit import client_ip
from accounts.exceptions import NotAllowed
from accounts.models import Role
from accounts.permissions import EVERYONE, STAFF, RolePermission
from houses.models import House
from residents.house_rules import selectors, services
from residents.house_rules.filters import (
    HouseRuleFilter,
    RuleAcknowledgementFilter,
    RuleSetFilter,
    UnsignedResidentFilter,
)
from residents.models import HouseRule, HouseRuleVersion, Resident, RuleAcknowledgement, RuleCategory, RuleSet

RESIDENTS = frozenset({Role.RESIDENT})


class RuleVersionSerializer(serializers.ModelSerializer):
    """One rule as a rule set lists it: the exact wording that was published."""

    version = serializers.IntegerField(source="number", read_only=True)
    organization_wide = serializers.SerializerMethodField()
    overrides = serializers.IntegerField(source="rule.overrides_id", read_only=True, allow_null=True)

    class Meta:
        model = HouseRuleVersion
        fields = [
            "rule", "version", "category", "text", "consequence", "text_es", "consequence_es", "organization_wide",
            "overrides", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_organization_wide(self, version) -> bool:
        return version.rule.house_id is None


class HouseRuleSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True, allow_null=True)
    organization_wide = serializers.BooleanField(source="is_organization_wide", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    category = serializers.CharField(source="current_version.category", read_only=True)
    text = serializers.CharField(source="current_version.text", read_only=True)
    consequence = serializers.CharField(source="current_version.consequence", read_only=True)
    text_es = serializers.CharField(
        source="current_version.text_es", read_only=True, help_text="The rule in Spanish; empty when not written yet"
    )
    consequence_es = serializers.CharField(source="current_version.consequence_es", read_only=True)
    revised_at = serializers.DateTimeField(source="current_version.created_at", read_only=True)

    class Meta:
        model = HouseRule
        fields = [
            "id", "house", "house_name", "organization_wide", "overrides", "category", "text", "consequence",
            "text_es", "consequence_es", "version", "is_active", "created_at", "revised_at", "retired_at",
        ]  # fmt: skip
        read_only_fields = fields


class HouseRuleDetailSerializer(HouseRuleSerializer):
    versions = RuleVersionSerializer(many=True, read_only=True, help_text="Every published wording, oldest first")

    class Meta(HouseRuleSerializer.Meta):
        fields = [*HouseRuleSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class RuleWordingInput(StrictSerializer):
    category = serializers.ChoiceField(choices=RuleCategory.choices)
    text = serializers.CharField(max_length=2000)
    consequence = serializers.CharField(max_length=2000)
    text_es = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="The rule in Spanish (with consequence_es)"
    )
    consequence_es = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="The consequence in Spanish (with text_es)"
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="What changed")


class RuleAddInput(RuleWordingInput):
    house = ScopedRelatedField(
        queryset=House.objects.all(),
        default=None,
        allow_null=True,
        help_text=gettext_lazy("Empty: every house (operators)"),
    )
    overrides = ScopedRelatedField(
        queryset=HouseRule.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The organization-wide default this house's rule replaces"),
    )


class RuleReviseInput(RuleWordingInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "text", "consequence"):
            self.fields[name].required = False


class HouseRuleViewSet(ScopedViewSet):
    """House rules. A rule without a house is an organization-wide default (operators write those); a house's rule
    may override a default in that house (managers write their own houses' rules).

    Creating, changing (PATCH) or deleting a rule publishes at once: a new version of the rule (old versions stay,
    never edited) and a new version of the rule set of every house whose rules changed. Deleting retires the rule.
    """

    queryset = HouseRule.objects.all()
    selector = staticmethod(selectors.rules_for)
    serializer_class = HouseRuleSerializer
    filterset_class = HouseRuleFilter
    search_fields = ["current_version__text", "current_version__consequence"]
    ordering_fields = ["created_at", "category", "revised_at", "house__name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    read_roles = STAFF
    write_roles = STAFF

    def get_queryset(self):
        rules = super().get_queryset()
        return rules.prefetch_related("versions__rule") if self.action == "retrieve" else rules

    def get_serializer_class(self):
        return HouseRuleDetailSerializer if self.action == "retrieve" else HouseRuleSerializer

    def _respond(self, rule, code):
        rule = self.get_queryset().prefetch_related("versions__rule").get(pk=rule.pk)
        return Response(HouseRuleDetailSerializer(rule).data, status=code)

    @extend_schema(request=RuleAddInput, responses={201: HouseRuleDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = RuleAddInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        rule = services.rule_add(actor=request.viewer, **data.validated_data)
        return self._respond(rule, status.HTTP_201_CREATED)

    @extend_schema(request=RuleReviseInput, responses={200: HouseRuleDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        rule = self.get_object()  # out of scope is a 404 whatever the body says
        data = RuleReviseInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        rule = services.rule_revise(actor=request.viewer, rule=rule, **data.validated_data)
        return self._respond(rule, status.HTTP_200_OK)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        services.rule_retire(actor=request.viewer, rule=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RuleSetSerializer(serializers.ModelSerializer):
    house_name = serializers.CharField(source="house.name", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    published_by = serializers.CharField(source="published_by.full_name", read_only=True, allow_null=True)
    rules = RuleVersionSerializer(many=True, read_only=True)
    signed_at = serializers.DateTimeField(
        source="viewer_signed_at", read_only=True, allow_null=True, help_text="When you signed this version, if you did"
    )
    languages = serializers.SerializerMethodField(
        help_text="The languages this version can be read and signed in: every rule has its text in them"
    )

    class Meta:
        model = RuleSet
        fields = [
            "id", "house", "house_name", "version", "is_current", "published_at", "published_by", "note", "rules",
            "languages", "signed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_languages(self, rule_set) -> list[str]:
        versions = list(rule_set.rules.all())  # prefetched by the selector
        return [code for code, _name in settings.LANGUAGES if selectors.has_language(versions, code)]


class RuleChangeInput(StrictSerializer):
    rule = ScopedRelatedField(
        queryset=HouseRule.objects.all(), required=False, allow_null=True, help_text=gettext_lazy("Empty: a new rule")
    )
    house = ScopedRelatedField(queryset=House.objects.all(), required=False, allow_null=True)
    overrides = ScopedRelatedField(queryset=HouseRule.objects.all(), required=False, allow_null=True)
    category = serializers.ChoiceField(choices=RuleCategory.choices, required=False)
    text = serializers.CharField(max_length=2000, required=False)
    consequence = serializers.CharField(max_length=2000, required=False)
    text_es = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    consequence_es = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    retire = serializers.BooleanField(default=False)


class RulesPublishInput(StrictSerializer):
    changes = RuleChangeInput(many=True, required=False)
    houses = ScopedRelatedField(
        queryset=House.objects.all(),
        many=True,
        required=False,
        help_text=gettext_lazy("Houses to republish without a change"),
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RulesPublishOutput(serializers.Serializer):
    rules = HouseRuleSerializer(many=True)
    rule_sets = RuleSetSerializer(many=True)


class RuleSetViewSet(ScopedReadOnlyViewSet):
    """Published versions of each house's rule set (staff: their houses; a resident: the house they live in).

    ``publish`` applies several rule changes as one publication, so residents sign once for all of them.
    """

    queryset = RuleSet.objects.all()
    selector = staticmethod(selectors.rule_sets_for)
    serializer_class = RuleSetSerializer
    filterset_class = RuleSetFilter
    search_fields = ["note", "house__name"]
    ordering_fields = ["published_at", "number", "house__name"]
    read_roles = EVERYONE
    action_roles = {"publish": STAFF}

    @extend_schema(request=RulesPublishInput, responses={201: RulesPublishOutput})
    @action(detail=False, methods=["post"])
    def publish(self, request):
        data = RulesPublishInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        changes = [services.RuleChange(**change) for change in data.validated_data.get("changes", [])]
        rules, rule_sets = services.rules_publish(
            actor=request.viewer,
            changes=changes,
            houses=data.validated_data.get("houses", []),
            note=data.validated_data.get("note", ""),
        )
        payload = {
            "rules": selectors.rules_for(viewer=request.viewer).filter(pk__in=[rule.pk for rule in rules]),
            "rule_sets": self.get_queryset().filter(pk__in=[rule_set.pk for rule_set in rule_sets]),
        }
        return Response(RulesPublishOutput(payload).data, status=status.HTTP_201_CREATED)


class HouseScopedMixin(ViewerMixin, ScopedQuerysetMixin):
    """Views under /houses/{house_pk}/: the house must be visible to the viewer, or it does not exist (404); the
    rows come from the view's ``selector``."""

    permission_classes = [RolePermission]

    def get_house(self) -> House:
        return get_object_or_404(House.objects.visible_to(self.request.viewer), pk=self.kwargs["house_pk"])


class CurrentRuleSetView(HouseScopedMixin, generics.RetrieveAPIView):
    """The current version of a house's rule set: what its residents must sign. Residents read their own house's."""

    queryset = RuleSet.objects.all()
    selector = staticmethod(selectors.rule_sets_for)
    serializer_class = RuleSetSerializer
    read_roles = EVERYONE

    def get_object(self):
        house = self.get_house()
        rule_set = self.get_queryset().filter(house=house, is_current=True).first()
        if rule_set is None:
            raise NotFound(_("No rules have been published for %(house)s yet.") % {"house": house.name})
        return rule_set


class UnsignedResidentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    legal_name = serializers.CharField(read_only=True)
    move_in = serializers.DateField(read_only=True)
    last_signed_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Latest version signed during this stay"
    )
    last_signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    preferred_language = serializers.CharField(read_only=True, help_text="The language the resident reads")
    language_missing = serializers.BooleanField(
        read_only=True, help_text="The current rules have no text in the resident's language yet (Spanish)"
    )

    class Meta:
        model = Resident
        fields = [
            "id", "name", "legal_name", "move_in", "last_signed_version", "last_signed_at", "preferred_language",
            "language_missing",
        ]  # fmt: skip
        read_only_fields = fields


class UnsignedResidentsView(HouseScopedMixin, generics.ListAPIView):
    """Current residents of a house who have not signed the current version of its rules (staff only)."""

    queryset = Resident.objects.all()
    selector = staticmethod(selectors.unsigned_residents)
    serializer_class = UnsignedResidentSerializer
    filterset_class = UnsignedResidentFilter
    search_fields = ["legal_first_name", "legal_last_name", "preferred_name"]
    ordering_fields = ["legal_last_name", "move_in", "last_signed_at"]
    read_roles = STAFF

    def get_queryset(self):
        viewer = getattr(self.request, "viewer", None)
        if not viewer:  # schema generation
            return Resident.objects.none()
        return type(self).selector(viewer=viewer, house=self.get_house())  # the house of the URL narrows it


class RuleAcknowledgementSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house = serializers.IntegerField(source="rule_set.house_id", read_only=True)
    house_name = serializers.CharField(source="rule_set.house.name", read_only=True)
    version = serializers.IntegerField(source="rule_set.number", read_only=True)
    is_current_version = serializers.BooleanField(source="rule_set.is_current", read_only=True)

    class Meta:
        model = RuleAcknowledgement
        fields = [
            "id", "resident", "resident_name", "house", "house_name", "rule_set", "version", "is_current_version",
            "signature", "language", "signed_at", "ip_address",
        ]  # fmt: skip
        read_only_fields = fields


class RuleAcknowledgementInput(StrictSerializer):
    rule_set = ScopedRelatedField(
        queryset=RuleSet.objects.all(), help_text=gettext_lazy("The version you read and are signing")
    )
    signature = serializers.CharField(max_length=200, help_text="Your full legal name")
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of the text you read and sign; Spanish only when every rule has its Spanish text",
    )


class RuleAcknowledgementViewSet(ScopedViewSet):
    """Signatures on house rule sets. A resident signs the current version of their own house's rules (POST) and
    reads their own signatures; staff read those of their houses. Signing the same version again is harmless (200).
    """

    queryset = RuleAcknowledgement.objects.all()
    selector = staticmethod(selectors.acknowledgements_for)
    serializer_class = RuleAcknowledgementSerializer
    filterset_class = RuleAcknowledgementFilter
    search_fields = ["resident__legal_first_name", "resident__legal_last_name", "resident__preferred_name"]
    ordering_fields = ["signed_at", "resident__legal_last_name"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    action_roles = {"create": RESIDENTS}

    @extend_schema(
        request=RuleAcknowledgementInput,
        responses={
            201: RuleAcknowledgementSerializer,
            200: OpenApiResponse(RuleAcknowledgementSerializer, description="Already signed: the first signature"),
            409: inline_serializer("StaleRuleSet", {"rule_set": serializers.ListField(child=serializers.CharField())}),
        },
    )
    def create(self, request, *args, **kwargs):
        data = RuleAcknowledgementInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        resident = getattr(request.viewer, "resident", None)
        if resident is None:
            raise NotAllowed(_("Your login is not linked to a resident record."))
        acknowledgement, created = services.rule_set_acknowledge(
            resident=resident,
            ip_address=client_ip(request),
            actor=request.viewer,
            **data.validated_data,
        )
        acknowledgement = self.get_queryset().get(pk=acknowledgement.pk)
        return Response(
            RuleAcknowledgementSerializer(acknowledgement).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
