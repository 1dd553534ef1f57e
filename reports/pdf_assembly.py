"""Joins an organization report's parts (``reports.pdf.render_part``) into the one PDF the operator downloads.

The parts are read one at a time and their objects written straight to the output under new numbers, so memory
holds one part, never the whole report. What one WeasyPrint run would have made across the parts is remade here:

- page numbers: "Page N of TOTAL" on every page, drawn by WeasyPrint on otherwise blank pages of the same size and
  margins (same font and place as a single run), laid on each page as a form XObject marked as a pagination
  artifact;
- bookmarks: each part's outline, the later parts' top-level entries nested under the first part's last top-level
  entry (the organization's name, the cover's heading), as in one run;
- tagging (PDF/UA): each part's structure tree becomes a Part element of one Document, its parent tree keys moved
  past the previous parts'; the first part's language, metadata (XMP), viewer preferences and document information
  are the document's.

Lost in the join: the named destinations WeasyPrint writes for element ids (the report links to none).
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

NUMBER_STYLE = 'font: 8pt "DejaVu Sans", sans-serif; color: #57606a;'
PAGE_MARGINS = "size: letter; margin: 22mm 18mm 20mm;"


def page_numbers_pdf(*, first: int, count: int, total: int) -> bytes:
    """``count`` blank pages that print only "Page N of TOTAL", N from ``first``, as the report's footer does."""
    from weasyprint import HTML

    css = (
        f'@page {{ {PAGE_MARGINS} @bottom-center {{ content: "Page " counter(page) " of {total}"; {NUMBER_STYLE} }} }}'
        f"@page :first {{ counter-reset: page {first} }}"
    )
    pages = '<div style="break-before: page"></div>' * count
    return HTML(string=f"<html><head><style>{css}</style></head><body>{pages}</body></html>").write_pdf()


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


@dataclass
class _Outline:
    title: TextStringObject
    destination: ArrayObject
    open: bool
    children: list["_Outline"] = field(default_factory=list)


class _Output:
    """A PDF written object by object: numbers are handed out first, each object written once, the cross-reference
    table at the end."""

    def __init__(self, stream: BinaryIO, version: str):
        self.stream = stream
        self.offsets: list[int | None] = [None]
        stream.write(version.encode("ascii") + b"\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets) - 1

    def write(self, number: int, obj) -> None:
        self.offsets[number] = self.stream.tell()
        self.stream.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.stream)
        self.stream.write(b"\nendobj\n")

    def add(self, obj) -> "_Ref":
        number = self.reserve()
        self.write(number, obj)
        return _Ref(number)

    def close(self, trailer: DictionaryObject) -> None:
        start = self.stream.tell()
        self.stream.write(f"xref\n0 {len(self.offsets)}\n".encode())
        self.stream.write(b"0000000000 65535 f \n")
        for offset in self.offsets[1:]:
            if offset is None:  # reserved, never written: a free entry
                self.stream.write(b"0000000000 00000 f \n")
            else:
                self.stream.write(f"{offset:010d} 00000 n \n".encode())
        trailer[NameObject("/Size")] = NumberObject(len(self.offsets))
        self.stream.write(b"trailer\n")
        trailer.write_to_stream(self.stream)
        self.stream.write(f"\nstartxref\n{start}\n%%EOF\n".encode())


class _Ref(IndirectObject):
    """A reference to an object of the output (not of a source PDF)."""

    def __init__(self, number: int):
        super().__init__(number, 0, None)


class _Copier:
    """Copies objects of one source PDF into the output, renumbered; ``fixed`` maps source numbers to objects of the
    output written elsewhere (the source's own page tree or structure root). Source objects are left as they are:
    a copy is written."""

    def __init__(self, output: _Output, fixed: dict[int, int], key_offset: int = 0):
        self.output = output
        self.numbers = dict(fixed)
        self.pending: dict[int, IndirectObject] = {}
        self.key_offset = key_offset

    def number(self, reference: IndirectObject) -> int:
        if reference.idnum not in self.numbers:
            self.numbers[reference.idnum] = self.output.reserve()
            self.pending[self.numbers[reference.idnum]] = reference
        return self.numbers[reference.idnum]

    def claim(self, reference: IndirectObject) -> int:
        """The number of an object the caller writes itself (changed)."""
        number = self.number(reference)
        self.pending.pop(number, None)
        return number

    def renumber(self, value):
        if isinstance(value, _Ref):
            return value
        if isinstance(value, IndirectObject):
            return _Ref(self.number(value))
        if isinstance(value, DictionaryObject):
            if isinstance(value, StreamObject):  # its data is copied as it is (still encoded)
                copy = EncodedStreamObject() if "/Filter" in value else DecodedStreamObject()
                copy._data = value._data
            else:
                copy = DictionaryObject()
            for key, item in value.items():
                if key in ("/StructParent", "/StructParents"):
                    copy[key] = NumberObject(int(item) + self.key_offset)
                else:
                    copy[key] = self.renumber(item)
            return copy
        if isinstance(value, ArrayObject):
            return ArrayObject(self.renumber(item) for item in value)
        return value

    def write(self, number: int, obj) -> None:
        self.output.write(number, self.renumber(obj))

    def drain(self) -> None:
        while self.pending:
            number, reference = self.pending.popitem()
            obj = reference.get_object()
            self.write(number, NullObject() if obj is None else obj)


