"""The issue's scale targets, each figure of a benchmark result judged against them, and the result as a table.

A result (bench/suite.py writes one per size) holds ``pages`` (bench/measure.py's rows), ``nightly`` (jobs),
``pdf`` and ``load`` (locust, per endpoint). ``judge`` adds a ``misses`` list to every row: empty when the figure
meets its targets, otherwise one short sentence per target missed. ``errors`` lists what fails even a smoke run.
"""

# Every operator page and API: within this many times its own time at the smallest size, and of the floor.
OPERATOR_GROWTH = 1.5
OPERATOR_FLOOR_RATIO = 5.0
RESPONSE_BYTES = 200 * 1000
LOAD_P95_MS = 300
NIGHTLY_FIRST_S = 60
NIGHTLY_REPEAT_S = 5
# A repeat's queries may not grow with the organization: this many times the smallest size's at most.
NIGHTLY_QUERY_GROWTH = 2.0
PDF_SECONDS = 300
PDF_PROCESS_MB = 1024
# The PDF/UA fix: a 300-house PDF in under 20 seconds.
PDF_300_SECONDS = 20
# Signing in hashes a password on purpose (slow by design): judged on errors only.
SIGN_IN = {"login", "login form"}


def _ok_status(status) -> bool:
    return status is not None and 200 <= status < 400


def judge(result: dict, *, baseline: dict | None = None, timed: bool = True) -> dict:
    """Marks every figure of ``result`` against the targets; ``baseline`` is the smallest size's result of the same
    run (operator growth and query growth are measured against it). Untimed (a smoke run), only errors are marked."""
    base_pages = {_page_key(row): row for row in (baseline or {}).get("pages", [])} if baseline else {}
    base_jobs = {row["job"]: row for row in (baseline or {}).get("nightly", [])} if baseline else {}
    for row in result.get("pages", []):
        misses = []
        if not _ok_status(row.get("status")):
            misses.append(f"status {row.get('status')}")
        if timed and row.get("bytes") is not None and row["bytes"] >= RESPONSE_BYTES:
            misses.append(f"{row['bytes'] / 1000:.0f} kB >= {RESPONSE_BYTES / 1000:.0f} kB")
        base = base_pages.get(_page_key(row))
        if base is not None and base is not row and base.get("median_ms") and row.get("median_ms"):
            row["growth"] = round(row["median_ms"] / base["median_ms"], 2)
        if timed and row["role"] == "operator" and row["name"] != "me":
            if row.get("ratio") is not None and row["ratio"] > OPERATOR_FLOOR_RATIO:
                misses.append(f"{row['ratio']:.1f}x floor > {OPERATOR_FLOOR_RATIO:g}x")
            if row.get("growth") is not None and row["growth"] > OPERATOR_GROWTH:
                misses.append(f"{row['growth']:.1f}x its {baseline['size']}-house time > {OPERATOR_GROWTH:g}x")
        row["misses"] = misses
    for row in result.get("nightly", []):
        misses = []
        for run in ("first", "repeat"):
            if row[run].get("error"):
                misses.append(f"{run} run failed: {row[run]['error']}")
        if timed:
            if row["first"]["seconds"] >= NIGHTLY_FIRST_S:
                misses.append(f"first {row['first']['seconds']:.1f} s >= {NIGHTLY_FIRST_S} s")
            if row["repeat"]["seconds"] >= NIGHTLY_REPEAT_S:
                misses.append(f"repeat {row['repeat']['seconds']:.1f} s >= {NIGHTLY_REPEAT_S} s")
            base = base_jobs.get(row["job"])
            if base is not None and base is not row and base["repeat"]["queries"]:
                growth = row["repeat"]["queries"] / base["repeat"]["queries"]
                if growth > NIGHTLY_QUERY_GROWTH:
                    misses.append(
                        f"repeat queries {row['repeat']['queries']} = {growth:.0f}x the {baseline['size']}-house "
                        f"{base['repeat']['queries']}"
                    )
        row["misses"] = misses
    pdf = result.get("pdf")
    if pdf:
        misses = []
        if pdf.get("status") != "done":
            misses.append(f"report {pdf.get('status')}: {pdf.get('error') or ''}".strip())
        if timed:
            if pdf.get("seconds") is not None and pdf["seconds"] >= PDF_SECONDS:
                misses.append(f"{pdf['seconds']:.0f} s >= {PDF_SECONDS} s")
            if result.get("size") == 300 and pdf.get("seconds") is not None and pdf["seconds"] >= PDF_300_SECONDS:
                misses.append(f"300 houses: {pdf['seconds']:.1f} s >= {PDF_300_SECONDS} s")
            if pdf.get("peak_rss_mb") is not None and pdf["peak_rss_mb"] >= PDF_PROCESS_MB:
                misses.append(f"a process peaked at {pdf['peak_rss_mb']:.0f} MB >= {PDF_PROCESS_MB} MB")
        pdf["misses"] = misses
    load = result.get("load")
    if load:
        for row in load.get("endpoints", []):
            misses = []
            if row.get("failures"):
                misses.append(f"{row['failures']} errors")
            slow = row.get("p95_ms") is not None and row["p95_ms"] >= LOAD_P95_MS
            if timed and slow and row["name"] not in SIGN_IN:
                misses.append(f"p95 {row['p95_ms']:.0f} ms >= {LOAD_P95_MS} ms")
            row["misses"] = misses
        if load.get("error"):
            load["misses"] = [load["error"]]
    return result


def _page_key(row: dict) -> tuple:
    return (row["role"], row["name"], row["kind"])


