"""Text read through an empty relation is in every answer, a partial update's included (the schema requires it)."""

from types import SimpleNamespace

from rest_framework import serializers

from accounts.api_base import ThroughText


class EventSerializer(serializers.Serializer):
    note = serializers.CharField()
    actor_name = ThroughText(source="actor.get_full_name", default="")
    house_name = ThroughText(source="house.name", default=None, allow_null=True)


def test_an_empty_relation_reads_as_the_default_in_a_partial_updates_answer():
    event = SimpleNamespace(note="Received through the public form", actor=None, house=None)

    serializer = EventSerializer(event, data={"note": "x"}, partial=True)
    serializer.is_valid(raise_exception=True)

    answer = serializer.data

    assert (answer["actor_name"], answer["house_name"]) == ("", None)


def test_a_filled_relation_reads_through():
    actor = SimpleNamespace(get_full_name=lambda: "Olivia Operator")
    event = SimpleNamespace(note="Accepted", actor=actor, house=SimpleNamespace(name="Maple House"))

    assert EventSerializer(event).data["actor_name"] == "Olivia Operator"
    assert EventSerializer(event).data["house_name"] == "Maple House"
