"""A compact copy of the index's long posting lists, so a search reads them at C speed.

Whoosh keeps postings in blocks of 128, each a compressed pickle decoded in Python: ~1 µs a
posting, so a word found in most of 100,000 releases costs ~100 ms before any scoring. Beside
each Whoosh segment this module keeps ``humaskit-<segment id>.postings``: for every term with
at least ``MIN_POSTINGS`` postings, its document numbers and weights as raw arrays, which
``array.frombytes`` reads in a fraction of a millisecond.

It is derived data of derived data. Whoosh never changes a segment once written (deletions
are kept apart, and a search filters them out as before), so a file named after its segment
can never be out of date. Files are written atomically after each commit (``sync``); a
missing, foreign or damaged one only means that segment's postings are read from Whoosh, as
they would be without this module. ``sync`` also removes the files of segments that merges
have replaced.
"""

from __future__ import annotations

import bisect
import contextlib
import marshal
import mmap
import re
import struct
import sys
from array import array
from pathlib import Path

from humaskit.fsio import atomic_file

MAGIC = b"HKPOST3" + (b"L" if sys.byteorder == "little" else b"B")
HEADER = struct.Struct("<8sQQQ")  # magic + byte order, documents, data size, directory size
PREFIX = "humaskit-"
SUFFIX = ".postings"
# Shorter lists fit in one Whoosh block or two: reading them there costs little.
MIN_POSTINGS = 128
# A term in at least one document in this many also gets a bitmap: sets of documents are
# combined as integers then ("in at least 3 of these 4 word groups" in microseconds).
BITMAP_SHARE = 32
FIELDS = (
    "title",
    "title_stem",
    "title_pairs",
    "content",
    "content_stem",
    "content_pairs",
    "speakers",
    "unit_text",
    "unit_pairs",
    "tags",
)

Postings = tuple[list[int], list[float], list]


def path_for(index_dir: Path, segment_id: str) -> Path:
    return index_dir / f"{PREFIX}{segment_id}{SUFFIX}"


def read_postings(matcher, values: bool = True) -> Postings:  # type: ignore[no-untyped-def]
    """Every posting of a fresh Whoosh matcher, a block (up to 128 postings) at a time.

    ``values=False`` leaves the encoded positions out (the third list stays empty).
    """
    ids: list[int] = []
    weights: list[float] = []
    found: list = []
    if not hasattr(matcher, "_read_ids"):  # not a whoosh3 block matcher
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                found.append(matcher.value())
            matcher.next()
        return ids, weights, found
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if values:
            matcher._read_values()
            found.extend(matcher._values)
        matcher._next_block()
    return ids, weights, found


