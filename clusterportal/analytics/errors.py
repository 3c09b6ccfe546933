"""The one error type the engine raises for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """An input file (or table) cannot be used as it is.

    `source` names the file the user gave (or the Arrow table's role), `row` is the
    row as a spreadsheet shows it (the header is row 1, the first data row is row 2;
    None where the problem is not one row, e.g. an absent reference region), and
    `reason` says what is wrong in words a user can act on.
    """

    def __init__(self, source: str, row: int | None, reason: str) -> None:
        self.source = source
        self.row = row
        self.reason = cut(reason, MAX_REASON)
        where = source if row is None else f"{source}, row {row}"
        super().__init__(f"{where}: {self.reason}")


# A reason quotes values from the file: a header of a million columns once made an
# error line of 8.9 MB. Longer reasons are cut in the middle.
MAX_REASON = 500


def cut(text: str, limit: int) -> str:
    """`text`, or its start and end around "… (N characters left out) …"."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]} … ({len(text) - 2 * keep:,} characters left out) … {text[-keep:]}"
