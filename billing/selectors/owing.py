"""What residents owe, allocated in the database: the rules of ``allocation.py`` written as one SQL query, so an
organization's delinquency list and aging totals are filtered, sorted and paged by the database instead of building
every resident's position in Python.

The allocation, per resident, over their entries dated on or before the day asked about:

- a reversal and the entry it reverses are left out (``live``);
- credits linked to a live debit of the same resident pay it first, up to its amount (``linked``);
- the rest of the credits (the ``pool``) pays the debits oldest first by (effective date, id), and what it has left
  after every debit is the resident's credit.

Since the pool is what the debits lack in all (their ``rest`` after linked credits) less the balance, the debits it
leaves open are the newest ones adding up to the balance: a debit's open part is its ``rest`` clamped to the balance
less the ``rest`` of the debits after it. A resident owing nothing has nothing open; one in credit has minus their
balance as credit. So only the debits of residents who owe are sorted, newest first, in one window.

Only table names, column lists and placeholders are put into the SQL text (hence the ``noqa: S608``); every value
is a query parameter. ``tests/billing/test_delinquency_sql.py`` checks this against ``allocation.allocate`` on
hand-made ledgers.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from houses.models import House
from residents.models import Resident

from ..models import HouseBillingPolicy, LedgerEntry
from ..models.policies import DEFAULT_OWING_ALERT
from .allocation import BUCKETS
from .balances import cents

ENTRIES = LedgerEntry._meta.db_table
RESIDENTS = Resident._meta.db_table
HOUSES = House._meta.db_table
POLICIES = HouseBillingPolicy._meta.db_table

# Oldest bucket first; a charge is in the first bucket whose lower edge (days past) it reaches.
BUCKET_EDGES = (("over_90", 91), ("61_90", 61), ("31_60", 31), ("1_30", 1))


def _vendor_sql():
    """Sorting as Python sorts strings (by code point), and a substring test, on either database."""
    if connection.vendor == "postgresql":
        return ' COLLATE "C"', "STRPOS({}, %s) > 0"
    return "", "INSTR({}, %s) > 0"


def _in(column: str, ids) -> tuple[str, list]:
    ids = sorted(ids)
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _day(value: date):
    return connection.ops.adapt_datefield_value(value)


@dataclass(frozen=True)
class Scope:
    organization_id: int
    house_ids: frozenset[int] | None  # None: every house of the organization
    on: date


def _open_charges_ctes(scope: Scope) -> tuple[str, list]:
    """CTEs ``positions`` (residents in credit: their credit and the house of their last entry) and ``open_charges``
    (resident, entry id, house, effective date, balance, open) as of ``scope.on``, allocated as the module docstring
    says. When scoped, only residents with an entry at one of the houses are read."""
    on = _day(scope.on)
    org = scope.organization_id
    posted_here, house_params = "", []
    if scope.house_ids is not None:
        houses_in, house_params = _in("house_id", scope.house_ids)
        posted_here = (
            f"AND e.resident_id IN (SELECT resident_id FROM {ENTRIES} WHERE organization_id = %s AND {houses_in})"  # noqa: S608
        )
        house_params = [org, *house_params]
    sql = f"""
    unsettled AS (
        SELECT e.resident_id, ROUND(SUM(e.amount), 2) AS balance FROM {ENTRIES} e
        WHERE e.organization_id = %s AND e.effective_on <= %s {posted_here}
        GROUP BY e.resident_id HAVING ROUND(SUM(e.amount), 2) <> 0
    ),
    reversed AS (
        SELECT reverses_id AS id FROM {ENTRIES}
        WHERE organization_id = %s AND reverses_id IS NOT NULL AND effective_on <= %s
    ),
    linked AS (
        SELECT c.for_charge_id AS id, c.resident_id, -SUM(c.amount) AS linked
        FROM {ENTRIES} c LEFT JOIN reversed x ON x.id = c.id
        WHERE c.organization_id = %s AND c.for_charge_id IS NOT NULL AND c.amount < 0 AND c.reverses_id IS NULL
              AND x.id IS NULL AND c.effective_on <= %s
        GROUP BY c.for_charge_id, c.resident_id
    ),
    debits AS (
        SELECT e.id, e.resident_id, e.house_id, e.effective_on, u.balance, e.amount - COALESCE(l.linked, 0) AS rest
        FROM {ENTRIES} e
        JOIN unsettled u ON u.resident_id = e.resident_id AND u.balance > 0
        LEFT JOIN reversed x ON x.id = e.id
        LEFT JOIN linked l ON l.id = e.id AND l.resident_id = e.resident_id
        WHERE e.organization_id = %s AND e.effective_on <= %s AND e.amount > 0 AND e.reverses_id IS NULL
              AND x.id IS NULL AND COALESCE(l.linked, 0) < e.amount
    ),
    windows AS (
        SELECT id, resident_id, house_id, effective_on, balance, rest,
               balance - COALESCE(SUM(rest) OVER (
                   PARTITION BY resident_id ORDER BY effective_on DESC, id DESC
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
               ), 0) AS unpaid
        FROM debits
    ),
    positions AS (
        SELECT u.resident_id, u.balance, -u.balance AS credit,
               (SELECT e.house_id FROM {ENTRIES} e
                WHERE e.resident_id = u.resident_id AND e.organization_id = %s AND e.effective_on <= %s
                ORDER BY e.effective_on DESC, e.id DESC LIMIT 1) AS last_house_id
        FROM unsettled u WHERE u.balance < 0
    ),
    open_charges AS (
        SELECT resident_id, id, house_id, effective_on, balance,
               ROUND(CASE WHEN unpaid < rest THEN unpaid ELSE rest END, 2) AS open
        FROM windows
        WHERE ROUND(rest, 2) > 0 AND ROUND(unpaid, 2) > 0
    )"""  # noqa: S608
    return sql, [org, on, *house_params, org, on, org, on, org, on, org, on]


def _bucket_columns(on: date, source: str) -> tuple[str, list]:
    """``SUM(open)`` per aging bucket, as columns named ``b_<bucket>``, in ``BUCKETS`` order."""
    cases, params = [], []
    for name, days in BUCKET_EDGES:
        cases.append(f"WHEN {source}.effective_on <= %s THEN '{name}'")
        params.append(_day(on - timedelta(days=days)))
    bucket = f"CASE {' '.join(cases)} ELSE 'current' END"
    columns = [
        f"ROUND(SUM(CASE WHEN {bucket} = '{name}' THEN {source}.open ELSE 0 END), 2) AS b_{name}" for name in BUCKETS
    ]
    return ", ".join(columns), params * len(BUCKETS)


def _buckets(row_values) -> dict[str, Decimal]:
    return {name: cents(value or 0) for name, value in zip(BUCKETS, row_values, strict=True)}


# --- the aging totals ---------------------------------------------------------------------------------------------


def aging_totals(scope: Scope) -> dict:
    """``buckets``, ``residents_owing``, ``credit_balances`` and ``residents_in_credit`` of the aging report."""
    ctes, params = _open_charges_ctes(scope)
    in_scope, scope_params = ("1 = 1", []) if scope.house_ids is None else _in("oc.house_id", scope.house_ids)
    credit_in_scope, credit_params = (
        ("1 = 1", []) if scope.house_ids is None else _in("p.last_house_id", scope.house_ids)
    )
    bucket_sql, bucket_params = _bucket_columns(scope.on, "oc")
    sql = f"""
    WITH {ctes},
    credits AS (
        SELECT p.resident_id, p.credit FROM positions p WHERE {credit_in_scope}
    )
    SELECT {bucket_sql}, COUNT(DISTINCT oc.resident_id),
           (SELECT ROUND(SUM(credit), 2) FROM credits WHERE ROUND(credit, 2) > 0),
           (SELECT COUNT(*) FROM credits WHERE ROUND(credit, 2) > 0)
    FROM open_charges oc WHERE {in_scope}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *credit_params, *bucket_params, *scope_params])
        row = cursor.fetchone()
    return {
        "buckets": _buckets(row[: len(BUCKETS)]),
        "residents_owing": row[len(BUCKETS)],
        "credit_balances": cents(row[len(BUCKETS) + 1] or 0),
        "residents_in_credit": row[len(BUCKETS) + 2],
    }


