"""The editor's dashboard on the admin index: what needs a look, with links to it.

Each panel is a count and its first few items, so the page costs a fixed number of
queries however large the record grows (two per panel, one more for rates). The
duplicate-party check reads every party's names once and compares them in Python:
well under a second for tens of thousands of parties.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from deals.admin.base import plural
from deals.admin.merge import MergePartiesMixin
from deals.models import (
    ABOUT_TOLERANCE,
    Ceremony,
    CorrectionReport,
    Deal,
    ExchangeRate,
    Party,
    Qualifier,
    rate_in_timeline,
)
from deals.services import likely_duplicate_parties

LIMIT = 10


@dataclass
class Item:
    url: str
    text: str
    detail: str = ""


@dataclass
class Panel:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str = ""
    empty: str = "Nothing here."

    @property
    def more(self):
        return max(self.count - len(self.items), 0)


def changelist(model, **params):
    url = reverse(f"admin:deals_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def change(model, pk):
    return reverse(f"admin:deals_{model}_change", args=[pk])


def build_dashboard(user):
    """The panels `user` may see (nothing for staff who cannot view deals)."""
    if not user.has_perm("deals.view_deal"):
        return []
    panels = [drafts(), unsourced(), unconverted(), needing_follow_up()]
    if user.has_perm("deals.view_correctionreport"):
        panels.insert(0, correction_reports())
    if user.has_perm("deals.view_ceremony"):
        panels.append(disagreeing_ceremonies())
    if user.has_perm("deals.view_party"):
        may_merge = user.has_perm("deals.delete_party") and user.has_perm("deals.change_party")
        panels.append(duplicate_parties(may_merge=may_merge))
    return panels


def _deal_items(deals, detail):
    return [Item(change("deal", d.pk), d.title, detail(d)) for d in deals[:LIMIT]]


def correction_reports():
    """Readers' open reports of an error (from /corrections/), the newest first."""
    reports = (
        CorrectionReport.objects.filter(status=CorrectionReport.Status.OPEN)
        .select_related("deal")
        .order_by("-created_at", "-pk")
    )
    return Panel(
        key="corrections",
        title="Readers' correction reports",
        count=reports.count(),
        items=[
            Item(
                change("correctionreport", r.pk),
                r.deal.title if r.deal_id else (r.page_url or "The record as a whole"),
                f"{r.created_at:%-d %b %Y}: "
                + (r.message if len(r.message) <= 80 else r.message[:79] + "…"),
            )
            for r in reports[:LIMIT]
        ],
        more_url=changelist("correctionreport", status__exact="open"),
        empty="No open reports.",
    )


def drafts():
    deals = Deal.objects.drafts().select_related("updated_by").order_by("-updated_at", "-pk")
    return Panel(
        key="drafts",
        title="Drafts awaiting review",
        count=deals.count(),
        items=_deal_items(
            deals,
            lambda d: (
                f"{d.value_display}; updated {d.updated_at:%-d %b %Y}"
                + (f" by {d.updated_by}" if d.updated_by else "")
            ),
        ),
        more_url=changelist("deal", is_published__exact=0),
        empty="No drafts.",
    )


def unsourced():
    deals = Deal.objects.unsourced().order_by("-is_published", "-updated_at", "-pk")
    return Panel(
        key="unsourced",
        title="Deals without a source",
        count=deals.count(),
        items=_deal_items(deals, lambda d: "published" if d.is_published else "draft"),
        more_url=changelist("deal", sourced="no"),
        empty="Every deal cites a source.",
    )


def unconverted():
    deals = Deal.objects.unconverted().select_related("ceremony").order_by("-updated_at", "-pk")
    return Panel(
        key="unconverted",
        title="Deals without a USD conversion (left out of USD totals)",
        count=deals.count(),
        items=_deal_items(
            deals,
            lambda d: (
                f"{d.value_display}: no {d.value_currency} rate for {d.conversion_date:%-d %b %Y}"
            ),
        ),
        more_url=changelist("deal", usd="missing"),
        empty="Every value is converted.",
    )


