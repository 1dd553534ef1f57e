"""The listing editor under /dashboard/houses/<id>/listing/: what a house shows the public, its fees and photos.
Operators of the organization only (a manager runs a house's days, the operator decides its public face: managers
get 403, as for the house's rent settings). Each form posts, the service decides, and the page redirects back."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import refuse
from accounts.views import operator_required
from billing.models import HouseBillingPolicy
from houses.selectors import house_in_scope

from . import feed
from .listing_forms import FeeForm, ListingForm, MoveForm, PhotoForm
from .models import HouseListing, ListingFee, ListingPhoto
from .services import listings as services
from .services.listings import FEE_FIELDS, LISTING_FIELDS


def _listing(house) -> HouseListing | None:
    return HouseListing.objects.filter(house=house).select_related("organization", "house").first()


def _listing_initial(house, listing: HouseListing | None) -> dict:
    if listing is None:
        return {"slug": services.listing_suggest_slug(house=house)}
    return {name: getattr(listing, name) for name in LISTING_FIELDS}


def _embed_snippet(listing: HouseListing) -> str:
    """The HTML an operator pastes into their website, built with ``format_html`` so a house named with quotes or
    angle brackets still gives a well-formed attribute. Safe HTML: the page shows it as text (``force_escape``)."""
    return format_html(
        '<iframe src="{}" title="{}" width="320" height="260" loading="lazy"></iframe>',
        feed.embed_url(listing),
        _("Open beds at %(house)s") % {"house": listing.house.name},
    )


def _render(request, house, *, status=200, **forms):
    listing = _listing(house)
    context = {
        "section": "houses",
        "house": house,
        "listing": listing,
        "has_policy": HouseBillingPolicy.objects.filter(house=house).exists(),
        "listing_form": forms.get("listing_form")
        or ListingForm(initial=_listing_initial(house, listing), prefix="listing"),
    }
    if listing is not None:
        context.update(
            fees=list(listing.fees.order_by("name")),
            photos=list(listing.photos.order_by("position", "pk")),
            fee_form=forms.get("fee_form") or FeeForm(prefix="fee"),
            photo_form=forms.get("photo_form") or PhotoForm(prefix="photo"),
            public_url=feed.public_url(listing),
            embed_snippet=_embed_snippet(listing),
        )
    return render(request, "vacancies/listing/edit.html", context, status=status)


def _back(house):
    return redirect("vacancies-listing:edit", house_id=house.pk)


def _listing_or_404(house) -> HouseListing:
    return get_object_or_404(HouseListing.objects.select_related("organization", "house"), house=house)


@operator_required
def listing_edit(request, house_id):
    """The listing of one house: create it, change it, publish or withdraw it."""
    house = house_in_scope(request, house_id)
    if request.method != "POST":
        return _render(request, house)
    form = ListingForm(request.POST, prefix="listing")
    if form.is_valid():
        try:
            listing = services.listing_save(actor=request.viewer, house=house, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            if listing.published:
                messages.success(request, _("The listing of %(house)s is published.") % {"house": house.name})
            else:
                messages.success(
                    request, _("The listing of %(house)s is saved (not published).") % {"house": house.name}
                )
            return _back(house)
    return _render(request, house, status=400, listing_form=form)


@operator_required
@require_POST
def fee_add(request, house_id):
    house = house_in_scope(request, house_id)
    listing = _listing_or_404(house)
    form = FeeForm(request.POST, prefix="fee")
    if form.is_valid():
        try:
            fee = services.listing_fee_add(actor=request.viewer, listing=listing, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(fee)s added.") % {"fee": fee.name})
            return _back(house)
    return _render(request, house, status=400, fee_form=form)


def _fee(house, fee_id) -> ListingFee:
    return get_object_or_404(ListingFee.objects.select_related("listing"), pk=fee_id, listing__house=house)


@operator_required
def fee_edit(request, house_id, fee_id):
    """One fee's own page: its name, amount, frequency, refundability and note."""
    house = house_in_scope(request, house_id)
    fee = _fee(house, fee_id)
    form = FeeForm(request.POST or None, prefix="fee", initial={name: getattr(fee, name) for name in FEE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_fee_update(actor=request.viewer, fee=fee, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": form.cleaned_data["name"]})
            return _back(house)
    status = 400 if request.method == "POST" else 200
    context = {"section": "houses", "house": house, "fee": fee, "form": form}
    return render(request, "vacancies/listing/fee_edit.html", context, status=status)


@operator_required
@require_POST
def fee_remove(request, house_id, fee_id):
    house = house_in_scope(request, house_id)
    fee = _fee(house, fee_id)
    services.listing_fee_remove(actor=request.viewer, fee=fee)
    messages.success(request, _("%(fee)s removed.") % {"fee": fee.name})
    return _back(house)


def _photo(house, photo_id) -> ListingPhoto:
    return get_object_or_404(ListingPhoto.objects.select_related("listing"), pk=photo_id, listing__house=house)


@operator_required
@require_POST
def photo_add(request, house_id):
    house = house_in_scope(request, house_id)
    listing = _listing_or_404(house)
    form = PhotoForm(request.POST, request.FILES, prefix="photo")
    if form.is_valid():
        try:
            services.listing_photo_add(actor=request.viewer, listing=listing, **form.cleaned_data)
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Photo added."))
            return _back(house)
    return _render(request, house, status=400, photo_form=form)


@operator_required
@require_POST
def photo_remove(request, house_id, photo_id):
    house = house_in_scope(request, house_id)
    photo = _photo(house, photo_id)
    services.listing_photo_remove(actor=request.viewer, photo=photo)
    messages.success(request, _("Photo “%(photo)s” removed.") % {"photo": photo.alt_text})
    return _back(house)


@operator_required
@require_POST
def photo_move(request, house_id, photo_id):
    house = house_in_scope(request, house_id)
    photo = _photo(house, photo_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a photo up or down."))
        return _render(request, house, status=400)
    services.listing_photo_move(actor=request.viewer, photo=photo, direction=form.cleaned_data["direction"])
    return _back(house)
