"""Drug-test pages, under /dashboard/."""

from django.urls import path

from residents.testing import views as drug_tests

HOUSE = "houses/<int:house_id>/"

urlpatterns = [
    path(f"{HOUSE}drug-tests/", drug_tests.house_drug_tests, name="house-drug-tests"),
    path(f"{HOUSE}drug-tests/draw/", drug_tests.house_draw, name="house-draw"),
    path(f"{HOUSE}drug-tests/draws/<int:draw_id>/", drug_tests.house_draw_replay, name="house-draw-replay"),
    path(
        f"{HOUSE}drug-tests/requests/<int:request_id>/record/", drug_tests.house_test_record, name="house-test-record"
    ),
    path(
        f"{HOUSE}drug-tests/requests/<int:request_id>/cancel/",
        drug_tests.house_test_request_cancel,
        name="house-test-request-cancel",
    ),
    path(f"{HOUSE}drug-tests/<int:test_id>/lab-result/", drug_tests.house_lab_result, name="house-lab-result"),
]
