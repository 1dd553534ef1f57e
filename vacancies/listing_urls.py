"""The listing editor: what a house publishes, its fees and photos (operators, under the house's dashboard pages)."""

from django.urls import path

from . import listing_views as views

app_name = "vacancies-listing"

urlpatterns = [
    path("dashboard/houses/<int:house_id>/listing/", views.listing_edit, name="edit"),
    path("dashboard/houses/<int:house_id>/listing/fees/add/", views.fee_add, name="fee-add"),
    path("dashboard/houses/<int:house_id>/listing/fees/<int:fee_id>/", views.fee_edit, name="fee-edit"),
    path("dashboard/houses/<int:house_id>/listing/fees/<int:fee_id>/remove/", views.fee_remove, name="fee-remove"),
    path("dashboard/houses/<int:house_id>/listing/photos/add/", views.photo_add, name="photo-add"),
    path(
        "dashboard/houses/<int:house_id>/listing/photos/<int:photo_id>/remove/",
        views.photo_remove,
        name="photo-remove",
    ),
    path("dashboard/houses/<int:house_id>/listing/photos/<int:photo_id>/move/", views.photo_move, name="photo-move"),
]
