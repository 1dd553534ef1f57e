"""Evidence Hearth keeps itself: documents, inspections, drills, naloxone, residents' emergency contacts."""

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from residents.core.selectors.nights import occupants

from ..models import CorrectiveAction, Document, DocumentKind, Drill, Inspection, SafetyEquipment, SafetyPolicy
from .registry import EXPIRED, EXPIRING, MET, MISSING, NOT_APPLICABLE, SEVERITY, Evidence, dated_status, registry
from .validity import DOCUMENT_WARN_DAYS, document_status, terms_of

RECURRING_WARN_DAYS = 7


def _ids(houses) -> list[int]:
    return [house.pk for house in houses]


# Links are for people: each goes to a page (the house's certification page, at the item's own anchor, or the
# item's own page) or to a file, never to the API.


def house_page_link(house, anchor: str) -> str:
    return reverse("compliance:house-certification", args=[house.pk]) + f"#{anchor}"


def document_links(document: Document, house) -> list[dict]:
    return [
        {
            "label": f"{document.title} ({document.scope_label})",
            "url": house_page_link(house, f"document-{document.pk}"),
        },
        {"label": "Download", "url": reverse("compliance:document-download", args=[document.pk])},
    ]


# Loaders: one dataset for every house being judged, a constant number of queries whatever the count.


@registry.loader("policy")
def load_policies(houses, on):
    saved = {policy.house_id: policy for policy in SafetyPolicy.objects.filter(house__in=_ids(houses))}
    return {house.pk: saved.get(house.pk) or SafetyPolicy.default_for(house) for house in houses}


@registry.loader("documents")
def load_documents(houses, on):
    """Current documents of each house, plus the organization-wide ones (which count for every house)."""
    by_house = defaultdict(list)
    organizations = {house.organization_id for house in houses}
    documents = (
        Document.objects.current()
        .filter(organization_id__in=organizations)
        .filter(Q(house__in=_ids(houses)) | Q(house__isnull=True))
        .select_related("house")
        .order_by("kind", "-uploaded_at", "-pk")
    )
    for document in documents:
        for house in houses:
            if document.house_id == house.pk or (
                document.house_id is None and document.organization_id == house.organization_id
            ):
                by_house[house.pk].append(document)
    return by_house


def _latest_per_house(model, houses, order, filters=None):
    queryset = model.objects.filter(**(filters or {}))
    latest = queryset.filter(house=OuterRef("house")).order_by(*order).values("pk")[:1]
    return {row.house_id: row for row in queryset.filter(house__in=_ids(houses), pk=Subquery(latest))}


@registry.loader("last_inspection")
def load_last_inspections(houses, on):
    return _latest_per_house(
        Inspection, houses, ("-inspected_on", "-pk"), {"status": Inspection.Status.COMPLETED, "inspected_on__lte": on}
    )


@registry.loader("open_actions")
def load_open_actions(houses, on):
    by_house = defaultdict(list)
    for action in CorrectiveAction.objects.open().filter(house__in=_ids(houses)).order_by("due_on", "pk"):
        by_house[action.house_id].append(action)
    return by_house


@registry.loader("last_drill")
def load_last_drills(houses, on):
    return _latest_per_house(Drill, houses, ("-held_at", "-pk"))


@registry.loader("equipment")
def load_equipment(houses, on):
    by_house = defaultdict(list)
    for item in SafetyEquipment.objects.active().filter(house__in=_ids(houses)).order_by("kind", "location", "pk"):
        by_house[item.house_id].append(item)
    return by_house


@registry.loader("current_residents")
def load_current_residents(houses, on):
    """The residents sleeping in each house on night ``on`` (the house of the bed, not the stay's current house)."""
    by_house = defaultdict(list)
    for row in occupants(night=on, houses=_ids(houses)).order_by("stay_id"):
        by_house[row.bed.house_id].append(row.stay.resident)
    return by_house


# Evaluators.


