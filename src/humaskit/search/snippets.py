"""Snippets: the best window of about 30 words of a release's text, matched words between ``**``.

Made from the paragraphs the index stores with each release, for the few releases shown.
"""

from __future__ import annotations

import re

from humaskit.search.analysis import stem_indexed, stem_word, words

HIGHLIGHT = "**"  # snippet markers around matched words (Markdown bold; the CLI prints bold)
SNIPPET_WORDS = 30

Form = tuple[str, ...]

_EDGES = re.compile(r"^\W+|\W+$")


def token_word(token: str) -> str:
    """A text token as the snippet compares it: lower case, without the punctuation around."""
    return _EDGES.sub("", token).lower()


def marks(forms: list[Form]) -> tuple[set[str], set[str]]:
    """Words to mark as they are, and stems to mark inside longer words."""
    plain = {word for form in forms for word in form}
    stems = {s for s in (stem_word(w) for w in plain) if len(s) >= 4}
    return plain, stems


def snippet(
    paragraphs: list[str],
    marked: tuple[set[str], set[str]],
    table: dict[str, str] | None = None,
) -> str:
    """The best window of about 30 words of ``paragraphs``, matched words between ``**``
    (``table``: the index's stem table, see ``index.read_stem_table``)."""
    plain, stems = marked
    best: tuple[int, list[str], int, int] | None = None
    for paragraph in paragraphs:
        tokens = paragraph.split()
        flags = [matches(tok, plain, stems, table) for tok in tokens]
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
        f"{HIGHLIGHT}{tok}{HIGHLIGHT}" if matches(tok, plain, stems, table) else tok
        for tok in window
    ]
    text = " ".join(shown)
    if start > 0:
        text = "… " + text
    if start + SNIPPET_WORDS < count:
        text += " …"
    return text


def matches(
    token: str, plain: set[str], stems: set[str], table: dict[str, str] | None = None
) -> bool:
    word = token_word(token)
    if not word:
        return False
    if word in plain:
        return True
    # Prefixes change a root's first letter (terap -> menerapkan): look for the rest of it,
    # then confirm with the stem, looked up only for these few candidates. The words of a
    # stored text are in the index, so their stems come from its stem table without loading
    # Sastrawi. A token such as "remisi/PB" is looked at word by word; a stop word is never
    # a match.
    for stem in stems:
        if stem[1:] in word and any(stem_indexed(w, table) == stem for w in words(word)):
            return True
    return False