def misses(result: dict) -> list[str]:
    """Every figure marked missed, as "<where>: <why>"."""
    found = []
    for row in result.get("pages", []):
        found += [f"{row['role']} {row['name']} {row['kind']}: {miss}" for miss in row.get("misses", [])]
    for row in result.get("nightly", []):
        found += [f"nightly {row['job']}: {miss}" for miss in row.get("misses", [])]
    if result.get("pdf"):
        found += [f"PDF: {miss}" for miss in result["pdf"].get("misses", [])]
    if result.get("load"):
        found += [f"load: {miss}" for miss in result["load"].get("misses", [])]
        for row in result["load"].get("endpoints", []):
            found += [f"load {row['name']}: {miss}" for miss in row.get("misses", [])]
    return found


def errors(result: dict) -> list[str]:
    """What fails even an untimed run: a page answering outside 2xx/3xx, a job raising, a report failing, a load
    test error."""
    found = list(result.get("errors", []))
    for row in result.get("pages", []):
        if not _ok_status(row.get("status")):
            where = f"{row['role']} {row['name']} {row['kind']} {row['path']}"
            found.append(f"{where}: status {row.get('status')} {row.get('error') or ''}".strip())
    for row in result.get("nightly", []):
        found += [
            f"nightly {row['job']} {run}: {row[run]['error']}" for run in ("first", "repeat") if row[run]["error"]
        ]
    pdf = result.get("pdf")
    # not finished: a step error, listed already; not run: left out by --pdf-sizes (a miss, not an error)
    if pdf and pdf.get("status") not in ("done", "not finished", "not run"):
        found.append(f"PDF: {pdf.get('status')} {pdf.get('error') or ''}".strip())
    load = result.get("load")
    if load:
        if load.get("error"):
            found.append(f"load: {load['error']}")
        found += [
            f"load {row['name']}: {row['failures']} errors" for row in load.get("endpoints", []) if row.get("failures")
        ]
    return found


def _cell(value, spec: str = "") -> str:
    if value is None:
        return "-"
    return format(value, spec)


def _miss(row: dict) -> str:
    return "MISS: " + "; ".join(row["misses"]) if row.get("misses") else "ok"


def render(result: dict) -> str:
    """One size's result as Markdown tables (readable as plain text too)."""
    lines = [f"### {result['size']:,} houses ({result.get('date', '')})", ""]
    conditions = result.get("conditions")
    if conditions:
        lines += [", ".join(f"{key} {value}" for key, value in conditions.items()), ""]
    if result.get("pages"):
        lines += [
            "| role | endpoint | kind | median ms | x floor | x smallest | queries | kB | status | target |",
            "|---|---|---|--:|--:|--:|--:|--:|--:|---|",
        ]
        for row in result["pages"]:
            lines.append(
                f"| {row['role']} | {row['name']} | {row['kind']} | {_cell(row.get('median_ms'), '.1f')} "
                f"| {_cell(row.get('ratio'), '.2f')} | {_cell(row.get('growth'), '.2f')} | {row.get('queries')} "
                f"| {_cell(row.get('bytes') and row['bytes'] / 1000, '.1f')} | {row.get('status')} | {_miss(row)} |"
            )
        lines.append("")
    if result.get("nightly"):
        lines += [
            "| nightly job | first s | first queries | repeat s | repeat queries | target |",
            "|---|--:|--:|--:|--:|---|",
        ]
        for row in result["nightly"]:
            lines.append(
                f"| {row['job']} | {row['first']['seconds']:.2f} | {row['first']['queries']} "
                f"| {row['repeat']['seconds']:.2f} | {row['repeat']['queries']} | {_miss(row)} |"
            )
        lines.append("")
    pdf = result.get("pdf")
    if pdf:
        lines += [
            "| organization PDF | seconds | pages | peak MB (largest process) | target |",
            "|---|--:|--:|--:|---|",
        ]
        lines.append(
            f"| {pdf.get('status')} | {_cell(pdf.get('seconds'), '.1f')} | {_cell(pdf.get('pages'))} "
            f"| {_cell(pdf.get('peak_rss_mb'), '.0f')} | {_miss(pdf)} |"
        )
        lines.append("")
    load = result.get("load")
    if load:
        summary = (
            f"Load: {load.get('users')} users for {load.get('seconds')} s, {_cell(load.get('rps'), '.1f')} requests/s "
            f"in all, {load.get('requests')} requests, {load.get('failures')} errors"
        )
        sign_ins = load.get("sign_ins")
        if sign_ins:
            summary += (
                f" (counted once all {sign_ins['users']} had signed in through the login form, after "
                f"{sign_ins['all_signed_in_after_s']} s; the slowest sign-in {sign_ins['slowest_ms'] / 1000:.1f} s)"
            )
        lines += [
            summary + (f"; {load['error']}" if load.get("error") else ""),
            "",
            "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | target |",
            "|---|--:|--:|--:|--:|--:|--:|---|",
        ]
        for row in load.get("endpoints", []):
            percentiles = " | ".join(_cell(row.get(key), ".0f") for key in ("p50_ms", "p95_ms", "p99_ms"))
            lines.append(
                f"| {row['name']} | {row['requests']} | {_cell(row.get('rps'), '.2f')} | {percentiles} "
                f"| {row.get('failures')} | {_miss(row)} |"
            )
        lines.append("")
    if result.get("errors"):
        lines += ["Steps that failed: " + "; ".join(result["errors"]), ""]
    missed = misses(result)
    lines.append(f"Targets missed at {result['size']:,} houses: {len(missed)}" if missed else "Every target met.")
    lines.append("")
    return "\n".join(lines)
