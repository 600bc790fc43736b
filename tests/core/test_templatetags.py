"""The core template tags that draw shared shapes: {% wrap %} around a page's markup, {% thead %}'s figures."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load tables wrap %}" + source).render(Context(context))


def test_wrap_gives_the_partial_its_body_and_values():
    html = render(
        '{% wrap "core/_table.html" rows=rows caption="Daftar" %}<tbody><tr><td>{{ rows.0 }}</td></tr></tbody>'
        "{% endwrap %}",
        rows=["a"],
    )
    assert '<caption class="visually-hidden">Daftar</caption>' in html
    assert "<tbody><tr><td>a</td></tr></tbody>" in html and html.count("<table") == 1


def test_wrap_draws_the_empty_sentence_instead_of_an_empty_table():
    html = render('{% wrap "core/_table.html" rows=rows empty="Belum ada." %}<tbody></tbody>{% endwrap %}', rows=[])
    assert "<table" not in html and '<p class="empty">Belum ada.</p>' in html


def test_wrap_values_do_not_outlive_it():
    assert render('{% wrap "core/_table.html" rows=rows caption="x" %}{% endwrap %}[{{ caption }}]', rows=[1]).endswith(
        "[]"
    )


def test_wrap_takes_only_key_value_pairs():
    with pytest.raises(TemplateSyntaxError):
        render('{% wrap "core/_table.html" rows %}{% endwrap %}')


def test_thead_marks_the_last_columns_as_figures():
    html = render('{% thead "Wilayah" "PSM" "Kunjungan" num=2 %}')
    assert html == (
        '<thead><tr><th scope="col">Wilayah</th><th scope="col" class="num">PSM</th>'
        '<th scope="col" class="num">Kunjungan</th></tr></thead>'
    )
