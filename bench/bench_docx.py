"""Word rendering against body length: the cost per paragraph must stay flat.

python-docx looks a style up by scanning the styles part (~1 ms) and appends a paragraph by
searching the body for its section mark, so writing a long body paragraph by paragraph was
quadratic (100,000 paragraphs: 234 s). ``document/docx.py`` looks each style up once and
inserts the running text before the signature; ``compose`` keeps the text seen so far as a
list. Records are capped at 1,000 body paragraphs (docs/record.md); the larger sizes show
the cost stays linear beyond the cap.

    .venv/bin/python bench/bench_docx.py                 # 1,000 / 10,000 / 100,000
    .venv/bin/python bench/bench_docx.py 1000 20000
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import yaml

from humaskit.document.compose import compose
from humaskit.document.docx import render_docx
from humaskit.record.model import parse_release

SEED = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed.yaml"


def measure(paragraphs: int) -> tuple[float, float]:
    release = parse_release(yaml.safe_load(SEED.read_text("utf-8")))
    body = [
        f"Paragraf {i}: kegiatan pembinaan warga binaan berjalan tertib." for i in range(paragraphs)
    ]
    release = dataclasses.replace(release, body=body)
    start = time.perf_counter()
    document = compose(release)
    render_docx(document, None, {})
    seconds = time.perf_counter() - start
    return seconds, seconds / paragraphs * 1000


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(f"{'paragraphs':>10}  {'seconds':>8}  {'ms/paragraph':>12}")
    for size in sizes:
        seconds, per = measure(size)
        print(f"{size:>10}  {seconds:>8.2f}  {per:>12.3f}")


if __name__ == "__main__":
    main()
