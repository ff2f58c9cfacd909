"""Tags for what search engines and link previews read from every page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
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


# The language tags of BCP 47 (html lang, hreflang) for Django's language codes.
LANGUAGE_TAGS = {"en": "en", "zh-hans": "zh-Hans"}


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The page in each language of settings.LANGUAGES: for the language switch (the same
    page and query string in the other language, django's translate_url) and the
    hreflang links (absolute, without the query string, like the canonical link).

    Each is {"code", "tag" (BCP 47), "name", "url", "absolute", "current"}; the first is
    the default language, the x-default of search engines.
    """
    request = context["request"]
    current = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.path, code)
        query = request.META.get("QUERY_STRING", "")
        versions.append(
            {
                "code": code,
                "tag": LANGUAGE_TAGS.get(code, code),
                "name": name,
                "url": escape_uri_path(path) + (f"?{query}" if query else ""),
                "absolute": request.build_absolute_uri(escape_uri_path(path)),
                "current": code == current,
            }
        )
    return versions


@register.simple_tag
def language_tag():
    """The active language as BCP 47 (<html lang="zh-Hans">)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return LANGUAGE_TAGS.get(code, code)
