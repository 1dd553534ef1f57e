"""Stripe settings come from the environment; malformed values stop the app at start-up, not at the first payment."""

import runpy
from decimal import Decimal
from pathlib import Path

import pytest
import stripe
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"
STRIPE_VARIABLES = ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
                    "ONLINE_PAYMENT_MIN", "ONLINE_PAYMENT_MAX", "STRIPE_CONNECT", "STRIPE_CONNECT_WEBHOOK_SECRET",
                    "STRIPE_APPLICATION_FEE_PERCENT"]  # fmt: skip


@pytest.fixture
def load(monkeypatch):
    """``load(**environment)``: config/settings.py as it would load with those variables (and no other Stripe ones)."""
    monkeypatch.setattr(stripe, "api_base", stripe.api_base)
    monkeypatch.setattr(stripe, "api_version", stripe.api_version)
    for name in STRIPE_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def run(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return run


def test_without_stripe_variables_online_payment_is_off_with_default_limits(load):
    settings = load()
    assert (settings["STRIPE_SECRET_KEY"], settings["STRIPE_WEBHOOK_SECRET"], settings["STRIPE_API_BASE"]) == (
        "",
        "",
        "",
    )
    assert (settings["ONLINE_PAYMENT_MIN"], settings["ONLINE_PAYMENT_MAX"]) == (Decimal("1.00"), Decimal("5000.00"))


def test_the_api_version_is_pinned_on_the_library(load):
    settings = load()
    assert stripe.api_version == settings["STRIPE_API_VERSION"]


def test_a_stand_in_address_points_the_library_at_it(load):
    load(STRIPE_API_BASE="http://127.0.0.1:12111/")
    assert stripe.api_base == "http://127.0.0.1:12111"


@pytest.mark.parametrize(
    "environment",
    [
        {"STRIPE_SECRET_KEY": "pk_test_wrong_kind"},
        {"STRIPE_SECRET_KEY": "sk_test_abc"},  # no webhook secret: no payment could ever be credited
        {"STRIPE_SECRET_KEY": "sk_test_abc", "STRIPE_WEBHOOK_SECRET": "secret"},
        {"STRIPE_PUBLISHABLE_KEY": "sk_test_wrong_kind"},
        {"STRIPE_API_BASE": "127.0.0.1:12111"},
        {"ONLINE_PAYMENT_MIN": "abc"},
        {"ONLINE_PAYMENT_MIN": "0"},
        {"ONLINE_PAYMENT_MAX": "-5"},
        {"ONLINE_PAYMENT_MAX": "10.005"},
        {"ONLINE_PAYMENT_MAX": "NaN"},
        {"ONLINE_PAYMENT_MIN": "50.00", "ONLINE_PAYMENT_MAX": "20.00"},
        # Connect without its endpoint's secret: no payment on a connected account could ever be credited.
        {"STRIPE_SECRET_KEY": "sk_test_abc", "STRIPE_WEBHOOK_SECRET": "whsec_abc", "STRIPE_CONNECT": "1"},
        {"STRIPE_APPLICATION_FEE_PERCENT": "11"},
        {"STRIPE_APPLICATION_FEE_PERCENT": "-1"},
        {"STRIPE_APPLICATION_FEE_PERCENT": "a lot"},
    ],
)
def test_a_malformed_stripe_setting_stops_the_app_at_start_up(load, environment):
    with pytest.raises(ImproperlyConfigured):
        load(**environment)


def test_a_complete_stripe_setup_loads(load):
    settings = load(
        STRIPE_SECRET_KEY="sk_live_abc",
        STRIPE_PUBLISHABLE_KEY="pk_live_abc",
        STRIPE_WEBHOOK_SECRET="whsec_abc",
        ONLINE_PAYMENT_MIN="5",
        ONLINE_PAYMENT_MAX="2500.5",
    )
    assert settings["STRIPE_SECRET_KEY"] == "sk_live_abc"
    assert (settings["ONLINE_PAYMENT_MIN"], settings["ONLINE_PAYMENT_MAX"]) == (Decimal("5.00"), Decimal("2500.50"))


def test_a_connect_setup_with_its_own_webhook_secret_and_a_platform_fee_loads(load):
    settings = load(
        STRIPE_SECRET_KEY="sk_test_abc",
        STRIPE_WEBHOOK_SECRET="whsec_abc",
        STRIPE_CONNECT="1",
        STRIPE_CONNECT_WEBHOOK_SECRET="whsec_connect",
        STRIPE_APPLICATION_FEE_PERCENT="1.5",
    )
    assert (settings["STRIPE_CONNECT"], settings["STRIPE_APPLICATION_FEE_PERCENT"]) == (True, Decimal("1.5"))
