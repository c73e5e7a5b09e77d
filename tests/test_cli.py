"""The command layer itself: options every command shares."""

from __future__ import annotations


def test_debug_option_shows_the_traceback_of_a_failure(cli) -> None:  # type: ignore[no-untyped-def]
    """--debug is read from the parsed option, so it works under the test runner too."""
    plain = cli("show", "2025-01-01-tidak-ada")
    assert plain.exit_code == 1
    assert "Traceback" not in plain.stderr

    debug = cli("--debug", "show", "2025-01-01-tidak-ada")
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert "NotFoundError" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1].startswith("humaskit: ")
