"""Minimal reproduction: writing a tagged (PDF/UA) document with WeasyPrint slows down faster than its page count.

pydyf's ``PDF.page_references`` builds a new tuple of every page reference on each read; WeasyPrint's tagging
(``weasyprint/pdf/tags.py``) reads it once per tagged element, so writing N pages of M elements each costs
O(N x M x N). This script lays out N-page documents (a heading and a small table per page), then writes each one
with ``pdf_variant="pdf/ua-1"`` twice: with the released property and with the cached one from ``fix.patch``.
Both writes must give the same bytes.

    python repro.py 50 100 200 400
    python repro.py --reads-only 100 200 400   # the property alone: 102 reads per page, as in the report
"""

import sys
import time

import pydyf
from weasyprint import HTML

ROWS = 30  # about 110 reads of page_references per page, as in a report of tables


def html(pages: int) -> str:
    rows = "".join(f"<tr><th>Row {i}</th><td>{i}</td><td>{i * 3}</td></tr>" for i in range(ROWS))
    body = "".join(
        f'<section style="break-before: page"><h2>Part {p}</h2><p>Text of part {p}.</p><table>{rows}</table></section>'
        for p in range(pages)
    )
    return f'<html lang="en"><head><title>Repro</title></head><body><h1>Repro</h1>{body}</body></html>'


RELEASED = pydyf.PDF.page_references
reads = 0
inside = 0.0


def counting(prop):
    """The property, counting its reads and the time spent in them."""

    def fget(self):
        global reads, inside
        reads += 1
        start = time.perf_counter()
        try:
            return prop.fget(self)
        finally:
            inside += time.perf_counter() - start

    return property(fget)


def cached(self):
    """The fix (as in fix.patch): computed once, again only when pages were added."""
    kids = self.pages["Kids"]
    if getattr(self, "_page_references_count", None) != len(kids):
        self._page_references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        self._page_references_count = len(kids)
    return self._page_references


def write(document, prop) -> tuple[float, bytes, int, float]:
    global reads, inside
    reads, inside = 0, 0.0
    pydyf.PDF.page_references = counting(prop)
    start = time.perf_counter()
    # A fixed identifier and no creation date, so the two writes can be compared byte for byte.
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"repro", custom_metadata=False)
    return time.perf_counter() - start, data, reads, inside


def main(sizes: list[int]) -> None:
    print("write_pdf(pdf_variant='pdf/ua-1') of a laid-out document; 'in property': time spent reading page_references")
    print(f"{'pages':>6} {'reads':>8} {'released':>9} {'in property':>12} {'fixed':>8} {'in property':>12}  same bytes")
    for pages in sizes:
        document = HTML(string=html(pages)).render()
        before, old, count, old_inside = write(document, RELEASED)
        after, new, _count, new_inside = write(document, property(cached))
        pydyf.PDF.page_references = RELEASED
        print(
            f"{len(document.pages):>6} {count:>8} {before:>8.2f}s {old_inside:>11.2f}s {after:>7.2f}s "
            f"{new_inside:>11.3f}s  {old == new}"
        )


def reads_only(sizes: list[int], per_page: int = 102) -> None:
    """The cost of the reads alone, without WeasyPrint: ``per_page`` reads per page of an N-page pydyf.PDF."""
    for pages in sizes:
        document = pydyf.PDF()
        for _page in range(pages):
            document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        times = []
        for prop in (RELEASED, property(cached)):
            pydyf.PDF.page_references = prop
            start = time.process_time()
            for read in range(pages * per_page):
                document.page_references[read % pages]
            times.append(time.process_time() - start)
        pydyf.PDF.page_references = RELEASED
        released, fixed = times
        print(f"{pages:>6} pages {pages * per_page:>8} reads: released {released:8.2f} s CPU, fixed {fixed:6.3f} s CPU")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--reads-only"]:
        reads_only([int(arg) for arg in arguments[1:]] or [100, 200, 400])
    else:
        main([int(arg) for arg in arguments] or [50, 100, 200, 400])
