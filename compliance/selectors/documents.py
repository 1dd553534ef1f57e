from django.db.models import QuerySet

from accounts.audit import audited
from accounts.models import Membership
from houses.models import House

from ..models import Document


def documents_for(*, viewer: Membership, house: House | None = None, current_only: bool = False) -> QuerySet[Document]:
    """Documents the viewer may see (residents: their house's published policies), with house and uploader joined.
    With ``house``, that house's own documents and the organization-wide ones. The rows fetched are an audited read
    by the viewer (``accounts.audit.audited``)."""
    documents = Document.objects.visible_to(viewer).select_related("house", "uploaded_by")
    if house is not None:
        documents = documents.for_house(house)
    if current_only:
        documents = documents.current()
    return audited(documents, viewer=viewer)


def document_register(*, viewer: Membership, house: House) -> QuerySet[Document]:
    """Every version of every document that counts for the house, current first, for the evidence pack."""
    return documents_for(viewer=viewer, house=house).order_by("-is_current", "kind", "-uploaded_at", "-pk")
