"""One rule for every cell Pilar writes to a CSV or XLSX file: text never runs as a formula.

Spreadsheet programs treat a cell that starts with = + - @ (or a tab or carriage return, which some strip
first) as a formula: a name typed as ``=HYPERLINK(...)`` would run on the office's computer (CSV injection,
OWASP). Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers written as
numbers, and text that is only a sign and digits (``+6281234``, ``-5``), cannot run and are left as they are.
"""

from typing import Any

FORMULA_PREFIXES = frozenset("=+-@\t\r\n")


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a spreadsheet cell; non-text values pass through."""
    if not isinstance(value, str) or value[:1] not in FORMULA_PREFIXES:
        return value
    if value[:1] in "+-" and value[1:].isdigit() and value[1:].isascii():
        return value
    return "'" + value


def safe_row(row: list[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in row]
