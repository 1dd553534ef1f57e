from django.urls import path

from . import autopay_views, portal, portal_reminders

urlpatterns = [
    path("", portal.pay, name="portal-pay"),
    path("return/", portal.pay_return, name="portal-pay-return"),
    path("autopay/", autopay_views.autopay_page, name="portal-autopay"),
    path("autopay/off/", autopay_views.autopay_off, name="portal-autopay-off"),
    path("autopay/return/", autopay_views.autopay_return, name="portal-autopay-return"),
    path("reminders/", portal_reminders.reminders, name="portal-reminders"),
]
