"""``{% wrap "core/_table.html" rows=rows caption=_("…") %}…{% endwrap %}``: an include whose partial draws a shape
(a results table, a form card) around markup the page writes itself, given to the partial as ``{{ wrapped }}``.

``{% include %}`` cannot take a body, and a page's rows or fields are its own: this keeps the shape in one partial
and the page-specific part in the page, at the cost of one include per use (never put it inside a row loop).
"""

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.utils.safestring import SafeString

register = template.Library()


class WrapNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, name: FilterExpression, extra: dict[str, FilterExpression], nodelist: NodeList) -> None:
        self.name, self.extra, self.nodelist = name, extra, nodelist

    def render(self, context: Context) -> SafeString:
        wrapped = self.nodelist.render(context)
        values = {key: value.resolve(context) for key, value in self.extra.items()}
        partial = context.template.engine.get_template(self.name.resolve(context))  # type: ignore[union-attr]  # set while a template renders
        with context.push(wrapped=wrapped, **values):
            return partial.render(context)


@register.tag
def wrap(parser: Parser, token: Token) -> WrapNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% wrap "partial.html" key=value … %} needs the partial\'s name.')
    name = parser.compile_filter(bits[1])
    extra = token_kwargs(bits[2:], parser)
    if len(extra) != len(bits) - 2:
        raise template.TemplateSyntaxError("{% wrap %} takes the partial's name, then key=value pairs only.")
    nodelist = parser.parse(("endwrap",))
    parser.delete_first_token()
    return WrapNode(name, extra, nodelist)
