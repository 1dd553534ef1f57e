"""Staff billing pages in a Spanish-speaking staff member's own language."""

import pytest

from .conftest import make_policy


@pytest.fixture
def spanish_operator(operator):
    operator.user.preferred_language = "es"
    operator.user.save(update_fields=["preferred_language"])
    return operator


def test_the_rent_settings_page_is_in_spanish_for_a_spanish_speaking_operator(page, spanish_operator, house):
    make_policy(house)
    html = page(spanish_operator).get("/dashboard/settings/rent/").content.decode()
    assert "Renta y cargos por atraso" in html
    assert "al mes, vence el día 1" in html
    assert "Rent and late fees" not in html


def test_the_rent_terms_form_is_in_spanish_for_a_spanish_speaking_operator(page, spanish_operator, house):
    html = page(spanish_operator).get(f"/dashboard/settings/rent/{house.pk}/").content.decode()
    assert "Guardar condiciones de renta" in html
    assert "Días de gracia" in html
