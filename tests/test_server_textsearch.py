"""The server's text search pieces as plain functions: documents, queries, corrections."""

from __future__ import annotations

import yaml

from conftest import SEED_RECORD
from humaskit.backends import has_password, is_server_uri, redact
from humaskit.backends.postgres import textsearch
from humaskit.record.model import parse_release


def seed():  # type: ignore[no-untyped-def]
    return parse_release(yaml.safe_load(SEED_RECORD.read_text("utf-8")), source="seed.yaml")


def test_a_word_and_its_stem_share_a_position_and_speakers_names_get_none() -> None:
    literal, kinds = textsearch.document_vector(seed())
    entries = dict(item.split("':", 1) for item in literal[1:].split(" '"))
    assert entries["menerapkan"] and entries["s:terap"]
    assert set(entries["menerapkan"].split(",")) <= set(entries["s:terap"].split(","))
    assert all(p.endswith("A") for p in entries["penguatan"].split(",")[:1])  # in the title
    names = [p for p in entries["fani"].split(",") if p.endswith("B")]
    assert names and "fani" in kinds["n"]
    assert not set(names) & set(entries["s:fani"].split(","))  # the name itself: no stem
    assert "terap" in kinds["s"] and "yang" not in entries  # stop words are left out


def test_a_query_becomes_concepts_phrases_and_a_minimum_share() -> None:
    synonyms = textsearch.load_synonyms(None)
    query = textsearch.from_text('lapas "warga binaan" menjahit', synonyms)
    assert query.phrases == [("warga", "binaan")]
    assert [c[0] for c in query.concepts] == [("lapas",), ("menjahit",)]
    assert ("lembaga", "pemasyarakatan") in query.concepts[0]
    translation = textsearch.translate(query, names=set())
    assert translation.narrow is not None
    assert "'warga' <-> 'binaan'" in translation.narrow
    assert "'s:jahit'" in translation.narrow
    # A synonym's words anywhere in the release, as the folder archive matches it (only a
    # quoted phrase needs PostgreSQL to recheck positions) ...
    assert "('lembaga' & 'pemasyarakatan')" in translation.narrow
    assert "('s:lembaga' & 's:masyarakat')" in translation.narrow
    assert "<-> 'pemasyarakatan'" not in translation.narrow
    # ... while a quoted alternative of an OR stays a phrase.
    either = textsearch.from_text('"jemput bola" OR paspor', synonyms)
    assert either.quoted == {("jemput", "bola")}
    assert either.reading() == '("jemput bola" OR paspor OR passport)'
    narrow = textsearch.translate(either, names=set()).narrow
    assert narrow is not None and "('jemput' <-> 'bola')" in narrow and " & " not in narrow
    assert translation.refine == []  # both concepts needed: the index query says so itself
    three = textsearch.translate(
        textsearch.from_text("pembinaan warga menjahit", synonyms), names=set()
    )
    assert three.narrow is not None and three.narrow.count(" & ") == 3  # any two of three
    assert three.refine == []


def test_nearest_word_within_one_or_two_edits() -> None:
    assert textsearch.nearest("kehumasn", ["kehumasan", "kemanusiaan"]) == "kehumasan"
    assert textsearch.nearest("apel", ["anel", "apem"]) == "anel"
    assert textsearch.nearest("vaksin", ["vaksinasi"]) is None  # three edits away
    assert textsearch.nearest("vaksinsi", ["vaksinasi"]) == "vaksinasi"


def test_uris_are_told_apart_and_passwords_kept_out_of_messages() -> None:
    assert is_server_uri("postgresql://lapas_bjm@db/humas")
    assert is_server_uri("postgres://db/humas")
    assert not is_server_uri("/srv/arsip") and not is_server_uri(None)
    assert has_password("postgresql://u:rahasia@db/humas")
    assert has_password("postgresql://u@db/humas?password=rahasia")
    assert not has_password("postgresql://u@db/humas?sslmode=require")
    assert redact("postgresql://u:rahasia@db:5432/humas?password=x&sslmode=require") == (
        "postgresql://u@db:5432/humas?sslmode=require"
    )
