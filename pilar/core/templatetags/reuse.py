"""``{% reuse "title" %}``: what the page put in one of its blocks, said again elsewhere in the page.

A page names itself once, in ``{% block title %}`` (the browser's tab); the page shells (core/page.html,
accounts/auth_page.html) head the page with the same words, ``<h1>{% block heading %}{% reuse "title" %}…``,
unless the page words its heading otherwise. Django renders a block in one place only; this renders the most
derived version of the named block (``{{ block.super }}`` included) where the tag stands.
"""

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.loader_tags import BlockNode

register = template.Library()


@register.tag
def reuse(parser: Parser, token: Token) -> BlockNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][:1] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% reuse "block name" %} takes the name of one block, quoted.')
    # A block node that holds nothing of its own: rendering it takes the page's block of that name from the
    # render's block context (and puts it back), exactly as Django renders a block in the template it extends.
    return BlockNode(bits[1][1:-1], NodeList())
