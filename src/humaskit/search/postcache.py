"""A read-only copy of what a search needs from the index, in files Python reads at C speed.

Whoosh keeps postings in blocks of 128, each a compressed pickle decoded in Python: ~1 µs a
posting, so a word found in most of 100,000 releases costs ~100 ms before any scoring; and
importing Whoosh's reader costs about as much as all of ``humaskit --help``. Beside each Whoosh
segment this module keeps ``humaskit-<segment id>.postings``:

- every term of the searched fields with its statistics (documents, highest weight, shortest
  field), its document numbers and weights as raw arrays and, for a term in at least one
  document in ``BITMAP_SHARE``, a bitmap of those documents;
- each field's length code per document (one byte, as Whoosh keeps them);
- each document's stored id, title, date and unit.

and for the whole index ``humaskit-snapshot``: the Whoosh generation these files describe, its
segments in order with their deleted documents, the document counts and the total field
lengths (what BM25F needs). ``humaskit-stems`` remembers the Sastrawi stem of every word of
the archive and of the synonym list, so most searches never load Sastrawi.

It is derived data of derived data. Whoosh never changes a segment once written (deletions are
kept apart, in the snapshot here), so a file named after its segment cannot go stale; the files
are written atomically after each commit (``sync``), the snapshot last. A search uses them only
when the snapshot's generation is the index's newest and every file is there and whole
(:func:`open_snapshot`); anything else means the search reads Whoosh, as it would without
this module. ``sync`` also removes the files of segments that merges have replaced.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import mmap
import re
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from humaskit.archive.fsio import atomic_file, atomic_write_bytes

VERSION = 5
MAGIC = b"HKPOST5" + (b"L" if sys.byteorder == "little" else b"B")
HEADER = struct.Struct("<8sQQQ")  # magic + byte order, documents, data size, directory size
PREFIX = "humaskit-"
SUFFIX = ".postings"
SNAPSHOT = "humaskit-snapshot"
STEMS = "humaskit-stems"
STEMS_MAGIC = b"HKSTEM1\n"
STEMS_HEADER = struct.Struct("<8sQQQ")  # magic, words, bytes of words, bytes of stems
TOC_PATTERN = re.compile(r"_MAIN_(\d+)\.toc$")
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
STORED = ("id", "title", "date", "unit")
PLAIN_FIELDS = ("title", "content", "unit_text")  # their words get remembered stems
STEM_MIN_DOCS = 3
STEM_WORDS = 20_000

Postings = tuple[list[int], list[float], list]


def path_for(index_dir: Path, segment_id: str) -> Path:
    return index_dir / f"{PREFIX}{segment_id}{SUFFIX}"


# --------------------------------------------------------------------------- reading Whoosh


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


def length_codes(leaves, name: str) -> bytes:  # type: ignore[no-untyped-def]
    """Field ``name``'s length code of every document of ``leaves`` (one byte each, as
    Whoosh keeps them).

    Reads a segment's whole length column at once; Whoosh's ``doc_field_length`` reads one
    seek at a time (~5 µs). Falls back to it where the column is not where Whoosh 2.7 keeps it.
    ``length_table`` turns a code into the length Whoosh's scorers see.
    """
    from whoosh.util.numeric import length_to_byte

    parts = bytearray()
    for leaf, offset in leaves:
        count = leaf.doc_count_all()
        parts.extend(bytes(offset - len(parts)))
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN

            column = leaf._perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
            if column is None:  # no lengths: Whoosh's default, 1 (byte_to_length(1) == 1)
                parts.extend(bytes([1]) * count)
                continue
            if column._fixedlen != 1:
                raise TypeError("not a byte column")
            size = min(column._count, count)
            parts.extend(column._dbfile.get(column._basepos, size))
            parts.extend(bytes(count - size))
        except (AttributeError, ImportError, TypeError):
            parts.extend(
                length_to_byte(leaf.doc_field_length(d, name, 1) or 0) for d in range(count)
            )
    return bytes(parts)


# --------------------------------------------------------------------------- writing


def length_table() -> list[int | None]:
    """Length code -> the field length Whoosh's scorers see (code 0: no length, None)."""
    from whoosh.util.numeric import byte_to_length

    return [None, *(byte_to_length(code) for code in range(1, 256))]


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
        for i, byte in enumerate(match.group(), match.start()):
            base = i << 3
            found.extend(base + b for b in _BITS[byte])
    return found