# --- the delinquency list -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DelinquencyFilter:
    min_days: int = 1
    search: str = ""
    ordering: str = "-amount"
    bucket: str = ""  # only residents with something open in this bucket
    min_owed: Decimal | None = None  # only residents who owe at least this much
    over_alert: bool = False  # only residents who owe more than the alert amount of their oldest charge's house


def _display_name(alias: str) -> str:
    """``Resident.display_name`` in SQL."""
    first = f"CASE WHEN {alias}.preferred_name <> '' THEN {alias}.preferred_name ELSE {alias}.legal_first_name END"
    return f"TRIM({first} || ' ' || {alias}.legal_last_name)"


def _order_by(ordering: str, collate: str) -> str:
    descending = ordering.startswith("-")
    way = " DESC" if descending else ""
    name = _display_name("r") + collate
    keys = {
        # As the Python list sorted: (owed, name); (days overdue, owed); (last name, first name, id), lowercased.
        "amount": [f"o.owed{way}", f"{name}{way}"],
        "age": [f"o.oldest_on{'' if descending else ' DESC'}", f"o.owed{way}"],
        "name": [
            f"LOWER(r.legal_last_name){collate}{way}",
            f"LOWER(r.legal_first_name){collate}{way}",
            f"o.resident_id{way}",
        ],
    }[ordering.lstrip("-")]
    return ", ".join([*keys, "o.resident_id"])


