"""Business meetings, motions and votes of the peer-run houses. Reads: the house's members and the operators.
Writes: members, each by their office (the services say which); operators run no meeting."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api_base import RefuseReadOnlyInput, ScopedViewSet, StrictModelSerializer, StrictSerializer, validated
from accounts.models import Role
from accounts.permissions import EVERYONE
from peer.api.fields import ApplicantField, MeetingField, MemberField, MemberStayField, PeerBedField, PeerHouseField
from peer.models import Ballot, BusinessMeeting, Motion
from peer.selectors import access
from peer.services import meetings
from peer.services.meetings import MINUTES_FIELDS

MEMBERS = frozenset({Role.RESIDENT})


class BusinessMeetingSerializer(RefuseReadOnlyInput, StrictModelSerializer):
    house = PeerHouseField()
    present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    called_by_name = serializers.CharField(source="called_by.display_name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    minutes_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = BusinessMeeting
        fields = [
            "id", "house", "kind", "held_at", "reason", "called_by", "called_by_name", "present", "minutes_reading",
            "officer_reports", "old_business", "new_business", "is_open", "closed_at", "minutes_locked",
            "minutes_approved_at", "created_at",
        ]  # fmt: skip
        # The minutes are written by the secretary once the meeting is open (PATCH).
        read_only_fields = ["called_by", "closed_at", "minutes_approved_at", "created_at", *MINUTES_FIELDS]
        validators = []


class MinutesInput(StrictSerializer):
    minutes_reading = serializers.CharField(required=False, allow_blank=True)
    officer_reports = serializers.CharField(required=False, allow_blank=True)
    old_business = serializers.CharField(required=False, allow_blank=True)
    new_business = serializers.CharField(required=False, allow_blank=True)


class AttendanceInput(StrictSerializer):
    present = MemberField(many=True)


class MinutesApproveInput(StrictSerializer):
    approved_at = MeetingField()


class BusinessMeetingViewSet(ScopedViewSet):
    """Meetings of the peer-run houses. Open one (POST): the weekly meeting by the president, an emergency meeting
    (with its ``reason``) by any officer. The secretary writes the minutes (PATCH) until a later meeting approves
    them (``approve-minutes``, at that meeting); the chair sets who is present and closes the meeting."""

    queryset = BusinessMeeting.objects.all()
    selector = staticmethod(access.meetings_for)
    serializer_class = BusinessMeetingSerializer
    filterset_fields = ["house", "kind"]
    ordering_fields = ["held_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = meetings.meeting_open(actor=self.request.viewer, **serializer.validated_data)

    @extend_schema(request=MinutesInput)
    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        data = validated(MinutesInput, request)
        meeting = meetings.meeting_minutes_write(actor=request.viewer, meeting=meeting, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=AttendanceInput)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = validated(AttendanceInput, request)
        meetings.meeting_attendance_set(actor=request.viewer, meeting=meeting, present=data["present"])
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        meeting = meetings.meeting_close(actor=request.viewer, meeting=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=MinutesApproveInput)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        meeting = self.get_object()
        data = validated(MinutesApproveInput, request)
        meetings.meeting_minutes_approve(actor=request.viewer, meeting=meeting, approved_at=data["approved_at"])
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)


class BallotSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.display_name", read_only=True)

    class Meta:
        model = Ballot
        fields = ["member", "member_name", "choice", "recorded_at"]


class MotionSerializer(StrictModelSerializer):
    meeting = MeetingField()
    moved_by = MemberField()
    seconded_by = MemberField()
    application = ApplicantField(required=False, allow_null=True)
    bed = PeerBedField(required=False, allow_null=True)
    stay = MemberStayField(required=False, allow_null=True)
    ballots = BallotSerializer(many=True, read_only=True)
    count = serializers.SerializerMethodField()

    class Meta:
        model = Motion
        fields = [
            "id", "meeting", "kind", "text", "moved_by", "seconded_by", "threshold_percent", "application", "bed",
            "move_in", "stay", "dismissal_reason", "move_out", "outcome", "present_count", "votes_for",
            "votes_against", "abstentions", "decided_at", "admitted_stay", "ballots", "count", "created_at",
        ]  # fmt: skip
        read_only_fields = ["threshold_percent", "outcome", "present_count", "votes_for", "votes_against",
                            "abstentions", "decided_at", "admitted_stay", "created_at"]  # fmt: skip
        validators = []

    def _viewer(self):
        return self.context["request"].viewer

    def get_count(self, motion) -> dict:
        """The live count while the vote is open; the recorded count once decided."""
        ballots = list(motion.ballots.all())
        return {
            "present": len(motion.meeting.present.all()),
            "for": sum(ballot.choice == "for" for ballot in ballots),
            "against": sum(ballot.choice == "against" for ballot in ballots),
            "abstain": sum(ballot.choice == "abstain" for ballot in ballots),
        }


class VoteInput(StrictSerializer):
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)
    member = MemberField(required=False, help_text=_("The chair records a raised hand; leave out to vote yourself"))


class MotionViewSet(ScopedViewSet):
    """Motions put to the meetings, with their ballots and count. The chair puts a motion (POST: moved and seconded
    by two members present; an admission names the applicant, bed and night, a dismissal the stay, reason and
    night). Members present vote (``vote``); the chair counts (``decide``): an admission or dismissal carried takes
    effect at once."""

    queryset = Motion.objects.all()
    selector = staticmethod(access.motions_for)
    serializer_class = MotionSerializer
    filterset_fields = ["meeting", "kind", "outcome"]
    http_method_names = ["get", "post", "head", "options"]
    read_roles = EVERYONE
    write_roles = MEMBERS

    def perform_create(self, serializer):
        serializer.instance = meetings.motion_make(actor=self.request.viewer, **serializer.validated_data)

    @extend_schema(request=VoteInput)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        motion = self.get_object()
        data = validated(VoteInput, request)
        member = (
            data.get("member") or access.members_for(viewer=request.viewer).filter(membership=request.viewer).first()
        )
        if member is None:
            raise serializers.ValidationError({"member": [_("Only members vote.")]})
        meetings.ballot_cast(actor=request.viewer, motion=motion, member=member, choice=data["choice"])
        return Response(self.get_serializer(self.get_queryset().get(pk=motion.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        motion = meetings.motion_decide(actor=request.viewer, motion=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=motion.pk)).data)