_BITS = [tuple(b for b in range(8) if value >> b & 1) for value in range(256)]


class _Writer:
    """Appends arrays to an open file, remembering where each went."""

    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        self.handle = handle
        self.length = 0

    def put(self, data: bytes) -> int:
        at = self.length
        self.handle.write(data)
        self.length += len(data)
        return at


def write(leaf, target: Path) -> None:  # type: ignore[no-untyped-def]
    """Write the postings file of one segment reader (its own document numbers, deletions
    kept) atomically, a term at a time: the lists of a large segment never sit in memory
    together.

    Layout: header; data (per term: document numbers uint32, weights float32, the bitmap if
    any; per field: the sorted terms as one UTF-8 blob, their start offsets, a uint64 table
    of (data offset, count, bitmap?, shortest field) and float64 (highest, total) weights,
    the length codes; the stored fields as marshalled tuples with their offsets); then the
    directory (marshal) saying where each of those is.
    """
    documents = leaf.doc_count_all()
    directory: dict[str, Any] = {"fields": {}, "lengths": {}}
    with atomic_file(target) as handle:
        handle.write(bytes(HEADER.size))  # filled in at the end
        out = _Writer(handle)
        for name in FIELDS:
            if name not in leaf.schema:
                continue
            blob = bytearray()
            starts = array("Q", [0])
            table = array("Q")
            best = array("d")
            open_postings = _postings_opener(leaf, name)
            for text, info in leaf.iter_field(name):  # sorted by their UTF-8 bytes
                raw = text if isinstance(text, bytes) else leaf._text_to_bytes(name, text)
                ids, weights, _ = read_postings(open_postings(raw, info), values=False)
                bitmap = len(ids) * BITMAP_SHARE >= documents
                at = out.put(array("I", ids).tobytes())
                out.put(array("f", weights).tobytes())
                if bitmap:
                    out.put(bitmap_of(ids, documents))
                blob += raw
                starts.append(len(blob))
                table.extend((at, len(ids), bitmap, int(info.min_length())))
                best.extend((float(info.max_weight()), float(info.weight())))
            directory["fields"][name] = (
                out.put(bytes(blob)),
                out.put(starts.tobytes()),
                out.put(table.tobytes()),
                out.put(best.tobytes()),
                len(starts) - 1,
            )
            directory["lengths"][name] = out.put(length_codes([(leaf, 0)], name))
        offsets = array("Q", [0])
        records = bytearray()
        for docnum in range(documents):
            fields = leaf._perdoc.stored_fields(docnum)
            records += marshal.dumps(tuple(str(fields.get(key, "")) for key in STORED))
            offsets.append(len(records))
        directory["stored"] = (out.put(offsets.tobytes()), out.put(bytes(records)))
        table_bytes = marshal.dumps(directory)
        handle.write(table_bytes)
        handle.seek(0)
        handle.write(HEADER.pack(MAGIC, documents, out.length, len(table_bytes)))


def _postings_opener(leaf, name: str):  # type: ignore[no-untyped-def]
    """``open(term bytes, term info) -> matcher`` for one field of a segment: straight from
    the term info ``iter_field`` gives (Whoosh's ``matcher`` looks each term up again, ~50 µs,
    which for the million word pairs of a large archive is most of the work)."""
    format_ = leaf.schema[name].format
    terms = leaf._terms
    codec, postfile = getattr(terms, "_codec", None), getattr(terms, "_postfile", None)
    if codec is None or postfile is None or not hasattr(codec, "postings_reader"):
        return lambda raw, info: terms.matcher(name, raw, format_)
    return lambda raw, info: codec.postings_reader(postfile, info, format_, term=(name, raw))


