"""Serializers the residents-core API modules share (a stay is returned by admissions of applicants too)."""

from rest_framework import serializers

from residents.models import BedAssignment, Stay


class BedAssignmentSerializer(serializers.ModelSerializer):
    bed_label = serializers.CharField(source="bed.label", read_only=True)
    room_name = serializers.CharField(source="bed.room.name", read_only=True)
    house = serializers.IntegerField(source="bed.house_id", read_only=True)

    class Meta:
        model = BedAssignment
        fields = ["id", "bed", "bed_label", "room_name", "house", "start", "end"]


class StaySerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.display_name", read_only=True)
    house_name = serializers.CharField(source="house.name", read_only=True)
    bed_assignments = BedAssignmentSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stay
        fields = [
            "id", "resident", "resident_name", "house", "house_name", "admitted_to", "move_in", "move_out",
            "expected_move_out", "is_open", "discharge_reason", "discharge_note", "bed_assignments", "created_at",
        ]  # fmt: skip
