"""A fix to pydyf applied here until upstream ships it (docs/upstream/pydyf-page-references/).

``pydyf.PDF.page_references`` builds a new tuple of every page's reference each time it is read, and WeasyPrint's
PDF/UA tagging (``weasyprint/pdf/tags.py``) and anchors read it once per tagged element: the write step of an N-page
report costs O(elements x N). The patched property keeps the tuple and rebuilds it only when the page list changed
length (``add_page`` appends to ``Kids``), so each read is O(1). The PDF written is byte for byte the same.
"""

from importlib.metadata import PackageNotFoundError, version

# The releases with the rebuilding property; a later release is assumed to carry the fix and is left alone.
AFFECTED = ("0.10.0", "0.11.0", "0.12.0", "0.12.1", "0.13.0")


def _cached_page_references(self):
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_hearth_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_hearth_page_references"] = cached
    return cached[1]


def _installed() -> str | None:
    try:
        return version("pydyf")
    except PackageNotFoundError:
        return None


def apply() -> bool:
    """Patches ``pydyf.PDF.page_references`` when the installed pydyf is one of the affected releases; True when
    the patch is (now) active. Safe to call many times."""
    import pydyf

    if is_active():
        return True
    if _installed() not in AFFECTED:
        return False
    pydyf.PDF.page_references = property(_cached_page_references)
    return True


def is_active() -> bool:
    import pydyf

    prop = getattr(pydyf.PDF, "page_references", None)
    return isinstance(prop, property) and prop.fget is _cached_page_references
