"""Readers follow a party, sector, country, ceremony or occasion by e-mail: the sign-up
form and its limits, the signed confirmation and unsubscribe links, and the daily digest.

- Sign-up (`signup`): the small form at the foot of each followed page posts here. A valid
  address gets a confirmation e-mail with a signed link (double opt-in); nothing says
  whether the address already followed it, so the form tells no one about an address.
  Limited per client address and per e-mail address through the cache (429, form kept);
  a honeypot field catches form-filling robots.
- CSRF: the form sits on pages the public cache keeps for every anonymous reader, where a
  per-reader CSRF token cannot be (one reader's token served to all), so the sign-up view
  is exempt from the token and refuses instead any POST whose Origin header names another
  site: the check Django's CSRF middleware itself starts with. A forged sign-up could in
  any case only ask for a confirmation e-mail, which the rate limits bound. The
  confirmation page keeps Django's CSRF token; the unsubscribe link is exempt because
  RFC 8058's one-click POST comes from a mail client without one (its signature is the
  protection).
- Digest (`Day`, `send_digest`; `manage.py send_digests`): per confirmed address, the
  day's events on the published record for what it follows. Drafts never appear.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from deals.models import BadLink, Deal, DigestSent, Follow, StatusUpdate
from deals.models.follows import normalise_email
from deals.scopes import Scope
from dealtracker.signin import client_ip

# Sign-ups allowed per hour: from one client address, and for one e-mail address.
SIGNUPS_PER_CLIENT = 10
SIGNUPS_PER_ADDRESS = 3
SIGNUP_PERIOD = 3600  # seconds


# --- sign-up -------------------------------------------------------------------------


class FollowForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    # The honeypot: hidden from people (and from screen readers), filled by robots.
    nickname = forms.CharField(required=False, max_length=200)


def followed(kind, key):
    """(the Follow fields naming what a page's address names, its Scope); Http404 for
    an unknown kind or record. A country's code may come in either case."""
    if kind not in Follow.Kind.values:
        raise Http404("Not something one can follow.")
    if kind == "country":
        scope = Scope.of_country(key.upper())
        return {"country": scope.code}, scope
    scope = Scope.by_address(kind, key)
    return {kind: scope.record}, scope


def is_same_origin(request):
    """False for a POST a browser sent from another site's page (its Origin header).
    Clients that send no Origin are not browsers acting for an unwitting reader."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def _within_rate(key, limit):
    cache.add(key, 0, SIGNUP_PERIOD)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, SIGNUP_PERIOD)
        count = 1
    return count <= limit


def within_signup_rate(request, email):
    """Count this sign-up against its client address and its e-mail address; False when
    either has had its hourly number already."""
    client = (
        client_ip(request) if settings.SECURE_PROXY_SSL_HEADER else request.META.get("REMOTE_ADDR")
    )
    return _within_rate(f"follows:signup:client:{client}", SIGNUPS_PER_CLIENT) and _within_rate(
        f"follows:signup:address:{email}", SIGNUPS_PER_ADDRESS
    )


@transaction.atomic
def start_follow(email, target, language):
    """The follow to confirm for `email` and `target` (made, or started again after an
    unsubscribe); None when it is already confirmed and active."""
    follow, created = Follow.objects.select_for_update().get_or_create(
        email=email, **target, defaults={"language": language}
    )
    if follow.is_active:
        return None
    if not created:
        follow.confirmed_at = None
        follow.language = language
        follow.save(update_fields=["confirmed_at", "language", "updated_at"])
    return follow


def send_confirmation(request, follow, scope):
    link = request.build_absolute_uri(
        reverse("deals:follow_confirm", args=[follow.confirmation_token()])
    )
    context = {"name": scope.name, "link": link, "days": Follow.CONFIRM_MAX_AGE.days}
    send_mail(
        _("Confirm that you follow %(name)s on Deal Tracker") % {"name": scope.name},
        render_to_string("follows/confirmation_email.txt", context),
        None,
        [follow.email],
    )


@csrf_exempt  # see the module's docstring: the Origin check below stands in for the token
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request, kind, key):
    target, scope = followed(kind, key)
    context = {"kind": kind, "key": key, "scope": scope}
    if request.method == "GET":
        return render(request, "follows/signup.html", {**context, "form": FollowForm()})
    if not is_same_origin(request):
        return render(request, "follows/refused.html", context, status=403)
    form = FollowForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "follows/signup.html", context, status=400)
    if form.cleaned_data["nickname"]:
        # A robot: answered as a person would be, so that it learns nothing.
        return render(request, "follows/sent.html", context)
    email = normalise_email(form.cleaned_data["email"])
    if not within_signup_rate(request, email):
        context["too_many"] = True
        return render(request, "follows/signup.html", context, status=429)
    follow = start_follow(email, target, translation.get_language() or settings.LANGUAGE_CODE)
    if follow is not None:
        send_confirmation(request, follow, scope)
    return render(request, "follows/sent.html", context)


# --- the signed links ----------------------------------------------------------------


def _bad_link(request):
    return render(request, "follows/bad_link.html", status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET: a page with a button (a mail scanner's visit confirms nothing); POST: confirm."""
    try:
        follow = Follow.from_confirmation_token(token)
    except BadLink:
        return _bad_link(request)
    context = {"follow": follow, "token": token}
    if request.method == "POST":
        follow.confirm()
        context["done"] = True
    return render(request, "follows/confirm.html", context)


@csrf_exempt  # RFC 8058: the one-click POST comes from a mail client; the link is signed
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button; POST (the button, or a mail client's one-click
    `List-Unsubscribe=One-Click`): stop the follows the link names."""
    try:
        follows = Follow.of_unsubscribe_token(token)
    except BadLink:
        return _bad_link(request)
    context = {"follows": list(follows.select_related(*Follow.RECORD_TARGETS)), "token": token}
    if request.method == "POST":
        follows.unsubscribe()
        context["done"] = True
    return render(request, "follows/unsubscribe.html", context)


# --- the daily digest ----------------------------------------------------------------


class EventKind:
    NEW = "new"
    FOLLOW_THROUGH = "follow_through"
    CHANGED = "changed"


ORDER = {EventKind.NEW: 0, EventKind.FOLLOW_THROUGH: 1, EventKind.CHANGED: 2}


@dataclass
class Event:
    """One line of a digest: a deal published that day, a status update recorded that
    day on a published deal, or a published deal edited that day."""

    kind: str
    deal: Deal
    status_update: StatusUpdate | None = None
    because: list = field(default_factory=list)  # the names of the follows it matches

    @property
    def sort_key(self):
        update = self.status_update
        return (ORDER[self.kind], self.deal.title, self.deal.pk, update.pk if update else 0)


def day_bounds(day):
    """The first instant of `day` and of the next, in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(1), datetime.time.min)
    )
    return start, end