def delinquency_sql(scope: Scope, rules: DelinquencyFilter) -> tuple[str, str, list]:
    """The SELECT of the delinquency rows (without ORDER BY) and its ORDER BY, with the parameters. Each row ends
    with the number of rows, so a page tells the total without a second query."""
    ctes, params = _open_charges_ctes(scope)
    in_scope, scope_params = ("1 = 1", []) if scope.house_ids is None else _in("oc.house_id", scope.house_ids)
    bucket_sql, bucket_params = _bucket_columns(scope.on, "s")
    collate, contains = _vendor_sql()
    where, where_params = ["1 = 1"], []
    if rules.search.strip():
        where.append(contains.format(f"LOWER({_display_name('r')})"))
        where_params.append(rules.search.strip().lower())
    if rules.bucket:
        where.append(f"o.b_{BUCKETS[BUCKETS.index(rules.bucket)]} > 0")
    if rules.min_owed is not None:
        where.append("o.owed >= CAST(%s AS NUMERIC)")  # SQLite binds a Decimal as text
        where_params.append(connection.ops.adapt_decimalfield_value(rules.min_owed, 14, 2))
    if rules.over_alert:
        where.append("o.owed > COALESCE(hp.owing_alert_above, CAST(%s AS NUMERIC))")
        where_params.append(connection.ops.adapt_decimalfield_value(DEFAULT_OWING_ALERT, 14, 2))
    sql = f"""
    WITH {ctes},
    scoped AS (
        SELECT oc.*,
               FIRST_VALUE(oc.house_id) OVER (
                   PARTITION BY oc.resident_id ORDER BY oc.effective_on, oc.id
               ) AS oldest_house
        FROM open_charges oc WHERE {in_scope}
    ),
    owing AS (
        SELECT s.resident_id, ROUND(SUM(s.open), 2) AS owed, MIN(s.effective_on) AS oldest_on,
               MIN(s.oldest_house) AS house_id, MIN(s.balance) AS balance, {bucket_sql}
        FROM scoped s GROUP BY s.resident_id
        HAVING MIN(s.effective_on) <= %s
    )
    SELECT o.resident_id, r.legal_first_name, r.legal_last_name, r.preferred_name, h.id, h.name,
           o.owed, o.balance, o.oldest_on, {", ".join(f"o.b_{name}" for name in BUCKETS)},
           COUNT(*) OVER () AS total_rows
    FROM owing o
    JOIN {RESIDENTS} r ON r.id = o.resident_id
    JOIN {HOUSES} h ON h.id = o.house_id
    LEFT JOIN {POLICIES} hp ON hp.house_id = o.house_id AND hp.organization_id = %s
    WHERE {" AND ".join(where)}
    """  # noqa: S608
    cutoff = _day(scope.on - timedelta(days=rules.min_days))
    all_params = [*params, *scope_params, *bucket_params, cutoff, scope.organization_id, *where_params]
    return sql, _order_by(rules.ordering, collate), all_params
