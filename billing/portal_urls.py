from django.urls import path

from . import portal

urlpatterns = [
    path("", portal.pay, name="portal-pay"),
    path("return/", portal.pay_return, name="portal-pay-return"),
]
