from django.contrib import admin

from .models import HouseListing, ReferralPartner


@admin.register(HouseListing)
class HouseListingAdmin(admin.ModelAdmin):
    list_display = ["house", "organization", "published", "slug"]
    list_filter = ["published"]
    search_fields = ["house__name", "slug"]


@admin.register(ReferralPartner)
class ReferralPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    exclude = ["members"]
