"""The demo's two-factor login: a house manager of Harbor House whose account has an authenticator app set up, with
a published key and published recovery codes, so anyone can try the sign-in's second step.

The organization does not require two-factor (the other demo logins keep signing in with the password alone); an
operator can turn the requirement on under Settings."""

from base64 import b32decode

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organization, Role, User
from houses.models import House

EMAIL = "two-factor@example.com"
FULL_NAME = "Theo Turner"
# Published in the README: type it into an authenticator app to get this login's codes. Never a real account's.
TOTP_KEY = "HEARTHDEMOKEYFORTWOFACTORSIGNIN2"
RECOVERY_CODES = [f"demo-recovery-{number:02d}" for number in range(1, 11)]


def seed(organization: Organization, *, password: str) -> Membership:
    """Runs once: a later run leaves the device alone (its codes may have been used, its clock drift learnt)."""
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=EMAIL, password=password, full_name=FULL_NAME)
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.MANAGER}
    )
    if created:
        membership.houses.add(*House.objects.filter(organization=organization, name="Harbor House"))
    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="Authenticator app", key=b32decode(TOTP_KEY).hex(), confirmed=True)
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in RECOVERY_CODES)
    return membership
