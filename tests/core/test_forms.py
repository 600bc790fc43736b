from pilar.core.forms import form_arguments


def test_form_fields_are_the_services_keywords_unless_renamed():
    cleaned = {"kk_number": "household-7", "on": "2026-12-01", "reason": "pindah"}
    assert form_arguments(cleaned) == cleaned
    assert form_arguments(cleaned, {"kk_number": "household"}) == {
        "household": "household-7",
        "on": "2026-12-01",
        "reason": "pindah",
    }