def _outline(item: DictionaryObject, copier: _Copier) -> Iterable[_Outline]:
    while item is not None:
        item = item.get_object()
        destination = item.get("/Dest")
        if destination is None and "/A" in item:
            destination = item["/A"].get_object().get("/D")
        entry = _Outline(
            title=TextStringObject(item.get("/Title", "")),
            destination=copier.renumber(ArrayObject(destination.get_object())),
            open=int(item.get("/Count", 0)) >= 0,
            children=list(_outline(item.get("/First"), copier)) if "/First" in item else [],
        )
        yield entry
        item = item.get("/Next")


def _write_outline(output: _Output, entries: list[_Outline], parent: int) -> tuple[int, int, int]:
    """Writes the entries under ``parent``; returns the first and last entries' numbers and the visible count."""
    numbers = [output.reserve() for _entry in entries]
    visible = len(entries)
    for index, (entry, number) in enumerate(zip(entries, numbers, strict=True)):
        item = DictionaryObject(
            {
                NameObject("/Title"): entry.title,
                NameObject("/Parent"): _Ref(parent),
                NameObject("/Dest"): entry.destination,
            }
        )
        if index > 0:
            item[NameObject("/Prev")] = _Ref(numbers[index - 1])
        if index < len(entries) - 1:
            item[NameObject("/Next")] = _Ref(numbers[index + 1])
        if entry.children:
            first, last, count = _write_outline(output, entry.children, number)
            item[NameObject("/First")] = _Ref(first)
            item[NameObject("/Last")] = _Ref(last)
            item[NameObject("/Count")] = NumberObject(count if entry.open else -count)
            if entry.open:
                visible += count
        output.write(number, item)
    return numbers[0], numbers[-1], visible