@registry.evaluator("document", params={"kind", "max_age_days"}, required={"kind"})
def evaluate_document(spec, context) -> Evidence:
    """A current document of the kind, for the house or the whole organization. It is good until its expiry date
    and, with ``max_age_days``, no longer than that many days after it was issued (or uploaded)."""
    kind = spec["kind"]
    label = DocumentKind(kind).label
    candidates = [document for document in context.get("documents", []) if document.kind == kind]
    if not candidates:
        return Evidence("document", MISSING, _("No %(kind)s on file.") % {"kind": str(label).lower()})
    judged = []
    tz = context.house.organization.tzinfo
    for document in candidates:
        # The register of the evidence pack dates each document by the same function.
        judged.append((*document_status(document, terms_of(spec), tz, context.on), document))
    # The best of the house's own and the organization's copy counts.
    status, valid_until, document = min(judged, key=lambda row: (SEVERITY[row[0]], -row[2].pk))
    note = {
        MET: _("%(document)s, good until %(valid_until)s.")
        % {"document": document.title, "valid_until": date_format(valid_until, _("M j, Y"))}
        if valid_until
        else _("%(document)s.") % {"document": document.title},
        EXPIRING: _("%(document)s expires on %(valid_until)s: renew it.")
        % {"document": document.title, "valid_until": date_format(valid_until, _("M j, Y"))}
        if valid_until
        else "",
        EXPIRED: _("%(document)s lapsed on %(valid_until)s.")
        % {"document": document.title, "valid_until": date_format(valid_until, _("M j, Y"))}
        if valid_until
        else "",
    }[status]
    return Evidence("document", status, note, valid_until, document_links(document, context.house))


@registry.evaluator("fee_schedule_published")
def evaluate_fee_schedule(spec, context) -> Evidence:
    """A current fee schedule: every fee schedule is published to the residents of its house in their portal."""
    evidence = evaluate_document({"kind": DocumentKind.FEE_SCHEDULE, **spec}, context)
    note = evidence.note + (" Residents can read it in their portal." if evidence.status == MET else "")
    return replace(evidence, type="fee_schedule_published", note=note)


@registry.evaluator("inspection", params={"within_days", "no_open_failures"})
def evaluate_inspection(spec, context) -> Evidence:
    """A completed safety inspection within ``within_days``; with ``no_open_failures``, every corrective action
    it (or an earlier one) opened is fixed or not yet due."""
    within = spec.get("within_days", 35)
    last = context.get("last_inspection")
    if last is None:
        return Evidence("inspection", MISSING, _("No completed safety inspection yet."))
    valid_until = last.inspected_on + timedelta(days=within)
    status = dated_status(valid_until, context.on, spec.get("warn_days", RECURRING_WARN_DAYS))
    links = [
        {
            "label": _("Inspection of %(inspected_on)s")
            % {"inspected_on": date_format(last.inspected_on, _("M j, Y"))},
            "url": reverse("compliance:inspection", args=[last.house_id, last.pk]),
        }
    ]
    note = _("Last inspected on %(inspected_on)s; next due by %(valid_until)s.") % {
        "inspected_on": date_format(last.inspected_on, _("M j, Y")),
        "valid_until": date_format(valid_until, _("M j, Y")),
    }
    if spec.get("no_open_failures"):
        actions = context.get("open_actions", [])
        overdue = [action for action in actions if action.due_on < context.on]
        links += [
            {
                "label": _("Corrective action due %(due_on)s") % {"due_on": date_format(a.due_on, _("M j, Y"))},
                "url": house_page_link(context.house, f"corrective-action-{a.pk}"),
            }
            for a in actions
        ]
        if overdue:
            status = EXPIRED
            note += " " + _("%(count)s corrective action(s) overdue since %(day)s.") % {
                "count": len(overdue),
                "day": date_format(overdue[0].due_on, _("M j, Y")),
            }
        elif actions and status == MET:
            status = EXPIRING
            valid_until = min(valid_until, actions[0].due_on)
            note += " " + _("%(count)s corrective action(s) open, first due %(day)s.") % {
                "count": len(actions),
                "day": date_format(actions[0].due_on, _("M j, Y")),
            }
    return Evidence("inspection", status, note, valid_until, links)