def sync(index_dir: Path) -> None:
    """Bring the copy up to date with the index: a postings file for every segment that
    lacks one, the stems of new words, then the snapshot; drop files of merged segments."""
    from whoosh.filedb.filestore import FileStorage

    ix = FileStorage(str(index_dir), supports_mmap=False).open_index()
    generation = ix.latest_generation()
    with ix.reader() as reader:
        leaves = _segments(reader)
        wanted = {SNAPSHOT, STEMS}
        for leaf, _ in leaves:
            target = path_for(index_dir, leaf._segid)
            wanted.add(target.name)
            if _open_segment(target, leaf.doc_count_all()) is None:  # missing or stale
                write(leaf, target)
        _sync_stems(index_dir, leaves)
        snapshot = {
            "version": VERSION,
            "generation": generation,
            "toc": _toc_stamp(index_dir, generation),
            "segments": [
                (leaf._segid, leaf.doc_count_all(), sorted(leaf.deleted_docs_set))
                for leaf, _ in leaves
            ],
            "doc_count": reader.doc_count(),
            "doc_count_all": reader.doc_count_all(),
            "field_length": {n: reader.field_length(n) for n in FIELDS if n in reader.schema},
            "length_table": length_table(),
        }
    atomic_write_bytes(index_dir / SNAPSHOT, marshal.dumps(snapshot))
    for old in index_dir.glob(f"{PREFIX}*{SUFFIX}"):
        if old.name not in wanted:
            with contextlib.suppress(OSError):
                old.unlink()


def _sync_stems(index_dir: Path, leaves) -> None:  # type: ignore[no-untyped-def]
    """Remember the stems of the synonym list's words, of the archive's ``STEM_WORDS`` most
    common words (in at least ``STEM_MIN_DOCS`` releases), and of the archive's words this
    process stemmed anyway while indexing them (a new release's words, however rare).

    Sastrawi takes ~0.5 ms a word it has not seen: stemming every rare word of a large
    archive would add minutes to its rebuild, while a search for a rare word only pays the
    ~25 ms of loading Sastrawi.
    """
    from humaskit.search import analysis
    from humaskit.search.engine import _packaged_synonyms

    stems = load_stems(index_dir)
    known = analysis.known_stems()
    words = {w for form in _packaged_synonyms() for w in form}
    counts: dict[str, int] = {}
    for leaf, _ in leaves:
        for name in PLAIN_FIELDS:
            if name not in leaf.schema:
                continue
            for text, info in leaf.iter_field(name):
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                if word in stems:
                    continue
                if word in known:
                    words.add(word)
                else:
                    counts[word] = counts.get(word, 0) + info.doc_frequency()
    common = [w for w, n in counts.items() if n >= STEM_MIN_DOCS]
    if len(common) > STEM_WORDS:
        common = heapq.nlargest(STEM_WORDS, common, key=counts.__getitem__)
    words.update(common)
    new = {w: analysis.stem_word(w) for w in words if w not in stems}
    if new:
        stems.update(new)
        _write_stems(index_dir / STEMS, stems)


def _write_stems(path: Path, table: dict[str, str]) -> None:
    """Words in byte order, their stems, and where each starts: looked up in place."""
    words, stems = bytearray(), bytearray()
    word_starts, stem_starts = array("Q", [0]), array("Q", [0])
    for word, stem in sorted((w.encode("utf-8"), s.encode("utf-8")) for w, s in table.items()):
        words += word
        word_starts.append(len(words))
        stems += stem
        stem_starts.append(len(stems))
    header = STEMS_HEADER.pack(STEMS_MAGIC, len(table), len(words), len(stems))
    atomic_write_bytes(path, header + words + word_starts.tobytes() + stems + stem_starts.tobytes())


def _item(blob: memoryview, starts: memoryview, i: int) -> bytes:
    """Item ``i`` of sorted byte strings stored as one blob and their start offsets."""
    return bytes(blob[starts[i] : starts[i + 1]])


def _lower_bound(blob: memoryview, starts: memoryview, count: int, key: bytes) -> int:
    """The first item not below ``key``, by binary search: nothing else is read."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if _item(blob, starts, mid) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _find(blob: memoryview, starts: memoryview, count: int, key: bytes) -> int | None:
    """The row of ``key`` among the items, or None."""
    row = _lower_bound(blob, starts, count, key)
    return row if row < count and _item(blob, starts, row) == key else None


class StemTable:
    """``humaskit-stems`` opened in place: a word's stem by binary search, nothing loaded."""

    def __init__(self, data: mmap.mmap) -> None:
        magic, count, words_size, stems_size = STEMS_HEADER.unpack_from(data, 0)
        at = STEMS_HEADER.size
        ends = at + words_size + 8 * (count + 1) + stems_size + 8 * (count + 1)
        if magic != STEMS_MAGIC or len(data) != ends:
            raise ValueError("not a stems table")
        view = memoryview(data)
        self._data = data
        self._count = count
        self._words = view[at : at + words_size]
        at += words_size
        self._word_starts = view[at : at + 8 * (count + 1)].cast("Q")
        at += 8 * (count + 1)
        self._stems = view[at : at + stems_size]
        at += stems_size
        self._stem_starts = view[at : at + 8 * (count + 1)].cast("Q")

    def _word(self, i: int) -> bytes:
        return _item(self._words, self._word_starts, i)

    def _stem(self, i: int) -> str:
        return _item(self._stems, self._stem_starts, i).decode()

    def get(self, word: str) -> str | None:
        row = _find(self._words, self._word_starts, self._count, word.encode("utf-8"))
        return None if row is None else self._stem(row)

    def to_dict(self) -> dict[str, str]:
        return {self._word(i).decode("utf-8"): self._stem(i) for i in range(self._count)}


