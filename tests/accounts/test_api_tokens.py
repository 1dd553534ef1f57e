"""Issue 14, requirement 1: API tokens are per device, named, listed and revoked by their owner, expire when left
unused (30 days for staff, 90 for residents), die with a password change, a deactivation or the last membership's
end, and are stored only as a hash."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Role, User
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.forms import FormClient

NEW_PASSWORD = "a brand new passphrase 2027"
START = datetime(2026, 3, 2, 15, tzinfo=UTC)


def sign_in(user, user_agent="pytest", **fields) -> dict:
    response = APIClient(HTTP_USER_AGENT=user_agent).post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD, **fields}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def holding(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def works(key: str) -> bool:
    status = holding(key).get("/api/v1/me/").status_code
    assert status in (200, 401), status
    return status == 200


# Signing in


def test_signing_in_twice_gives_two_different_keys(operator):
    first, second = sign_in(operator.user), sign_in(operator.user)
    assert first["token"] != second["token"]
    assert works(first["token"])
    assert works(second["token"])


def test_signing_in_answers_the_key_with_the_tokens_id_name_and_expiry(operator):
    with time_machine.travel(START, tick=False):
        body = sign_in(operator.user, name="Front desk PC")
    token = ApiToken.objects.get()
    assert body == {
        "token": body["token"],
        "id": token.pk,
        "name": "Front desk PC",
        "expiry": "2026-04-01T15:00:00Z",
    }


def test_an_unnamed_token_is_named_after_the_client(operator):
    sign_in(operator.user, user_agent="HearthApp/2.1 (iPhone; iOS 18.2)")
    assert ApiToken.objects.get().name == "HearthApp/2.1 (iPhone; iOS 18.2)"


def test_a_long_user_agent_is_cut_to_fit_the_name(operator):
    sign_in(operator.user, user_agent="Mozilla/5.0 " + "x" * 300)
    name = ApiToken.objects.get().name
    assert len(name) == 100
    assert name.startswith("Mozilla/5.0 xxx")
    assert name.endswith("…")


def test_a_token_without_a_name_or_user_agent_is_an_unnamed_device(operator):
    sign_in(operator.user, user_agent="", name="")
    assert ApiToken.objects.get().name == "Unnamed device"


def test_a_name_too_long_is_refused_with_the_field_and_no_token(operator):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": operator.user.email, "password": PASSWORD, "name": "n" * 101}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name"}
    assert not ApiToken.objects.exists()


def test_only_a_hash_of_the_key_is_stored(operator):
    key = sign_in(operator.user)["token"]
    stored = ApiToken.objects.values().get()
    assert stored["digest"] == hashlib.sha512(key.encode()).hexdigest()
    # Knox keeps the key's first 15 characters to find the row; never the whole key.
    assert stored["token_key"] == key[:15]
    assert not any(key in str(value) for value in stored.values())


# Listing


def test_the_owner_lists_their_tokens_without_keys_and_sees_which_one_is_in_hand(operator):
    with time_machine.travel(START, tick=False):
        phone = sign_in(operator.user, name="Maria's iPhone")
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        laptop = sign_in(operator.user, name="Laptop")
        rows = holding(laptop["token"]).get("/api/v1/auth/tokens/").json()["results"]
    assert rows == [
        {
            "id": laptop["id"],
            "name": "Laptop",
            "created": "2026-03-02T10:00:00-06:00",
            "last_used_at": "2026-03-02T10:00:00-06:00",
            "expiry": "2026-04-01T11:00:00-05:00",
            "current": True,
        },
        {
            "id": phone["id"],
            "name": "Maria's iPhone",
            "created": "2026-03-02T09:00:00-06:00",
            "last_used_at": None,
            "expiry": "2026-04-01T10:00:00-05:00",
            "current": False,
        },
    ]


def test_the_list_never_shows_another_users_tokens(operator, manager):
    sign_in(manager.user, name="Marcus's phone")
    mine = sign_in(operator.user, name="Olivia's laptop")
    rows = holding(mine["token"]).get("/api/v1/auth/tokens/").json()["results"]
    assert [row["name"] for row in rows] == ["Olivia's laptop"]


def test_the_list_refuses_a_query_parameter_it_does_not_know(api, operator):
    response = api(operator).get("/api/v1/auth/tokens/", {"user": 1})
    assert response.status_code == 400
    assert set(response.json()) == {"user"}


def test_a_session_lists_the_tokens_with_none_current(api, operator):
    sign_in(operator.user)
    rows = api(operator).get("/api/v1/auth/tokens/").json()["results"]
    assert [row["current"] for row in rows] == [False]


def test_the_list_needs_a_signed_in_user(db):
    response = APIClient().get("/api/v1/auth/tokens/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# Revoking


def test_revoking_one_token_leaves_the_other_working(operator):
    phone, laptop = sign_in(operator.user), sign_in(operator.user)
    response = holding(laptop["token"]).delete(f"/api/v1/auth/tokens/{phone['id']}/")
    assert response.status_code == 204
    assert not works(phone["token"])
    assert works(laptop["token"])


def test_another_users_token_cannot_be_revoked_and_reads_as_missing(operator, manager):
    theirs = sign_in(manager.user)
    mine = sign_in(operator.user)
    foreign = holding(mine["token"]).delete(f"/api/v1/auth/tokens/{theirs['id']}/")
    missing = holding(mine["token"]).delete("/api/v1/auth/tokens/999999/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "You have no API token with this id."}
    assert works(theirs["token"])


@pytest.mark.parametrize("token_id", ["abc", "1.5", "99999999999999999999999"])
def test_a_token_id_that_is_no_database_id_is_a_404(api, operator, token_id):
    assert api(operator).delete(f"/api/v1/auth/tokens/{token_id}/").status_code == 404


def test_deleting_auth_token_revokes_the_token_making_the_request(operator):
    kept, ended = sign_in(operator.user), sign_in(operator.user)
    response = holding(ended["token"]).delete("/api/v1/auth/token/")
    assert response.status_code == 204
    assert not works(ended["token"])
    assert works(kept["token"])


def test_a_revoked_token_is_a_401(operator):
    key = sign_in(operator.user)["token"]
    holding(key).delete("/api/v1/auth/token/")
    response = holding(key).get("/api/v1/houses/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_deleting_auth_token_from_a_session_says_there_is_no_token_to_revoke(operator):
    key = sign_in(operator.user)["token"]
    client = APIClient()
    client.force_login(operator.user)
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 400
    assert "no token to revoke" in response.json()["detail"]
    assert works(key)


def test_deleting_auth_token_without_credentials_is_a_401(db):
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401


@pytest.mark.parametrize("role", ["operator", "manager", "resident_member"])
def test_every_role_lists_and_revokes_its_own_tokens(request, role):
    user = request.getfixturevalue(role).user
    phone, laptop = sign_in(user), sign_in(user)
    client = holding(laptop["token"])
    assert [row["id"] for row in client.get("/api/v1/auth/tokens/").json()["results"]] == [laptop["id"], phone["id"]]
    assert client.delete(f"/api/v1/auth/tokens/{phone['id']}/").status_code == 204
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not ApiToken.objects.filter(user=user).exists()


def test_someone_with_no_organization_may_still_list_and_revoke_their_tokens(db):
    user = UserFactory()
    key = sign_in(user)["token"]
    assert holding(key).get("/api/v1/me/").status_code == 403  # nothing else is theirs to see
    assert holding(key).get("/api/v1/auth/tokens/").json()["count"] == 1
    assert holding(key).delete("/api/v1/auth/token/").status_code == 204


def test_someone_with_only_a_pending_invitation_may_list_their_tokens(db):
    invited = MembershipFactory(role=Role.MANAGER, accepted_at=None, is_active=False)
    key = sign_in(invited.user)["token"]
    assert holding(key).get("/api/v1/auth/tokens/").json()["count"] == 1


# Sliding expiry


def test_a_staff_token_left_unused_for_30_days_is_a_401_and_deleted(manager):
    with time_machine.travel(START, tick=False):
        key = sign_in(manager.user)["token"]
    with time_machine.travel(START + timedelta(days=30, minutes=1), tick=False):
        assert not works(key)
    assert not ApiToken.objects.exists()


def test_a_staff_token_in_use_stays_alive_past_30_days(manager):
    with time_machine.travel(START, tick=False):
        key = sign_in(manager.user)["token"]
    with time_machine.travel(START + timedelta(days=29), tick=False):
        assert works(key)
    with time_machine.travel(START + timedelta(days=58), tick=False):
        assert works(key)
    assert ApiToken.objects.get().last_used_at == START + timedelta(days=58)


def test_a_resident_token_lasts_90_unused_days(resident_member):
    with time_machine.travel(START, tick=False):
        key = sign_in(resident_member.user)["token"]
    with time_machine.travel(START + timedelta(days=89, hours=23), tick=False):
        assert works(key)


def test_a_resident_token_left_unused_for_90_days_is_a_401(resident_member):
    with time_machine.travel(START, tick=False):
        key = sign_in(resident_member.user)["token"]
    with time_machine.travel(START + timedelta(days=90, minutes=1), tick=False):
        assert not works(key)


def test_someone_who_is_both_resident_and_staff_gets_the_staff_limit(resident_member):
    MembershipFactory(user=resident_member.user, organization=OrganizationFactory(), role=Role.MANAGER)
    with time_machine.travel(START, tick=False):
        body = sign_in(resident_member.user)
    assert body["expiry"] == "2026-04-01T15:00:00Z"


def test_a_pending_staff_invitation_does_not_shorten_a_residents_token(resident_member):
    MembershipFactory(user=resident_member.user, organization=OrganizationFactory(), accepted_at=None, is_active=False)
    with time_machine.travel(START, tick=False):
        body = sign_in(resident_member.user)
    assert body["expiry"] == "2026-05-31T15:00:00Z"


def test_the_time_to_live_comes_from_settings(operator, settings):
    settings.STAFF_TOKEN_TTL = timedelta(days=2)
    with time_machine.travel(START, tick=False):
        key = sign_in(operator.user)["token"]
    with time_machine.travel(START + timedelta(days=2, minutes=1), tick=False):
        assert not works(key)


def test_a_resident_who_becomes_staff_has_their_token_shortened_on_next_use(resident_member):
    with time_machine.travel(START, tick=False):
        key = sign_in(resident_member.user)["token"]
    resident_member.role = Role.MANAGER
    resident_member.save()
    with time_machine.travel(START + timedelta(days=1), tick=False):
        assert works(key)
    assert ApiToken.objects.get().expiry == START + timedelta(days=31)


# Every token dies with the password, the account or the last membership


def test_changing_the_password_on_its_page_ends_every_token(operator):
    keys = [sign_in(operator.user)["token"], sign_in(operator.user)["token"]]
    client = FormClient()
    client.force_login(operator.user)
    response = client.submit(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert [works(key) for key in keys] == [False, False]


def test_resetting_the_password_ends_every_token(operator):
    key = sign_in(operator.user)["token"]
    uid = urlsafe_base64_encode(force_bytes(operator.user.pk))
    client = FormClient()
    client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(operator.user)}/")
    response = client.submit(
        f"/accounts/reset/{uid}/set-password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not works(key)


def test_setting_the_password_in_the_django_admin_ends_every_token(operator):
    key = sign_in(operator.user)["token"]
    admin = FormClient()
    admin.force_login(User.objects.create_superuser(email="root@example.org", password=PASSWORD))
    response = admin.submit(
        f"/admin/accounts/user/{operator.user.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not works(key)


def test_set_password_and_save_anywhere_ends_every_token(operator):
    key = sign_in(operator.user)["token"]
    operator.user.set_password(NEW_PASSWORD)
    operator.user.save()
    assert not works(key)


def test_a_password_hash_upgraded_at_sign_in_is_not_a_change(operator):
    key = sign_in(operator.user)["token"]
    # A salt too short for today's hasher: Django re-hashes the same password as it checks it.
    weak = make_password(PASSWORD, salt="ab", hasher="md5")
    User.objects.filter(pk=operator.user.pk).update(password=weak)
    sign_in(operator.user)
    assert User.objects.get(pk=operator.user.pk).password not in ("", weak)
    assert works(key)


def test_saving_a_user_without_changing_the_password_keeps_their_tokens(operator):
    key = sign_in(operator.user)["token"]
    user = User.objects.get(pk=operator.user.pk)
    user.full_name = "Olivia Operator-Reyes"
    user.save()
    assert works(key)


def test_deactivating_a_user_ends_every_token(operator):
    key = sign_in(operator.user)["token"]
    operator.user.is_active = False
    operator.user.save()
    assert not ApiToken.objects.exists()
    assert not works(key)


def test_ending_the_last_membership_ends_every_token(api, operator, manager):
    key = sign_in(manager.user)["token"]
    assert api(operator).delete(f"/api/v1/memberships/{manager.pk}/").status_code == 204
    assert not ApiToken.objects.filter(user=manager.user).exists()
    assert not works(key)


def test_deleting_the_last_membership_ends_every_token(manager):
    sign_in(manager.user)
    Membership.objects.get(pk=manager.pk).delete()
    assert not ApiToken.objects.filter(user=manager.user).exists()


def test_ending_one_of_two_memberships_keeps_the_tokens(api, operator, manager):
    MembershipFactory(user=manager.user, organization=OrganizationFactory(), role=Role.MANAGER)
    key = sign_in(manager.user)["token"]
    api(operator).delete(f"/api/v1/memberships/{manager.pk}/")
    assert works(key)


def test_a_pending_invitation_does_not_count_as_a_membership_left(api, operator, manager):
    MembershipFactory(
        user=manager.user, organization=OrganizationFactory(), role=Role.MANAGER, accepted_at=None, is_active=False
    )
    sign_in(manager.user)
    api(operator).delete(f"/api/v1/memberships/{manager.pk}/")
    assert not ApiToken.objects.filter(user=manager.user).exists()


def test_withdrawing_a_pending_invitation_keeps_the_tokens(manager):
    invitation = MembershipFactory(
        user=manager.user, organization=OrganizationFactory(), accepted_at=None, is_active=False
    )
    key = sign_in(manager.user)["token"]
    invitation.delete()
    assert works(key)


def test_ending_a_membership_keeps_other_peoples_tokens(api, operator, manager):
    key = sign_in(operator.user)["token"]
    api(operator).delete(f"/api/v1/memberships/{manager.pk}/")
    assert works(key)


def test_changing_a_members_role_keeps_their_tokens(api, operator, manager):
    key = sign_in(manager.user)["token"]
    assert api(operator).patch(f"/api/v1/memberships/{manager.pk}/", {"role": "operator"}).status_code == 200
    assert works(key)


# The schema


@pytest.fixture
def schema(served_schema):
    return served_schema


def test_the_schema_documents_signing_in_with_the_new_tokens_fields(schema):
    created = schema["components"]["schemas"]["TokenCreated"]
    assert set(created["properties"]) == {"token", "id", "name", "expiry"}
    post = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/TokenCreated")


def test_the_schema_documents_revoking_the_current_token(schema):
    delete = schema["paths"]["/api/v1/auth/token/"]["delete"]
    assert {"204", "400"} <= set(delete["responses"])
    assert "content" not in delete["responses"]["204"]


def test_the_schema_documents_the_token_list_without_keys(schema):
    listed = schema["paths"]["/api/v1/auth/tokens/"]["get"]
    page = listed["responses"]["200"]["content"]["application/json"]["schema"]
    assert page["$ref"].endswith("/PaginatedApiTokenList")
    assert {p["name"] for p in listed["parameters"]} == {"page", "page_size"}
    fields = set(schema["components"]["schemas"]["ApiToken"]["properties"])
    assert fields == {"id", "name", "created", "last_used_at", "expiry", "current"}


def test_the_schema_documents_revoking_a_token_by_id(schema):
    delete = schema["paths"]["/api/v1/auth/tokens/{id}/"]["delete"]
    assert {"204", "404"} <= set(delete["responses"])
    assert "content" not in delete["responses"]["204"]
    assert [p["schema"]["type"] for p in delete["parameters"] if p["name"] == "id"] == ["integer"]