class Day:
    """The day's events on the published record, gathered once for every address.

    A deal is new on the day it was first published (so a draft published later appears
    then, and its earlier draft edits never). It is changed on a day with an edit saved
    while it was published, and it is still published now. A status update counts on the
    day it was recorded, if its deal is published. A deal shows once a day: as new (its
    status updates that day are part of it), else by its status updates (whose recording
    saves the deal too), else as changed.
    """

    def __init__(self, day):
        self.day = day
        start, end = day_bounds(day)
        published = Deal.objects.published()
        new_ids = set(
            published.filter(published_at__gte=start, published_at__lt=end).values_list(
                "pk", flat=True
            )
        )
        recorded = StatusUpdate.history.filter(
            history_type="+", history_date__gte=start, history_date__lt=end
        ).values("id")
        self.status_updates = list(
            StatusUpdate.objects.filter(pk__in=recorded, deal__in=published)
            .exclude(deal_id__in=new_ids)
            .order_by("date", "id")
        )
        updated_ids = {update.deal_id for update in self.status_updates}
        edited = Deal.history.filter(
            history_type="~", history_date__gte=start, history_date__lt=end, is_published=True
        ).values("id")
        changed_ids = (
            set(published.filter(pk__in=edited).values_list("pk", flat=True))
            - new_ids
            - updated_ids
        )
        self.kind_of = dict.fromkeys(new_ids, EventKind.NEW)
        self.kind_of.update(dict.fromkeys(changed_ids, EventKind.CHANGED))
        self.kind_of.update(dict.fromkeys(updated_ids, EventKind.FOLLOW_THROUGH))
        self.deals = Deal.objects.in_bulk(self.kind_of)

    def events_for(self, follows):
        """The day's events for an address's follows: each at most once, saying which
        follows it matches (one query per follow, none on a day without events)."""
        if not self.kind_of:
            return []
        because = defaultdict(list)
        for follow in follows:
            matching = follow.scope().deals().filter(pk__in=self.kind_of)
            for pk in matching.values_list("pk", flat=True):
                because[pk].append(follow.target_name)
        events = []
        for pk, names in because.items():
            deal, kind = self.deals[pk], self.kind_of[pk]
            if kind == EventKind.FOLLOW_THROUGH:
                events += [
                    Event(kind, deal, update, names)
                    for update in self.status_updates
                    if update.deal_id == pk
                ]
            else:
                events.append(Event(kind, deal, None, names))
        return sorted(events, key=lambda event: event.sort_key)


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def digest_message(email, follows, events, day):
    """The digest e-mail, with its one-click unsubscribe headers (RFC 2369, RFC 8058)."""
    every = follows[0].unsubscribe_token(every_follow=True)
    unsubscribe_all = absolute(reverse("deals:follow_unsubscribe", args=[every]))
    context = {
        "day": day,
        "events": events,
        "follows": [
            (
                follow,
                absolute(reverse("deals:follow_unsubscribe", args=[follow.unsubscribe_token()])),
            )
            for follow in follows
        ],
        "unsubscribe_all": unsubscribe_all,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = ngettext(
        "Deal Tracker: %(count)d new event on %(day)s",
        "Deal Tracker: %(count)d new events on %(day)s",
        len(events),
    ) % {"count": len(events), "day": day.isoformat()}
    return EmailMessage(
        subject,
        render_to_string("follows/digest.txt", context),
        to=[email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_digest(email, day_events):
    """Send `email` its digest of the day, unless it has one for that day already or
    nothing it follows had an event; returns how many events it was sent (0: none).

    The record of the digest is written in the same transaction as the e-mail is sent:
    if sending fails, no record stays and the next run sends it.
    """
    follows = list(
        Follow.objects.active().filter(email=email).select_related(*Follow.RECORD_TARGETS)
    )
    if not follows:
        return 0
    language = follows[-1].language or settings.LANGUAGE_CODE
    with translation.override(language):
        events = day_events.events_for(follows)
        if not events:
            return 0
        with transaction.atomic():
            _record, created = DigestSent.objects.get_or_create(
                email=email, day=day_events.day, defaults={"event_count": len(events)}
            )
            if not created:
                return 0
            digest_message(email, follows, events, day_events.day).send()
    return len(events)


def addresses_due(day):
    """The addresses with an active follow and no digest yet for `day`."""
    sent = DigestSent.objects.filter(day=day).values("email")
    return (
        Follow.objects.active()
        .exclude(email__in=sent)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