def open_stems(index_dir: Path) -> StemTable | None:
    try:
        with open(index_dir / STEMS, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return StemTable(data)
    except (OSError, ValueError, struct.error, TypeError):
        return None


def load_stems(index_dir: Path) -> dict[str, str]:
    table = open_stems(index_dir)
    return {} if table is None else table.to_dict()


def missing(index_dir: Path) -> list[Path]:
    """The files of the copy that are missing, damaged or out of date (``doctor`` reports
    them): segments' postings files, and the snapshot when it describes another generation."""
    from whoosh.filedb.filestore import FileStorage

    ix = FileStorage(str(index_dir), supports_mmap=False).open_index()
    with ix.reader() as reader:
        found = [
            path_for(index_dir, leaf._segid)
            for leaf, _ in _segments(reader)
            if load(index_dir, leaf._segid, leaf.doc_count_all()) is None
        ]
    if open_snapshot(index_dir) is None:
        found.append(index_dir / SNAPSHOT)
    return found


def _segments(reader):  # type: ignore[no-untyped-def]
    """The segment readers of an index reader (none for an empty index)."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if hasattr(leaf, "_segid")]


# --------------------------------------------------------------------------- reading


class SegmentPostings:
    """One segment's postings file, opened for reading."""

    def __init__(self, data: mmap.mmap, directory: dict, documents: int) -> None:
        self._data = data
        self._view = memoryview(data)
        self._documents = documents
        self._directory = directory
        self._fields: dict[str, tuple] = {}
        self._lengths: dict[str, bytes] = {}
        self.documents = documents

    def _at(self, offset: int) -> int:
        return HEADER.size + offset

    def _field(self, name: str) -> tuple | None:
        found = self._fields.get(name)
        if found is None:
            entry = self._directory["fields"].get(name)
            if entry is None:
                return None
            blob, starts, table, best, count = entry
            view = self._view
            found = self._fields[name] = (
                view[self._at(blob) : self._at(starts)],
                view[self._at(starts) : self._at(starts) + 8 * (count + 1)].cast("Q"),
                view[self._at(table) : self._at(table) + 32 * count].cast("Q"),
                view[self._at(best) : self._at(best) + 16 * count].cast("d"),
                count,
            )
        return found

    def find(self, name: str, text: str) -> tuple[tuple, int] | None:
        """The field's tables and the term's row in them, or None."""
        field = self._field(name)
        if field is None:
            return None
        blob, starts, _, _, count = field
        row = _find(blob, starts, count, text.encode("utf-8"))
        return None if row is None else (field, row)

    def stats(self, name: str, text: str) -> tuple[int, float, int] | None:
        """Documents with the term, its highest weight, its shortest field; None if absent."""
        found = self.find(name, text)
        if found is None:
            return None
        (_, _, table, best, _), row = found
        return table[4 * row + 1], best[2 * row], table[4 * row + 3]

    def frequencies(self, name: str, prefix: str) -> dict[str, float]:
        """Every term of the field that starts with ``prefix``, with its total weight
        (Whoosh's ``frequency``)."""
        field = self._field(name)
        if field is None:
            return {}
        blob, starts, _, best, count = field
        key = prefix.encode("utf-8")
        found: dict[str, float] = {}
        for row in range(_lower_bound(blob, starts, count, key), count):
            term = _item(blob, starts, row)
            if not term.startswith(key):
                break
            found[term.decode("utf-8")] = best[2 * row + 1]
        return found

    def get(self, name: str, text: str) -> tuple[list[int], list[float]] | None:
        """The term's document numbers and weights, or None when the segment lacks it."""
        found = self.find(name, text)
        if found is None:
            return None
        (_, _, table, _, _), row = found
        start, count = self._at(table[4 * row]), table[4 * row + 1]
        ids = array("I")
        ids.frombytes(self._data[start : start + 4 * count])
        weights = array("f")
        weights.frombytes(self._data[start + 4 * count : start + 8 * count])
        return ids.tolist(), weights.tolist()

    def bits(self, name: str, text: str) -> int | None:
        """The documents with the term as the bits of an integer; 0 when the segment lacks
        it, None when it has no bitmap (then ``get`` gives its document numbers)."""
        found = self.find(name, text)
        if found is None:
            return 0
        (_, _, table, _, _), row = found
        if not table[4 * row + 2]:
            return None
        start = self._at(table[4 * row]) + 8 * table[4 * row + 1]
        return int.from_bytes(self._data[start : start + (self._documents + 7) // 8], "little")

    def lengths(self, name: str) -> bytes:
        found = self._lengths.get(name)
        if found is None:
            at = self._directory["lengths"].get(name)
            if at is None:
                found = bytes([1]) * self._documents
            else:
                found = self._data[self._at(at) : self._at(at) + self._documents]
            self._lengths[name] = found
        return found

    def stored(self, docnum: int) -> dict[str, str]:
        offsets_at, records_at = self._directory["stored"]
        start = self._at(offsets_at) + 8 * docnum
        begin, end = struct.unpack_from("<QQ", self._data, start)
        values = marshal.loads(
            self._data[self._at(records_at) + begin : self._at(records_at) + end]
        )
        return dict(zip(STORED, values, strict=True))


def load(index_dir: Path, segment_id: str, doc_count: int) -> SegmentPostings | None:
    """A segment's postings file, or None when it is missing or not one of ours."""
    return _open_segment(path_for(index_dir, segment_id), doc_count)


def _open_segment(path: Path, doc_count: int) -> SegmentPostings | None:
    """A segment's postings file, or None when it is missing or not one of ours."""
    try:
        with open(path, "rb") as handle:
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
    return SegmentPostings(data, directory, documents)


@dataclass
class Snapshot:
    """The index as the copy describes it: its segments, in Whoosh's order."""

    segments: list[SegmentPostings]
    offsets: list[int]
    deleted: list[frozenset[int]]
    doc_count: int
    doc_count_all: int
    field_length: dict[str, int]
    length_table: list[int | None]
    stems: StemTable | None


def latest_generation(index_dir: Path) -> int:
    """The newest table of contents of the index, as Whoosh picks it."""
    found = -1
    with contextlib.suppress(OSError):
        for path in index_dir.iterdir():
            match = TOC_PATTERN.match(path.name)
            if match:
                found = max(found, int(match.group(1)))
    return found


def _toc_stamp(index_dir: Path, generation: int) -> tuple[int, int]:
    """Size and time of the generation's table of contents: Whoosh writes it once."""
    stat = (index_dir / f"_MAIN_{generation}.toc").stat()
    return stat.st_size, stat.st_mtime_ns


def open_snapshot(index_dir: Path) -> Snapshot | None:
    """The copy of the index's newest generation, or None when there is none to trust."""
    try:
        raw = marshal.loads((index_dir / SNAPSHOT).read_bytes())
        generation = latest_generation(index_dir)
        if raw.get("version") != VERSION or raw["generation"] != generation:
            return None
        if raw["toc"] != _toc_stamp(index_dir, generation):  # rewritten or damaged since
            return None
        segments, offsets, deleted = [], [], []
        offset = 0
        for segment_id, count, gone in raw["segments"]:
            opened = _open_segment(path_for(index_dir, segment_id), count)
            if opened is None:
                return None
            segments.append(opened)
            offsets.append(offset)
            deleted.append(frozenset(gone))
            offset += count
        return Snapshot(
            segments=segments,
            offsets=offsets,
            deleted=deleted,
            doc_count=raw["doc_count"],
            doc_count_all=raw["doc_count_all"],
            field_length=raw["field_length"],
            length_table=raw["length_table"],
            stems=open_stems(index_dir),
        )
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None
