"""The relevance suite of tests/test_relevance.py on the shared archive: the same releases, the
same queries, and the same recall@10 and MRR as the folder archive gives."""

from __future__ import annotations

from pathlib import Path

from test_relevance import QUERIES, write_records


def measure(cli, archive: str | Path, paths: dict) -> tuple[float, float, list]:  # type: ignore[no-untyped-def]
    saved = cli("--archive", archive, "new", *paths.values(), "--json")
    assert saved.exit_code == 0, saved.stderr
    key_of = {entry["id"]: key for entry, key in zip(saved.json(), paths, strict=True)}
    recalls, reciprocal_ranks, rankings = [], [], []
    for query, options, relevant in QUERIES:
        result = cli("--archive", archive, "search", query, *options, "--json")
        assert result.exit_code == 0, (query, result.stderr)
        ranked = [key_of[hit["id"]] for hit in result.json()]
        rankings.append((query, options, ranked[:5]))
        found = relevant & set(ranked[:10])
        recalls.append(len(found) / len(relevant))
        rank = next((n for n, key in enumerate(ranked, start=1) if key in relevant), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
    return sum(recalls) / len(recalls), sum(reciprocal_ranks) / len(reciprocal_ranks), rankings


def test_relevance_is_the_same_on_the_server(cli, workdir: Path, pg_database: str) -> None:
    assert cli("server", "init", pg_database).exit_code == 0
    paths = write_records(workdir)
    folder = measure(cli, workdir / "folder-archive", paths)
    server = measure(cli, pg_database, paths)
    print(f"\nfolder: recall@10 = {folder[0]:.3f}, MRR = {folder[1]:.3f}")
    print(f"server: recall@10 = {server[0]:.3f}, MRR = {server[1]:.3f}")
    differ = [(f, s) for f, s in zip(folder[2], server[2], strict=True) if f != s]
    for f, s in differ:
        print("  folder:", f, "\n  server:", s)
    assert round(server[0], 3) == round(folder[0], 3), differ
    assert round(server[1], 3) == round(folder[1], 3), differ
