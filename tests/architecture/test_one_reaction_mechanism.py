"""Domain reactions travel by the services' explicit signals (stay_admitted, stay_transferred, stay_discharged ...),
never by model save or delete hooks, which fire for every save from anywhere, the admin and fixtures included."""

import pytest
from django.apps import apps
from django.db.models import signals

DOMAIN_APPS = ("houses", "residents", "billing", "compliance", "reports", "vacancies", "exports", "spreadsheets")
MODEL_SIGNALS = {
    "pre_save": signals.pre_save,
    "post_save": signals.post_save,
    "pre_delete": signals.pre_delete,
    "post_delete": signals.post_delete,
    "m2m_changed": signals.m2m_changed,
}
DOMAIN_MODELS = [model for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()]


def hooks(model) -> list[str]:
    return [name for name, signal in MODEL_SIGNALS.items() if signal.has_listeners(model)]


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_no_domain_model_has_a_save_or_delete_receiver(model):
    hooked = hooks(model)
    assert not hooked, f"{model._meta.label} has {hooked} receivers: send a signal from the service instead"


def test_the_check_sees_a_post_save_receiver():
    from residents.models import Stay

    def react(**kwargs):
        pass

    signals.post_save.connect(react, sender=Stay, weak=False)
    try:
        assert hooks(Stay) == ["post_save"]
    finally:
        signals.post_save.disconnect(react, sender=Stay)
