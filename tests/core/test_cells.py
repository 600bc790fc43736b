"""One escaping rule for every spreadsheet cell Pilar writes."""

import pytest

from pilar.core.cells import safe_cell, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "\n=1", '=HYPERLINK("x")'])
def test_text_that_could_run_as_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["+6281234567890", "-5", "Budi", "", "3671015806580012", 12, None, 1.5])
def test_data_that_cannot_run_is_left_alone(value):
    assert safe_cell(value) == value


def test_sign_followed_by_non_ascii_digits_is_still_quoted():
    assert safe_cell("+١٢٣") == "'+١٢٣"


def test_a_row_is_escaped_cell_by_cell():
    assert safe_row(["=x", 3, "y"]) == ["'=x", 3, "y"]