def needing_follow_up():
    """Published deals still open with no news for FOLLOW_UP_MONTHS, the longest first."""
    deals = Deal.objects.published().needing_follow_up()
    return Panel(
        key="follow_up",
        title=f"Needs a follow-up check (no news for {settings.FOLLOW_UP_MONTHS} months)",
        count=deals.count(),
        items=_deal_items(
            deals,
            lambda d: f"{d.get_status_display()}; no news since {d.last_evidence_on:%-d %b %Y}",
        ),
        more_url=changelist("deal", follow_up="needed"),
        empty="Every open deal has recent news.",
    )


def disagreeing_ceremonies():
    """Ceremonies whose published, itemised deals disagree with the announced headline."""
    ceremonies = list(
        Ceremony.objects.with_reconciliation()
        .filter(
            Q(announced_deal_count__isnull=False)
            | ~Q(announced_value_qualifier=Qualifier.UNDISCLOSED)
        )
        .order_by("-date", "name")
    )
    currencies = {c.announced_value_currency for c in ceremonies}
    timelines = ExchangeRate.objects.timelines(list(currencies))
    found = []
    for ceremony in ceremonies:
        problems = ceremony_disagreements(ceremony, timelines)
        if problems:
            found.append(Item(change("ceremony", ceremony.pk), str(ceremony), "; ".join(problems)))
    return Panel(
        key="ceremonies",
        title="Ceremonies whose itemised deals disagree with the announcement",
        count=len(found),
        items=found[:LIMIT],
        empty="Every ceremony's itemised deals agree with what was announced.",
    )


def ceremony_disagreements(ceremony, timelines):
    """What disagrees, in words; [] if nothing does. Without a query when fetched
    `with_reconciliation()`; the itemised value is written as the ceremony's page writes
    it, with its qualifier ("more than US$2 billion")."""
    problems = []
    totals = ceremony.itemised_totals()
    count = totals.count
    if ceremony.announced_deal_count is not None and count != ceremony.announced_deal_count:
        announced = plural(ceremony.announced_deal_count, "deal")
        problems.append(f"{announced} announced, {count} itemised")
    if ceremony.announced_value_qualifier == Qualifier.UNDISCLOSED:
        return problems
    rate = rate_in_timeline(timelines, ceremony.announced_value_currency, ceremony.date)
    # A headline is the organisers' addition of the amounts as stated, so it is set
    # against the same addition; the words are the sum's honest figures (totals.display).
    itemised = totals.as_stated_usd
    if rate is None:
        problems.append(f"no {ceremony.announced_value_currency} rate to compare the headline")
    elif not value_agrees(
        ceremony.announced_value_amount * rate, ceremony.announced_value_qualifier, itemised
    ):
        itemised_text = totals.display if itemised is not None else "nothing"
        problems.append(f"{ceremony.announced_value_display} announced, {itemised_text} itemised")
    return problems


def value_agrees(announced_usd, qualifier, itemised_usd):
    """Whether an itemised USD sum is what the announced headline allows."""
    if itemised_usd is None:
        return False
    if qualifier == Qualifier.EXACT:
        return itemised_usd == announced_usd.quantize(Decimal("0.01"))
    if qualifier == Qualifier.ABOUT:
        return abs(itemised_usd - announced_usd) <= ABOUT_TOLERANCE * announced_usd
    if qualifier == Qualifier.AT_LEAST:
        return itemised_usd >= announced_usd
    if qualifier == Qualifier.MORE_THAN:
        return itemised_usd > announced_usd
    if qualifier == Qualifier.UP_TO:
        return itemised_usd <= announced_usd
    return True


def duplicate_parties(*, may_merge):
    groups = likely_duplicate_parties()
    shown = groups[:LIMIT]
    names = dict(
        Party.objects.filter(pk__in=[pk for group in shown for pk in group]).values_list(
            "pk", "name"
        )
    )
    items = []
    for group in shown:
        text = " / ".join(names[pk] for pk in group)
        url = (
            MergePartiesMixin.merge_url(group)
            if may_merge
            else changelist("party", q=names[group[0]])
        )
        items.append(Item(url, text, "merge…" if may_merge else ""))
    return Panel(
        key="duplicates",
        title="Parties that look like duplicates",
        count=len(groups),
        items=items,
        empty="No parties look alike.",
    )
