"""Tags for what search engines and link previews read from every page."""

from django import template
from django.utils.encoding import escape_uri_path
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's absolute URL without its query string.

    Filters, sort order, page numbers and tracking parameters all make variants of
    one page; search engines are pointed at the page itself, and the sitemap lists
    every deal, so nothing is lost by not indexing the variants.
    """
    request = context["request"]
    return request.build_absolute_uri(escape_uri_path(request.path))


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use as {{ name }} many times.

    base.html captures its title and description blocks this way, so a page that
    fills those blocks also fills the sharing tags (og:title, og:description).
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one argument: the variable name")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        # `nodelist` is the attribute {% extends %} searches for blocks to override.
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The nodelist's output is escaped already; strip the template's line breaks.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""
