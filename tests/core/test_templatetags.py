"""The core template tags that draw shared shapes: {% wrap %} around a page's markup, {% thead %}'s figures,
{% reuse %} for a page's title said again as its heading."""

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError, engines


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


def shells(**sources: str) -> Engine:
    """An engine over the given templates, with Pilar's tag libraries."""
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", sources)], libraries=engines["django"].engine.libraries
    )


def test_reuse_says_a_block_again_as_the_page_filled_it():
    engine = shells(
        **{
            "shell.html": "{% load reuse %}<title>{% block title %}{% endblock %}</title>"
            '<h1>{% block heading %}{% reuse "title" %}{% endblock %}</h1>',
            "page.html": '{% extends "shell.html" %}{% block title %}Daftar {{ n }}{% endblock %}',
            "worded.html": '{% extends "shell.html" %}{% block title %}Daftar{% endblock %}'
            "{% block heading %}Daftar lengkap{% endblock %}",
            "deeper.html": '{% extends "page.html" %}{% block title %}{{ block.super }} baru{% endblock %}',
        }
    )
    assert engine.get_template("page.html").render(Context({"n": 3})) == "<title>Daftar 3</title><h1>Daftar 3</h1>"
    assert engine.get_template("worded.html").render(Context()) == "<title>Daftar</title><h1>Daftar lengkap</h1>"
    assert engine.get_template("deeper.html").render(Context({"n": 1})) == (
        "<title>Daftar 1 baru</title><h1>Daftar 1 baru</h1>"
    )


def test_reuse_takes_one_quoted_block_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load reuse %}{% reuse title %}")


def test_table_in_its_own_section_keeps_the_heading_when_empty():
    html = render(
        '{% wrap "core/_table.html" section="sk" heading="SK" rows=rows empty="Belum ada." %}{% endwrap %}', rows=[]
    )
    assert '<section aria-labelledby="h-sk">' in html and '<h2 id="h-sk">SK</h2>' in html
    assert '<p class="empty">Belum ada.</p>' in html and html.strip().endswith("</section>")


def test_table_caption_shown_on_request():
    html = render(
        '{% wrap "core/_table.html" rows=rows caption="Ringkasan" show_caption=True %}{% endwrap %}', rows=[1]
    )
    assert "<caption>Ringkasan</caption>" in html and "<section" not in html
