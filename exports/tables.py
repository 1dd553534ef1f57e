"""Which tables an organization export holds, and their columns.

Every model of the domain apps that holds an organization's rows is one CSV file, found from the model itself: the
path its queryset scopes by (``TenantQuerySet.organization_path``), or its ``organization`` key, or a path named
below for the few models that have neither. A model that is deliberately not exported is in ``LEFT_OUT`` with the
reason; ``tests/exports`` fails on a domain model that is in neither, so a new table cannot be forgotten silently.

Columns are the model's own fields (a key is its id, ``<name>_id``, pointing into the file of that model), minus the
secrets in ``SECRET_FIELDS``. Files (report PDFs, certification documents) are listed by their storage name and
SHA-256, not embedded.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models

DOMAIN_APPS = ("accounts", "houses", "residents", "billing", "vacancies", "reports", "compliance", "spreadsheets")

# Models with neither a scoped queryset nor an ``organization`` key: the lookup from the row to its organization.
ORGANIZATION_PATHS = {
    "accounts.organization": "id",
    "residents.drugtestsubstance": "test__organization",
    "billing.depositdeduction": "settlement__organization",
    "vacancies.publicsubmission": "application__organization",
    "vacancies.partnerdigest": "partner__organization",
}

LEFT_OUT = {
    "accounts.user": "Sign-in accounts are people's, not the organization's (one may belong to several): each "
    "member's name, e-mail and last sign-in are in memberships.csv; password hashes are never exported.",
    "accounts.apitoken": "API tokens are secrets (only their digests are stored) and belong to a user, not the "
    "organization.",
    "accounts.deferredtask": "Background jobs waiting for the queue: plumbing, not records.",
    "billing.rentpostingmark": "The daily rent job's bookmark of stays found up to date: plumbing, not records (the "
    "charges themselves are in ledger.csv).",
}

# Never exported, whatever the model: secrets, and raw payloads whose parts are in other columns.
SECRET_FIELDS = {
    "billing.stripeevent.payload": "the raw webhook body Stripe sent; the event's type, status, account, payment and "
    "times are exported",
    "billing.onlinepayment.checkout_url": "a live link that opens the payment page",
    "vacancies.referralpartner.link_token": "the live private link of a referral partner's pages",
    "vacancies.publicsubmission.token": "the applicant's live private link to their application",
    "vacancies.waitlistoffer.token": "the live link that answers a bed offer",
}
SECRET_NAME = re.compile(r"password|digest|secret|token_key|private_key|otp", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    name: str
    lookup: str
    field: models.Field


@dataclass(frozen=True)
class Table:
    filename: str
    model: type[models.Model]
    owner: str  # lookup from a row to its organization's id
    columns: tuple[Column, ...]
    description: str
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _organization_path(model) -> str | None:
    label = model._meta.label_lower
    if label in ORGANIZATION_PATHS:
        return ORGANIZATION_PATHS[label]
    path = getattr(type(model._default_manager.get_queryset()), "organization_path", None)
    if path:
        return path
    names = {f.name for f in model._meta.concrete_fields}
    return "organization" if "organization" in names else None


def _owner_lookup(path: str) -> str:
    return path if path == "id" else f"{path}_id"


def _stem(model) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(model._meta.verbose_name_plural).lower()).strip("_")


def _columns(model) -> tuple[tuple[Column, ...], dict[str, str]]:
    columns, left_out = [], {}
    for f in model._meta.concrete_fields:
        key = f"{model._meta.label_lower}.{f.name}"
        if key in SECRET_FIELDS:
            left_out[f.name] = SECRET_FIELDS[key]
            continue
        if SECRET_NAME.search(f.name):
            left_out[f.name] = "a secret"
            continue
        columns.append(Column(name=f.attname, lookup=f.attname, field=f))
    return tuple(columns), left_out


MEMBER_ACCOUNT_FIELDS = ("email", "full_name", "is_active", "last_login", "date_joined")


def _membership_table(model, stem) -> Table:
    columns, left_out = _columns(model)
    user = model._meta.get_field("user").related_model
    extra = tuple(
        Column(name=f"user_{name}", lookup=f"user__{name}", field=user._meta.get_field(name))
        for name in MEMBER_ACCOUNT_FIELDS
    )
    left_out["user.password"] = "password hashes are never exported"
    return Table(
        filename=f"{stem}.csv", model=model, owner="organization_id", columns=columns + extra,
        description="Everyone who belongs to the organization (staff and residents), with their sign-in account's "
        "name and e-mail (user_*). No password hash, API token or two-factor key is exported.",
        left_out=left_out,
    )  # fmt: skip


@cache
def organization_tables() -> tuple[Table, ...]:
    """Every table of an organization export, in a stable order (by app, then model)."""
    tables, taken = [], set()
    for app in DOMAIN_APPS:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for model in sorted(config.get_models(), key=lambda m: m._meta.model_name):
            label = model._meta.label_lower
            path = _organization_path(model)
            if label in LEFT_OUT or path is None:
                continue
            stem = _stem(model)
            if stem in taken or stem == "ledger":
                stem = f"{app}_{stem}"
            taken.add(stem)
            if label == "accounts.membership":
                tables.append(_membership_table(model, stem))
                continue
            columns, left_out = _columns(model)
            doc = " ".join((model.__doc__ or "").split())
            if doc.startswith(f"{model.__name__}("):  # Django's generated docstring says nothing
                doc = ""
            doc = re.split(r"(?<=\.)\s", doc, maxsplit=1)[0]  # the first sentence says what a row is
            tables.append(
                Table(
                    filename=f"{stem}.csv",
                    model=model,
                    owner=_owner_lookup(path),
                    columns=columns,
                    description=doc or str(model._meta.verbose_name_plural).capitalize() + ".",
                    left_out=left_out,
                )
            )
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                if not through._meta.auto_created:
                    continue  # a through model of its own is exported as its own table
                source = next(f for f in through._meta.concrete_fields if f.is_relation and f.related_model is model)
                through_stem = f"{stem}_{m2m.name}"
                taken.add(through_stem)
                columns, _ = _columns(through)
                tables.append(
                    Table(
                        filename=f"{through_stem}.csv",
                        model=through,
                        columns=columns,
                        owner=f"{source.name}__{_owner_lookup(path)}",
                        description=f"Which {m2m.related_model._meta.verbose_name_plural} each row of {stem}.csv is "
                        f"linked to ({m2m.verbose_name}).",
                    )
                )
    return tuple(tables)


def unclassified_models() -> list[str]:
    """Domain models neither exported nor deliberately left out (a test keeps this empty)."""
    exported = {table.label for table in organization_tables()}
    found = []
    for app in DOMAIN_APPS:
        try:
            config = apps.get_app_config(app)
        except LookupError:
            continue
        for model in config.get_models():
            label = model._meta.label_lower
            if label not in exported and label not in LEFT_OUT:
                found.append(label)
    return found


def describe(f: models.Field) -> tuple[str, str]:
    """A column's type and meaning, for columns.csv: from the field's verbose name, help text and choices."""
    if f.is_relation:
        target = f.related_model
        kind = f"id in {_stem(target)}.csv" if _organization_path(target) else f"id of a {target._meta.verbose_name}"
    elif isinstance(f, models.DateTimeField):
        kind = "date and time (UTC, ISO 8601)"
    elif isinstance(f, models.DateField):
        kind = "date (YYYY-MM-DD)"
    elif isinstance(f, models.TimeField):
        kind = "time (HH:MM:SS)"
    elif isinstance(f, models.BooleanField):
        kind = "true/false"
    elif isinstance(f, models.DecimalField):
        kind = f"decimal ({f.decimal_places} places)"
    elif isinstance(f, models.IntegerField | models.AutoField):
        kind = "integer"
    elif isinstance(f, models.FileField):
        kind = "stored file name (not embedded)"
    elif isinstance(f, models.JSONField):
        kind = "JSON"
    else:
        kind = "text"
    meaning = str(f.verbose_name)
    meaning = meaning[:1].upper() + meaning[1:]
    if f.help_text:
        meaning += f": {f.help_text}"
    if f.choices:
        meaning += ". Values: " + "; ".join(f"{value} = {label}" for value, label in f.flatchoices)
    return kind, meaning
