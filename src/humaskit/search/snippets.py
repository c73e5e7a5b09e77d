"""Snippets: the best window of about 30 words of a release's text, matched words between ``**``.

Made from the record on disk (the index stores no text), for the few releases shown.
"""

from __future__ import annotations

import re

from humaskit.archive.store import Archive
from humaskit.errors import HumasError
from humaskit.search.analysis import stem_word

HIGHLIGHT = "**"  # snippet markers around matched words (Markdown bold; the CLI prints bold)
SNIPPET_WORDS = 30

Form = tuple[str, ...]


def marks(forms: list[Form]) -> tuple[set[str], set[str]]:
    """Words to mark as they are, and stems to mark inside longer words."""
    plain = {word for form in forms for word in form}
    stems = {s for s in (stem_word(w) for w in plain) if len(s) >= 4}
    return plain, stems


def snippet(archive: Archive, release_id: str, marked: tuple[set[str], set[str]]) -> str:
    """The best window of about 30 words, matched words between ``**``."""
    try:
        release = archive.load(release_id).release
    except HumasError:
        return ""
    return best_window(release.texts(), marked)


def best_window(texts: list[str], marked: tuple[set[str], set[str]]) -> str:
    """Of a release's paragraphs, the window of about 30 words with the most marked words,
    those between ``**`` (any archive: the server keeps the texts in a column)."""
    plain, stems = marked
    best: tuple[int, list[str], int, int] | None = None
    for paragraph in texts:
        tokens = paragraph.split()
        flags = [matches(tok, plain, stems) for tok in tokens]
        for start in range(0, max(1, len(tokens) - SNIPPET_WORDS + 1), 5):
            score = sum(flags[start : start + SNIPPET_WORDS])
            if best is None or score > best[0]:
                best = (score, tokens, start, len(tokens))
        if not plain:
            break
    if best is None:
        return ""
    _, tokens, start, count = best
    window = tokens[start : start + SNIPPET_WORDS]
    shown = [
        f"{HIGHLIGHT}{tok}{HIGHLIGHT}" if matches(tok, plain, stems) else tok for tok in window
    ]
    text = " ".join(shown)
    if start > 0:
        text = "… " + text
    if start + SNIPPET_WORDS < count:
        text += " …"
    return text


def matches(token: str, plain: set[str], stems: set[str]) -> bool:
    word = re.sub(r"^\W+|\W+$", "", token).lower()
    if not word:
        return False
    if word in plain:
        return True
    # Prefixes change a root's first letter (terap -> menerapkan): look for the rest of it,
    # then confirm with the stemmer, which only runs on these few candidates.
    return any(stem[1:] in word and stem_word(word) == stem for stem in stems)
