"""The index copy's building blocks (humaskit.search.postcache): the formats must read back exactly
what was written, for any input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from humaskit.search import postcache
from humaskit.search.indexview import _follow

docnums = st.lists(st.integers(min_value=0, max_value=5000), unique=True).map(sorted)
words = st.text(alphabet="abcdeéñ-1", min_size=1, max_size=8)


@given(docnums)
def test_bitmaps_give_back_the_document_numbers(ids: list[int]) -> None:
    bits = int.from_bytes(postcache.bitmap_of(ids, 5001), "little")
    assert postcache.members(bits) == ids
    assert bits.bit_count() == len(ids)


@settings(max_examples=50)
@given(st.dictionaries(words, words, max_size=60), st.lists(words, max_size=10))
def test_stems_table_finds_every_word_and_only_those(
    tmp_path_factory, table: dict[str, str], others: list[str]
) -> None:
    folder: Path = tmp_path_factory.mktemp("stems")
    postcache._write_stems(folder / postcache.STEMS, table)
    opened = postcache.open_stems(folder)
    assert opened is not None
    assert opened.to_dict() == table
    for word in [*table, *others]:
        assert opened.get(word) == table.get(word)


def test_a_damaged_stems_table_is_not_used(tmp_path: Path) -> None:
    postcache._write_stems(tmp_path / postcache.STEMS, {"menerapkan": "terap"})
    data = (tmp_path / postcache.STEMS).read_bytes()
    (tmp_path / postcache.STEMS).write_bytes(data[:-3])
    assert postcache.open_stems(tmp_path) is None
    assert postcache.load_stems(tmp_path) == {}


def test_phrases_follow_word_positions_as_whoosh_keeps_them() -> None:
    text = "Petugas menggelar layanan paspor jemput bola di kantor kecamatan."
    assert _follow(text, ("jemput", "bola"))
    assert _follow(text, ("paspor", "jemput", "bola"))
    assert not _follow(text, ("bola", "jemput"))
    # A stop word keeps its place: "kunjungan ke lapas" is not "kunjungan lapas".
    assert not _follow("Kunjungan ke Lapas Martapura", ("kunjungan", "lapas"))
    assert _follow("Sehari-hari warga binaan", ("sehari-hari", "warga"))