@registry.evaluator("drills", params={"within_days"})
def evaluate_drills(spec, context) -> Evidence:
    """An evacuation drill within the house's drill interval (capped by ``within_days``). Not required at Level I
    unless the house's safety policy asks for drills."""
    policy = context.get("policy")
    if not policy.needs_drills(context.level):
        return Evidence("drills", NOT_APPLICABLE, _("Drills are not required at Level I."))
    interval = min(policy.drill_interval_days, spec.get("within_days", policy.drill_interval_days))
    last = context.get("last_drill")
    if last is None:
        return Evidence("drills", MISSING, _("No evacuation drill logged yet."))
    held_on = local_date(last.held_at, context.house.organization)
    valid_until = held_on + timedelta(days=interval)
    status = dated_status(valid_until, context.on, spec.get("warn_days", RECURRING_WARN_DAYS))
    note = _("Last drill on %(held_on)s; next due by %(valid_until)s (every %(interval)s days).") % {
        "held_on": date_format(held_on, _("M j, Y")),
        "valid_until": date_format(valid_until, _("M j, Y")),
        "interval": interval,
    }
    link = {
        "label": _("Drill of %(held_on)s") % {"held_on": date_format(held_on, _("M j, Y"))},
        "url": house_page_link(context.house, f"drill-{last.pk}"),
    }
    return Evidence("drills", status, note, valid_until, [link])


@registry.evaluator("naloxone_current")
def evaluate_naloxone(spec, context) -> Evidence:
    """At least one naloxone kit in the house, and every kit holds doses and is in date."""
    kits = [item for item in context.get("equipment", []) if item.kind == SafetyEquipment.Kind.NALOXONE_KIT]
    if not kits:
        return Evidence("naloxone_current", MISSING, _("No naloxone kit registered in the house."))
    links = [
        {
            "label": _("Naloxone kit (%(location)s)") % {"location": kit.location},
            "url": house_page_link(context.house, f"equipment-{kit.pk}"),
        }
        for kit in kits
    ]
    empty = [kit for kit in kits if kit.quantity < 1]
    if empty:
        return Evidence(
            "naloxone_current",
            EXPIRED,
            _("The kit at %(location)s has no doses left.") % {"location": empty[0].location},
            None,
            links,
        )
    first = min(kits, key=lambda kit: kit.expires_on)
    status = dated_status(first.expires_on, context.on, spec.get("warn_days", DOCUMENT_WARN_DAYS))
    values = {"kits": len(kits), "location": first.location, "day": date_format(first.expires_on, _("M j, Y"))}
    if status == EXPIRED:
        note = _("%(kits)s kit(s); the one at %(location)s expired on %(day)s.") % values
    else:
        note = _("%(kits)s kit(s); the one at %(location)s expires on %(day)s.") % values
    return Evidence("naloxone_current", status, note, first.expires_on, links)


@registry.evaluator("emergency_contacts_collected")
def evaluate_emergency_contacts(spec, context) -> Evidence:
    """Every current resident has an emergency contact with a phone number on file."""
    residents = context.get("current_residents", [])
    lacking = [r for r in residents if not (r.emergency_contact_name.strip() and r.emergency_contact_phone.strip())]
    if not residents:
        return Evidence("emergency_contacts_collected", MET, _("No one lives in the house tonight."))
    if not lacking:
        return Evidence(
            "emergency_contacts_collected",
            MET,
            _("All %(residents)s current residents have one.") % {"residents": len(residents)},
        )
    links = [{"label": r.display_name, "url": reverse("resident", args=[r.pk]) + "#profile"} for r in lacking]
    note = _("%(lacking)s of %(residents)s current residents have no emergency contact with a phone number.") % {
        "lacking": len(lacking),
        "residents": len(residents),
    }
    return Evidence("emergency_contacts_collected", MISSING, note, None, links)


@registry.evaluator("records_kept_in_hearth")
def evaluate_records(spec, context) -> Evidence:
    """Resident records live in Hearth: reached only by role, each sensitive read written to the audit log."""
    return Evidence(
        "records_kept_in_hearth",
        MET,
        _(
            "Resident records are kept in Hearth: access by role (operator, house manager, the resident), sensitive "
            "reads and changes written to the audit log."
        ),
    )