def bitmap_of(ids: list[int], size: int) -> bytes:
    """Bit ``d`` set for each ``d`` in ``ids`` (little-endian: ``int.from_bytes`` reads it)."""
    bitmap = bytearray((size + 7) // 8)
    for docnum in ids:
        bitmap[docnum >> 3] |= 1 << (docnum & 7)
    return bytes(bitmap)


def members(bits: int) -> list[int]:
    """The positions of the set bits of ``bits``, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    found: list[int] = []
    for match in re.finditer(rb"[^\x00]+", data):
        start = match.start()
        for i, byte in enumerate(match.group(), start):
            base = i << 3
            found.extend(base + b for b in _BITS[byte])
    return found


_BITS = [tuple(b for b in range(8) if value >> b & 1) for value in range(256)]


def write(leaf, target: Path) -> None:  # type: ignore[no-untyped-def]
    """Write the postings file of one segment reader (its own document numbers, deletions
    kept) atomically, a term at a time: the lists of a large segment never sit in memory
    together.

    Layout: header, then each term's document numbers (uint32) and weights (float32) and,
    for a term in at least one document in ``BITMAP_SHARE``, a bitmap of the documents
    that have it; then the directory: per field, its terms in sorted order joined by NUL
    and an array of (offset, count, bitmap?) triples, so opening the file splits one string
    per field it needs.
    """
    directory: dict[str, tuple[str, bytes]] = {}
    documents = leaf.doc_count_all()
    with atomic_file(target) as handle:
        handle.write(bytes(HEADER.size))  # filled in at the end
        length = 0
        for name in FIELDS:
            if name not in leaf.schema:
                continue
            names: list[str] = []
            places = array("Q")
            for text, info in leaf.iter_field(name):  # in sorted order
                if info.doc_frequency() < MIN_POSTINGS:
                    continue
                raw = text if isinstance(text, bytes) else leaf._text_to_bytes(name, text)
                matcher = leaf._terms.matcher(name, raw, leaf.schema[name].format)
                ids, weights, _ = read_postings(matcher, values=False)
                names.append(raw.decode("utf-8"))
                bitmap = len(ids) * BITMAP_SHARE >= documents
                places.extend((length, len(ids), bitmap))
                handle.write(array("I", ids).tobytes())
                handle.write(array("f", weights).tobytes())
                length += 8 * len(ids)
                if bitmap:
                    handle.write(bitmap_of(ids, documents))
                    length += (documents + 7) // 8
            if names:
                directory[name] = ("\0".join(names), places.tobytes())
        table = marshal.dumps(directory)
        handle.write(table)
        handle.seek(0)
        handle.write(HEADER.pack(MAGIC, documents, length, len(table)))


def sync(index_dir: Path) -> None:
    """Write the postings file of every segment of the index that lacks one; drop stale ones."""
    from whoosh.filedb.filestore import FileStorage

    ix = FileStorage(str(index_dir), supports_mmap=False).open_index()
    with ix.reader() as reader:
        wanted = set()
        for leaf, _ in _segments(reader):
            target = path_for(index_dir, leaf._segid)
            wanted.add(target.name)
            if load(index_dir, leaf._segid, leaf.doc_count_all()) is None:  # missing or stale
                write(leaf, target)
    for old in index_dir.glob(f"{PREFIX}*{SUFFIX}"):
        if old.name not in wanted:
            with contextlib.suppress(OSError):
                old.unlink()


def missing(index_dir: Path) -> list[str]:
    """Segment ids of the index without their postings file (``doctor`` reports them)."""
    from whoosh.filedb.filestore import FileStorage

    ix = FileStorage(str(index_dir), supports_mmap=False).open_index()
    with ix.reader() as reader:
        return [
            leaf._segid
            for leaf, _ in _segments(reader)
            if load(index_dir, leaf._segid, leaf.doc_count_all()) is None
        ]


def _segments(reader):  # type: ignore[no-untyped-def]
    """The segment readers of an index reader (none for an empty index)."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if hasattr(leaf, "_segid")]


class SegmentPostings:
    """One segment's postings file, opened for reading."""

    def __init__(self, data: mmap.mmap, start: int, directory: dict, documents: int) -> None:
        self._data = data
        self._documents = documents
        self._start = start
        self._directory = directory
        self._fields: dict[str, tuple[list[str], array]] = {}

    def _field(self, name: str) -> tuple[list[str], array] | None:
        found = self._fields.get(name)
        if found is None:
            entry = self._directory.get(name)
            if entry is None:
                return None
            blob, raw = entry
            places = array("Q")
            places.frombytes(raw)
            found = self._fields[name] = (blob.split("\0"), places)
        return found

    def _place(self, name: str, text: str) -> tuple[int, int, int] | None:
        field = self._field(name)
        if field is None:
            return None
        names, places = field
        i = bisect.bisect_left(names, text)
        if i == len(names) or names[i] != text:
            return None
        return places[3 * i], places[3 * i + 1], places[3 * i + 2]

    def bits(self, name: str, text: str) -> int | None:
        """The documents with the term as the bits of an integer, or None without a bitmap."""
        place = self._place(name, text)
        if place is None or not place[2]:
            return None
        start = self._start + place[0] + 8 * place[1]
        return int.from_bytes(self._data[start : start + (self._documents + 7) // 8], "little")

    def get(self, name: str, text: str) -> tuple[list[int], list[float]] | None:
        """The term's document numbers and weights, or None when the file does not keep it."""
        place = self._place(name, text)
        if place is None:
            return None
        offset, count, _ = place
        start = self._start + offset
        ids = array("I")
        ids.frombytes(self._data[start : start + 4 * count])
        weights = array("f")
        weights.frombytes(self._data[start + 4 * count : start + 8 * count])
        return ids.tolist(), weights.tolist()


def load(index_dir: Path, segment_id: str, doc_count: int) -> SegmentPostings | None:
    """The segment's postings file, or None when it is missing or not one of ours."""
    try:
        with open(path_for(index_dir, segment_id), "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses size 0)
        return None
    try:
        magic, documents, length, size = HEADER.unpack_from(data, 0)
        if magic != MAGIC or documents != doc_count or len(data) != HEADER.size + length + size:
            return None
        directory = marshal.loads(data[HEADER.size + length :])
        if not isinstance(directory, dict):
            return None
    except (struct.error, ValueError, EOFError, TypeError):
        return None
    return SegmentPostings(data, HEADER.size, directory, documents)
