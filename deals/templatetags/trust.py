"""What base.html adds to every public page so a reader can trust and cite it:
when the record last changed, and how to cite the page."""

from django import template
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django_countries.fields import Country

from deals.caching import remembered
from deals.models import Ceremony, Deal, Occasion, Party, Sector, Venue
from deals.presentation import format_day

register = template.Library()

# What a page is about, by the kind of object its view shows: its name for a citation.
CITED = {
    Deal: ("deal", lambda deal: deal.title),
    Ceremony: ("ceremony", lambda ceremony: f"{ceremony.name} ({format_day(ceremony.date)})"),
    Occasion: ("occasion", lambda occasion: occasion.name),
    Party: ("party", lambda party: party.name),
    Sector: ("sector", lambda sector: sector.name),
    Venue: ("venue", lambda venue: venue.name),
    Country: ("country", lambda country: country.name),
}


def record_last_updated():
    """The latest change of any published deal: one query, remembered until the record
    changes (deals/caching.py). A draft's edits do not move it."""
    published = Deal.objects.published()
    return remembered(
        "last_updated",
        published,
        lambda: published.aggregate(latest=Max("updated_at"))["latest"],
    )


@register.simple_tag(takes_context=True)
def last_updated(context):
    """When what the page shows last changed: a published deal's page, its own last
    change (no query); any other page, the record's."""
    shown = context.get("object")
    if isinstance(shown, Deal) and shown.is_published:
        return shown.updated_at
    return record_last_updated()


@register.filter
def day(moment):
    """A date or datetime in the site's date style ("8 Nov 2017"), in the site's time zone."""
    if moment is None:
        return ""
    if hasattr(moment, "tzinfo"):
        moment = timezone.localtime(moment).date()
    return format_day(moment)


def bibtex_escape(text):
    for char in "\\{}":
        text = text.replace(char, f"\\{char}" if char != "\\" else "\\textbackslash ")
    for char in "&%$#_":
        text = text.replace(char, f"\\{char}")
    return text.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def citation_for(shown, url, updated, today):
    """The text and BibTeX citations of the page about `shown`, or None for a page
    about nothing citable."""
    found = next((cited for kind, cited in CITED.items() if isinstance(shown, kind)), None)
    if found is None:
        return None
    name, title_of = found
    title = title_of(shown)
    key = f"dealtracker-{name}-{getattr(shown, 'slug', None) or str(shown.code).lower()}"
    year = (updated or today).year
    updated_text = gettext("last updated %(day)s, ") % {"day": day(updated)} if updated else ""
    text = gettext("%(site)s, “%(title)s”, %(updated)s%(url)s (accessed %(today)s).") % {
        "site": gettext("Deal Tracker"),
        "title": title,
        "updated": updated_text,
        "url": url,
        "today": format_day(today),
    }
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title        = {{{{{bibtex_escape(title)}}}}},",
            "  author       = {{Deal Tracker}},",
            f"  year         = {{{year}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  url          = {{{url}}},",
            f"  urldate      = {{{today.isoformat()}}},",
            f"  note         = {{Accessed {format_day(today)}}}",
            "}",
        ]
    )
    return {"text": text, "bibtex": bibtex}


@register.inclusion_tag("includes/cite_this_page.html", takes_context=True)
def cite_this_page(context, url, updated):
    """ "Cite this page" on deal, ceremony, occasion and entity pages (nothing elsewhere)."""
    shown = context.get("object")
    if isinstance(shown, Deal) and not shown.is_published:
        return {"citation": None}  # a staff preview of a draft is not to be cited
    return {"citation": citation_for(shown, url, updated, timezone.localdate())}
