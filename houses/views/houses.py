"""Operator pages for houses: the list, and the form to open or change one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.exceptions import DomainError
from accounts.pages import paginate, refuse
from accounts.views import operator_required
from houses.forms import HouseForm
from houses.models import House
from houses.selectors import house_in_scope, houses_for
from houses.services import house_create, house_update


@operator_required
def house_list(request):
    houses = houses_for(viewer=request.viewer).prefetch_related("staff__user")
    return render(request, "houses/house_list.html", {"section": "houses", "page_obj": paginate(request, houses)})


@operator_required
def house_new(request):
    form = HouseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            house = house_create(actor=request.viewer, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(house)s added. Now add its rooms and beds.") % {"house": house.name})
            return redirect("house-rooms", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "houses/house_form.html", {"section": "houses", "form": form}, status=status)


@operator_required
def house_edit(request, house_id):
    house = house_in_scope(request, house_id)
    # The form edits a copy so the page title keeps the saved name while the form shows what was typed.
    form = HouseForm(request.POST or None, instance=House.objects.get(pk=house.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                house_update(actor=request.viewer, house=house, **changes)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("%(name)s saved.") % {"name": form.cleaned_data["name"]} if changes else _("Nothing changed."),
            )
            return redirect("houses")
    status = 400 if request.method == "POST" else 200
    context = {"section": "houses", "form": form, "house": house}
    return render(request, "houses/house_form.html", context, status=status)
