"""How long a document counts as evidence: one answer for the rule-by-rule table and the document register, so the
two can never show different dates for the same paper."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ..models import Document, DocumentKind
from .registry import EvidenceStatus, dated_status

DOCUMENT_WARN_DAYS = 30


@dataclass(frozen=True)
class DocumentTerms:
    """What the map asks of a kind of document: renewed within ``max_age_days`` of issue (None: only its expiry
    date counts), and flagged as expiring ``warn_days`` before it lapses."""

    max_age_days: int | None = None
    warn_days: int = DOCUMENT_WARN_DAYS


def document_valid_until(document: Document, terms: DocumentTerms, tz) -> date | None:
    """The last day the document counts: its expiry date and, where the map wants it renewed within
    ``max_age_days``, no later than that many days after it was issued (or uploaded, on ``tz``'s calendar)."""
    valid_until = document.expires_on
    if terms.max_age_days:
        start = document.issued_on or timezone.localtime(document.uploaded_at, tz).date()
        aged_out = start + timedelta(days=terms.max_age_days)
        valid_until = min(valid_until, aged_out) if valid_until else aged_out
    return valid_until


def document_status(document: Document, terms: DocumentTerms, tz, on: date) -> tuple[EvidenceStatus, date | None]:
    """The document's standing on ``on`` (met, expiring or expired) and its last valid day."""
    valid_until = document_valid_until(document, terms, tz)
    return dated_status(valid_until, on, terms.warn_days), valid_until


def evidence_kind(spec: dict) -> str | None:
    """The kind of document an evidence spec of the map asks for (None when it asks for something else)."""
    if spec.get("type") == "document":
        return spec["kind"]
    if spec.get("type") == "fee_schedule_published":
        return DocumentKind.FEE_SCHEDULE
    return None


def terms_of(spec: dict) -> DocumentTerms:
    return DocumentTerms(max_age_days=spec.get("max_age_days"), warn_days=spec.get("warn_days", DOCUMENT_WARN_DAYS))


def required_documents(level: int | None) -> dict[str, DocumentTerms]:
    """Every kind of document the map asks of a house at ``level``, with its terms (the strictest, where two rules
    ask for the same kind), in the map's order."""
    from ..standard import standard  # the map is checked against the registry, which imports this package

    required: dict[str, DocumentTerms] = {}
    for rule in standard().rules:
        if not rule.applies_to(level):
            continue
        for spec in rule.evidence:
            kind = evidence_kind(spec)
            if kind is None or ("levels" in spec and level not in spec["levels"]):
                continue
            terms = terms_of(spec)
            known = required.get(kind)
            if known is not None:
                ages = [age for age in (known.max_age_days, terms.max_age_days) if age]
                terms = DocumentTerms(
                    max_age_days=min(ages) if ages else None, warn_days=max(known.warn_days, terms.warn_days)
                )
            required[kind] = terms
    return required
