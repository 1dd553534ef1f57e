"""What every page shares: 25-row pagination and a domain error shown beside the field it names."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator

from .exceptions import DomainError, NotAllowed

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of ``queryset``; a missing, malformed or too-high page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def show_domain_error(form, error: DomainError, *, fields: dict[str, str] | None = None) -> None:
    """Puts a service's refusal beside the form field it names (``fields`` maps service names to form names);
    a rule about no field of this form becomes an error of the whole form."""
    name = (fields or {}).get(error.field, error.field)
    form.add_error(name if name in form.fields else None, error.message)


def refuse(form, error: DomainError, *, fields: dict[str, str] | None = None) -> None:
    """A page's answer to a service's refusal: a role that may not act gets the 403 page (``NotAllowed``); any other
    refusal is shown beside its field, and the view re-renders the form with status 400."""
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message)
    show_domain_error(form, error, fields=fields)
