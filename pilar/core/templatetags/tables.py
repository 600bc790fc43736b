"""``{% thead _("Nama") _("Status") %}``: a table's header row, one column heading an argument, so that a list's
columns are named in one line and every table's head has the same markup. ``num=2``: the last two columns hold
figures (class "num", aligned right like their cells)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def thead(*headings: str, num: int = 0) -> SafeString:
    first_num = len(headings) - num
    figures = format_html(' class="{}"', "num")
    cells = format_html_join(
        "", '<th scope="col"{}>{}</th>', ((figures if i >= first_num else "", h) for i, h in enumerate(headings))
    )
    return format_html("<thead><tr>{}</tr></thead>", cells)