def assemble(
    parts: list[Path],
    stream: BinaryIO,
    *,
    numbers: Callable[..., bytes] = page_numbers_pdf,
    on_part_done: Callable[[int, int], None] | None = None,
) -> int:
    """Writes the parts, in order, as one numbered, tagged PDF to ``stream``; returns its page count."""
    counts = [page_count(path) for path in parts]
    total = sum(counts)
    head = PdfReader(parts[0])
    output = _Output(stream, head.pdf_header)
    catalog, page_tree, structure_root, document, parent_tree, outlines = (output.reserve() for _n in range(6))
    # Shared by every page: save the graphics state around the page's own content, then draw its number.
    save = output.add(DecodedStreamObject.initialize_from_dictionary({"__streamdata__": b"q\n"}))
    kids, part_elements, nums, outline = [], [], [], []
    document_extras = {}
    key_offset, first_page = 0, 1
    for index, (path, count) in enumerate(zip(parts, counts, strict=True)):
        reader = head if index == 0 else PdfReader(path)
        root = reader.trailer["/Root"]
        fixed = {reader.trailer.raw_get("/Root").idnum: catalog, root.raw_get("/Pages").idnum: page_tree}
        tree = root.get("/StructTreeRoot")
        if tree is not None:
            fixed[tree.idnum] = structure_root
        copier = _Copier(output, fixed, key_offset=key_offset)
        numbering = PdfReader(io.BytesIO(numbers(first=first_page, count=count, total=total)))
        numbering_copier = _Copier(output, {})
        shared = {}
        for page, number_page in zip(reader.pages, numbering.pages, strict=True):
            form = number_page["/Contents"].get_object()
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject(FloatObject(v) for v in number_page.mediabox),
                    NameObject("/Resources"): number_page["/Resources"],
                }
            )
            form_reference = output.reserve()
            numbering_copier.write(form_reference, form)
            # Pages sharing a resources dictionary keep sharing one copy (a copy per page made files ten times
            # larger), each page's number under a name of its own.
            source = page.raw_get("/Resources")
            key = source.idnum if isinstance(source, IndirectObject) else None
            if key is None or key not in shared:
                resources = DictionaryObject(source.get_object())
                xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
                resources[NameObject("/XObject")] = xobjects
                entry = (output.reserve(), resources, xobjects)
                if key is not None:
                    shared[key] = entry
            resources_number, resources, xobjects = shared[key] if key is not None else entry
            name = NameObject(f"/HearthPageNumber{len(kids)}")
            xobjects[name] = _Ref(form_reference)
            page[NameObject("/Resources")] = _Ref(resources_number)
            if key is None:
                copier.write(resources_number, resources)
            draw_number = output.add(
                DecodedStreamObject.initialize_from_dictionary(
                    {"__streamdata__": b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq " + name.encode()
                     + b" Do Q\nEMC\n"}
                )
            )  # fmt: skip
            contents = page.raw_get("/Contents")
            if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
                contents = contents.get_object()
            own = list(contents) if isinstance(contents, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([save, *own, draw_number])
            page_number = copier.claim(page.indirect_reference)
            kids.append(page_number)
            copier.write(page_number, page)
            copier.drain()
            numbering_copier.drain()
        for resources_number, resources, _xobjects in shared.values():
            copier.write(resources_number, resources)
        copier.drain()
        if tree is not None:
            tree = tree.get_object()
            elements = tree.raw_get("/K") if "/K" in tree else ArrayObject()
            if isinstance(elements, IndirectObject) and isinstance(elements.get_object(), ArrayObject):
                elements = elements.get_object()
            for element in elements if isinstance(elements, ArrayObject) else [elements]:
                element_object = element.get_object()
                element_object[NameObject("/S")] = NameObject("/Part")
                element_object[NameObject("/P")] = _Ref(document)
                part_elements.append(copier.number(element))
            pairs = tree["/ParentTree"].get_object()["/Nums"]
            top = -1
            for position in range(0, len(pairs), 2):
                key, value = int(pairs[position]), pairs[position + 1]
                top = max(top, key)
                if isinstance(value, IndirectObject):
                    nums.append((key + key_offset, copier.number(value)))
                else:
                    nums.append((key + key_offset, output.add(copier.renumber(value)).idnum))
            key_offset += top + 1
            if index == 0:
                for name in ("/RoleMap", "/ClassMap"):
                    if name in tree:
                        document_extras[NameObject(name)] = copier.renumber(tree.raw_get(name))
        copier.drain()
        part_outline = (
            list(_outline(root["/Outlines"].get_object().get("/First"), copier)) if "/Outlines" in root else []
        )
        copier.drain()
        if index == 0 or not outline:
            outline.extend(part_outline)
        else:
            outline[-1].children.extend(part_outline)  # under the cover's heading, as in one run
        if index == 0:
            catalog_extras = {
                NameObject(key): copier.renumber(root.raw_get(key))
                for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents", "/PageMode")
                if key in root
            }
            info = copier.renumber(reader.trailer.raw_get("/Info")) if "/Info" in reader.trailer else None
            identifier = reader.trailer.get("/ID")
            copier.drain()
        first_page += count
        if on_part_done:
            on_part_done(index + 1, len(parts))
        head = reader = numbering = copier = numbering_copier = None  # one part in memory at a time

    output.write(page_tree, DictionaryObject({
        NameObject("/Type"): NameObject("/Pages"),
        NameObject("/Kids"): ArrayObject(_Ref(kid) for kid in kids),
        NameObject("/Count"): NumberObject(len(kids)),
    }))  # fmt: skip
    output.write(parent_tree, DictionaryObject({NameObject("/Nums"): ArrayObject(
        item for key, value in sorted(nums) for item in (NumberObject(key), _Ref(value))
    )}))  # fmt: skip
    output.write(document, DictionaryObject({
        NameObject("/Type"): NameObject("/StructElem"),
        NameObject("/S"): NameObject("/Document"),
        NameObject("/P"): _Ref(structure_root),
        NameObject("/K"): ArrayObject(_Ref(part) for part in part_elements),
    }))  # fmt: skip
    output.write(structure_root, DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"),
        NameObject("/K"): ArrayObject([_Ref(document)]),
        NameObject("/ParentTree"): _Ref(parent_tree),
        NameObject("/ParentTreeNextKey"): NumberObject(key_offset),
        **document_extras,
    }))  # fmt: skip
    outline_root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    if outline:
        first, last, visible = _write_outline(output, outline, outlines)
        outline_root.update({
            NameObject("/First"): _Ref(first),
            NameObject("/Last"): _Ref(last),
            NameObject("/Count"): NumberObject(visible),
        })  # fmt: skip
    output.write(outlines, outline_root)
    output.write(catalog, DictionaryObject({
        NameObject("/Type"): NameObject("/Catalog"),
        NameObject("/Pages"): _Ref(page_tree),
        NameObject("/StructTreeRoot"): _Ref(structure_root),
        NameObject("/Outlines"): _Ref(outlines),
        **catalog_extras,
    }))  # fmt: skip
    trailer = DictionaryObject({NameObject("/Root"): _Ref(catalog)})
    if info is not None:
        trailer[NameObject("/Info")] = info if isinstance(info, IndirectObject) else output.add(info)
    if identifier is not None:
        trailer[NameObject("/ID")] = identifier
    output.close(trailer)
    return total


__all__ = ["StreamObject", "assemble", "page_count", "page_numbers_pdf"]
