"""Readers follow a party, sector, country, ceremony or occasion by e-mail (deals/follows.py):
double opt-in, unforgeable one-click unsubscribe links, the daily digest and its limits."""

import datetime
import io
import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from deals import follows as follows_module
from deals.backups import export_dataset
from deals.follows import Day, EventKind
from deals.models import Deal, DigestSent, Follow, StatusUpdate
from deals.models.follows import address_check
from dealtracker.settings import env_email
from tests.factories import (
    CeremonyFactory,
    DealPartyFactory,
    PartyFactory,
    PublishableDealFactory,
    SectorFactory,
)

ADDRESS = "reader@example.net"


@pytest.fixture(autouse=True)
def fresh_cache_and_site(settings):
    cache.clear()  # the sign-up counters live in the cache
    settings.SITE_URL = "https://deals.example.org"
    yield
    cache.clear()


def confirmed(email=ADDRESS, **target):
    return Follow.objects.create(email=email, confirmed_at=timezone.now(), **target)


def move_to_yesterday(deal):
    """As if the deal had been made and published yesterday (its history rows too)."""
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Deal.objects.filter(pk=deal.pk, is_published=True).update(published_at=yesterday)
    Deal.history.filter(id=deal.pk).update(history_date=yesterday)
    StatusUpdate.history.filter(deal_id=deal.pk).update(history_date=yesterday)
    deal.refresh_from_db()


def sign_up(client, url, email=ADDRESS, **extra):
    return client.post(url, {"email": email, "nickname": ""}, **extra)


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link):
    return re.sub(r"^https?://[^/]+", "", link)


# --- the model ---------------------------------------------------------------------


def test_a_follow_must_name_exactly_one_target(db):
    party, sector = PartyFactory(), SectorFactory()
    with pytest.raises(IntegrityError):
        Follow.objects.create(email=ADDRESS, party=party, sector=sector)


def test_a_follow_without_a_target_is_refused(db):
    with pytest.raises(IntegrityError):
        Follow.objects.create(email=ADDRESS)


def test_an_address_follows_one_thing_once(db):
    party = PartyFactory()
    Follow.objects.create(email=ADDRESS, party=party)
    with pytest.raises(IntegrityError):
        Follow.objects.create(email=ADDRESS, party=party)


def test_two_countries_may_be_followed_by_one_address(db):
    Follow.objects.create(email=ADDRESS, country="CN")
    Follow.objects.create(email=ADDRESS, country="US")
    assert Follow.objects.of_address(ADDRESS).count() == 2


# --- sign-up and double opt-in -------------------------------------------------------


@pytest.mark.parametrize("kind", ["party", "sector", "ceremony", "occasion", "country"])
def test_every_followed_page_carries_the_form_without_a_csrf_token(client, db, kind):
    deal = PublishableDealFactory()
    party = deal.parties.get()
    record = {
        "party": party,
        "sector": deal.sector,
        "ceremony": deal.ceremony,
        "occasion": deal.ceremony.occasion,
    }.get(kind)
    page = record.get_absolute_url() if record else reverse("deals:country", args=["us"])
    key = record.slug if record else "us"
    html = client.get(page).content.decode()
    assert f'action="{reverse("deals:follow", args=[kind, key])}"' in html
    assert 'name="nickname"' in html
    # The page may be kept by the public cache for everyone: no reader's token in it.
    assert "csrfmiddlewaretoken" not in html


def test_the_public_cache_still_keeps_a_page_with_the_form(client, db, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    party = PublishableDealFactory().parties.get()
    assert client.get(party.get_absolute_url())["X-Public-Cache"] == "miss"
    assert client.get(party.get_absolute_url())["X-Public-Cache"] == "hit"


def test_signing_up_sends_a_confirmation_and_follows_nothing_yet(client, db, mailoutbox):
    party = PartyFactory(name="Boeing")
    response = sign_up(
        client, reverse("deals:follow", args=["party", party.slug]), "Reader@Example.NET"
    )
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    follow = Follow.objects.get()
    assert (follow.email, follow.party, follow.confirmed_at) == (ADDRESS, party, None)
    assert not Follow.objects.active().exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ADDRESS]
    assert "Boeing" in mailoutbox[0].subject
    assert ADDRESS not in link_in(mailoutbox[0])  # a link carries no address


def test_the_confirmation_link_shows_a_button_and_confirms_on_post(client, db, mailoutbox):
    sector = SectorFactory()
    sign_up(client, reverse("deals:follow", args=["sector", sector.slug]))
    path = path_of(link_in(mailoutbox[0]))
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm" in page.content.decode()
    assert not Follow.objects.active().exists()  # a mail scanner's visit confirms nothing
    assert client.post(path).status_code == 200
    follow = Follow.objects.get()
    assert follow.is_active and follow.confirmed_at is not None


def test_a_country_is_followed_by_its_code_in_either_case(client, db, mailoutbox):
    assert sign_up(client, reverse("deals:follow", args=["country", "cn"])).status_code == 200
    assert Follow.objects.get().country.code == "CN"


@pytest.mark.parametrize(
    ("kind", "key"), [("party", "no-such-party"), ("venue", "great-hall"), ("country", "XX")]
)
def test_an_unknown_target_is_a_404(client, db, kind, key):
    assert sign_up(client, reverse("deals:follow", args=[kind, key])).status_code == 404
    assert not Follow.objects.exists()


def test_a_bad_address_keeps_the_form_with_its_error(client, db, mailoutbox):
    party = PartyFactory()
    response = sign_up(
        client, reverse("deals:follow", args=["party", party.slug]), "not-an-address"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-address"' in html and 'aria-invalid="true"' in html
    assert not Follow.objects.exists() and not mailoutbox


def test_the_honeypot_answers_as_usual_and_sends_nothing(client, db, mailoutbox):
    party = PartyFactory()
    url = reverse("deals:follow", args=["party", party.slug])
    response = client.post(url, {"email": ADDRESS, "nickname": "Cheap pills"})
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert not Follow.objects.exists() and not mailoutbox


def test_a_sign_up_posted_from_another_site_is_refused(client, db, mailoutbox):
    party = PartyFactory()
    url = reverse("deals:follow", args=["party", party.slug])
    response = sign_up(client, url, HTTP_ORIGIN="https://evil.example.com")
    assert response.status_code == 403
    assert not Follow.objects.exists() and not mailoutbox
    assert sign_up(client, url, HTTP_ORIGIN="http://testserver").status_code == 200


def test_signing_up_again_for_an_active_follow_sends_nothing_and_says_the_same(
    client, db, mailoutbox
):
    party = PartyFactory()
    confirmed(party=party)
    response = sign_up(client, reverse("deals:follow", args=["party", party.slug]))
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert not mailoutbox
    assert Follow.objects.get().is_active


def test_signing_up_after_unsubscribing_asks_for_a_new_confirmation(client, db, mailoutbox):
    party = PartyFactory()
    follow = confirmed(party=party)
    Follow.objects.filter(pk=follow.pk).unsubscribe()
    sign_up(client, reverse("deals:follow", args=["party", party.slug]))
    follow.refresh_from_db()
    assert follow.confirmed_at is None and len(mailoutbox) == 1
    client.post(path_of(link_in(mailoutbox[0])))
    follow.refresh_from_db()
    assert follow.is_active


def test_sign_ups_for_one_address_are_limited_with_a_429_that_keeps_the_form(
    client, db, mailoutbox, monkeypatch
):
    monkeypatch.setattr(follows_module, "SIGNUPS_PER_ADDRESS", 2)
    parties = PartyFactory.create_batch(3)
    for party in parties[:2]:
        assert (
            sign_up(client, reverse("deals:follow", args=["party", party.slug])).status_code == 200
        )
    response = sign_up(client, reverse("deals:follow", args=["party", parties[2].slug]))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-ups" in html and f'value="{ADDRESS}"' in html
    assert Follow.objects.count() == 2 and len(mailoutbox) == 2
    # Another address from elsewhere is not held up by it.
    other = sign_up(
        client,
        reverse("deals:follow", args=["party", parties[2].slug]),
        "other@example.net",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200


def test_sign_ups_from_one_client_are_limited(client, db, mailoutbox, monkeypatch):
    monkeypatch.setattr(follows_module, "SIGNUPS_PER_CLIENT", 2)
    party = PartyFactory()
    url = reverse("deals:follow", args=["party", party.slug])
    assert sign_up(client, url, "a@example.net").status_code == 200
    assert sign_up(client, url, "b@example.net").status_code == 200
    assert sign_up(client, url, "c@example.net").status_code == 429
    assert sign_up(client, url, "c@example.net", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert sorted(Follow.objects.values_list("email", flat=True)) == [
        "a@example.net",
        "b@example.net",
        "c@example.net",
    ]


def test_a_tampered_confirmation_link_is_refused(client, db):
    follow = Follow.objects.create(email=ADDRESS, party=PartyFactory())
    token = follow.confirmation_token()
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(reverse("deals:follow_confirm", args=[forged]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_an_expired_confirmation_link_is_refused(client, db, monkeypatch):
    follow = Follow.objects.create(email=ADDRESS, party=PartyFactory())
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 4 * 24 * 3600)
    token = follow.confirmation_token()
    monkeypatch.undo()
    assert client.post(reverse("deals:follow_confirm", args=[token])).status_code == 400
    follow.refresh_from_db()
    assert follow.confirmed_at is None


def test_a_link_made_without_the_site_key_is_refused(client, db):
    follow = Follow.objects.create(email=ADDRESS, party=PartyFactory())
    payload = {"f": follow.pk, "e": address_check(ADDRESS)}
    forged = signing.dumps(payload, key="not the site's key", salt="deals.follows.confirm")
    assert client.post(reverse("deals:follow_confirm", args=[forged])).status_code == 400
    forged = signing.dumps(
        {"f": follow.pk, "e": address_check(ADDRESS), "all": True},
        key="guess",
        salt="deals.follows.unsubscribe",
    )
    assert client.post(reverse("deals:follow_unsubscribe", args=[forged])).status_code == 400
    follow.refresh_from_db()
    assert follow.confirmed_at is None and follow.unsubscribed_at is None


def test_a_confirmation_link_is_no_unsubscribe_link_and_back(client, db):
    follow = confirmed(party=PartyFactory())
    confirm_token = follow.confirmation_token()
    assert client.post(reverse("deals:follow_unsubscribe", args=[confirm_token])).status_code == 400
    follow.refresh_from_db()
    assert follow.is_active
    unsubscribe_token = follow.unsubscribe_token()
    assert client.post(reverse("deals:follow_confirm", args=[unsubscribe_token])).status_code == 400


def test_a_link_for_a_follow_that_changed_hands_is_refused(client, db):
    follow = confirmed(party=PartyFactory())
    token = follow.unsubscribe_token()
    # The row now belongs to another address (as if deleted and its id used again).
    Follow.objects.filter(pk=follow.pk).update(email="someone-else@example.net")
    assert client.post(reverse("deals:follow_unsubscribe", args=[token])).status_code == 400
    follow.refresh_from_db()
    assert follow.is_active


# --- unsubscribe ---------------------------------------------------------------------


def test_unsubscribing_shows_a_button_on_get_and_stops_on_post(client, db):
    follow = confirmed(party=PartyFactory(name="Boeing"))
    url = reverse("deals:follow_unsubscribe", args=[follow.unsubscribe_token()])
    page = client.get(url)
    assert page.status_code == 200 and "Boeing" in page.content.decode()
    follow.refresh_from_db()
    assert follow.is_active
    response = client.post(url)
    assert response.status_code == 200 and "No more e-mails" in response.content.decode()
    follow.refresh_from_db()
    assert not follow.is_active and follow.unsubscribed_at is not None


def test_one_click_unsubscribe_works_without_a_csrf_token(db):
    from django.test import Client

    follow = confirmed(party=PartyFactory())
    other = confirmed(party=PartyFactory())
    mail_client = Client(enforce_csrf_checks=True)
    url = reverse("deals:follow_unsubscribe", args=[follow.unsubscribe_token(every_follow=True)])
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.active().filter(pk__in=[follow.pk, other.pk]).exists()


def test_an_address_s_token_stops_only_that_address_s_follows(client, db):
    party = PartyFactory()
    mine = confirmed(party=party)
    mine_too = confirmed(sector=SectorFactory())
    theirs = confirmed("other@example.net", party=party)
    client.post(reverse("deals:follow_unsubscribe", args=[mine.unsubscribe_token()]))
    assert set(Follow.objects.active()) == {mine_too, theirs}
    client.post(
        reverse("deals:follow_unsubscribe", args=[mine_too.unsubscribe_token(every_follow=True)])
    )
    assert set(Follow.objects.active()) == {theirs}


def test_follow_pages_are_never_cached(client, db):
    follow = confirmed(party=PartyFactory())
    response = client.get(reverse("deals:follow_unsubscribe", args=[follow.unsubscribe_token()]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- the digest ----------------------------------------------------------------------


@pytest.fixture
def day_record(db, editor):
    """A hand-built day in a followed sector: one new published deal, one draft, one
    published deal edited, one status update on a published deal and one on a draft; and
    a new deal in a sector nobody follows."""
    sector = SectorFactory(name="Aviation")
    new = PublishableDealFactory(title="A new deal", sector=sector)
    PublishableDealFactory(title="A draft", sector=sector, is_published=False).save()
    edited = PublishableDealFactory(title="An edited deal", sector=sector)
    move_to_yesterday(edited)
    updated = PublishableDealFactory(title="A deal with news", sector=sector)
    move_to_yesterday(updated)
    draft_with_news = PublishableDealFactory(
        title="A draft with news", sector=sector, is_published=False
    )
    move_to_yesterday(draft_with_news)
    edited.summary = "Now with a summary."
    edited.save()
    update = updated.record_status(Deal.Status.IN_PROGRESS, note="Deliveries began.")
    draft_with_news.record_status(Deal.Status.CANCELLED)
    PublishableDealFactory(title="Elsewhere", sector=SectorFactory())
    return {"sector": sector, "new": new, "edited": edited, "updated": updated, "update": update}


def test_the_digest_of_a_day_holds_exactly_its_events_and_no_draft(day_record):
    follow = confirmed(sector=day_record["sector"])
    events = Day(timezone.localdate()).events_for([follow])
    assert [(e.kind, e.deal.title, e.status_update) for e in events] == [
        (EventKind.NEW, "A new deal", None),
        (EventKind.FOLLOW_THROUGH, "A deal with news", day_record["update"]),
        (EventKind.CHANGED, "An edited deal", None),
    ]
    assert all(event.because == ["Aviation"] for event in events)


def test_a_deal_matched_by_two_follows_appears_once_saying_both(day_record):
    party = day_record["new"].parties.get()
    follows = [confirmed(sector=day_record["sector"]), confirmed(party=party)]
    events = Day(timezone.localdate()).events_for(follows)
    assert [event.deal.title for event in events].count("A new deal") == 1
    assert events[0].because == ["Aviation", party.name]


def test_a_draft_published_later_appears_as_new_on_its_publication_day(db, editor):
    draft = PublishableDealFactory(title="Published at last", is_published=False)
    move_to_yesterday(draft)
    follow = confirmed(sector=draft.sector)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert Day(yesterday).events_for([follow]) == []
    draft.publish(user=editor)
    events = Day(timezone.localdate()).events_for([follow])
    assert [(e.kind, e.deal.title) for e in events] == [(EventKind.NEW, "Published at last")]


def test_a_day_without_events_asks_nothing_per_follow(db, django_assert_num_queries):
    follows = [confirmed(party=PartyFactory()), confirmed(country="CN")]
    day = Day(datetime.date(2001, 1, 1))
    with django_assert_num_queries(0):
        assert day.events_for(follows) == []


def test_send_digests_mails_confirmed_addresses_once_a_day(day_record, mailoutbox):
    confirmed(sector=day_record["sector"])
    Follow.objects.create(email="unconfirmed@example.net", sector=day_record["sector"])
    confirmed("elsewhere@example.net", party=PartyFactory())  # nothing happened there
    today = timezone.localdate().isoformat()
    out = io.StringIO()
    call_command("send_digests", "--date", today, stdout=out)
    assert [message.to for message in mailoutbox] == [[ADDRESS]]
    message = mailoutbox[0]
    assert "3 new events" in message.subject
    for title in ("A new deal", "A deal with news", "An edited deal", "Deliveries began."):
        assert title in message.body
    assert "draft" not in message.body.lower() and "Elsewhere" not in message.body
    assert "https://deals.example.org" + day_record["new"].get_absolute_url() in message.body
    assert DigestSent.objects.get().event_count == 3
    assert "1 digest(s) sent" in out.getvalue()
    # Run again the same day (cron retried, or run twice): nothing is sent twice.
    call_command("send_digests", "--date", today, stdout=io.StringIO())
    assert len(mailoutbox) == 1 and DigestSent.objects.count() == 1


def test_the_digest_carries_one_click_unsubscribe_headers_that_work(client, day_record, mailoutbox):
    follow = confirmed(sector=day_record["sector"])
    call_command("send_digests", "--date", timezone.localdate().isoformat(), stdout=io.StringIO())
    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://deals.example.org/") and link in mailoutbox[0].body
    assert ADDRESS not in link
    client.post(path_of(link), {"List-Unsubscribe": "One-Click"})
    follow.refresh_from_db()
    assert not follow.is_active


def test_a_digest_that_fails_to_send_is_sent_by_the_next_run(day_record, mailoutbox, monkeypatch):
    confirmed(sector=day_record["sector"])
    today = timezone.localdate().isoformat()

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(ConnectionRefusedError):
        call_command("send_digests", "--date", today, stdout=io.StringIO())
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    call_command("send_digests", "--date", today, stdout=io.StringIO())
    assert len(mailoutbox) == 1 and DigestSent.objects.count() == 1


def test_unconfirmed_and_unsubscribed_addresses_get_nothing(day_record, mailoutbox):
    Follow.objects.create(email="unconfirmed@example.net", sector=day_record["sector"])
    gone = confirmed("gone@example.net", sector=day_record["sector"])
    Follow.objects.filter(pk=gone.pk).unsubscribe()
    call_command("send_digests", "--date", timezone.localdate().isoformat(), stdout=io.StringIO())
    assert mailoutbox == [] and not DigestSent.objects.exists()


def test_send_digests_defaults_to_yesterday_and_refuses_a_bad_date(day_record, mailoutbox):
    confirmed(sector=day_record["sector"])
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert out.getvalue().startswith(yesterday.isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", "--date", "2 December")


# --- addresses never public ----------------------------------------------------------


def test_no_address_appears_in_any_public_output(client, db, tmp_path):
    deal = PublishableDealFactory()
    party = deal.parties.get()
    secret = "secret-reader@example.net"
    confirmed(secret, party=party)
    confirmed(secret, ceremony=deal.ceremony)
    pages = [
        party.get_absolute_url(),
        deal.ceremony.get_absolute_url(),
        deal.get_absolute_url(),
        reverse("deals:list"),
        reverse("deals:csv"),
        reverse("deals:feed"),
        reverse("deals:follow_through_feed"),
        reverse("sitemap"),
        reverse("api:party-detail", args=[party.pk]),
        reverse("api:deal-list"),
        reverse("deals:follow", args=["party", party.slug]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert secret.encode() not in body, page
    export_dataset(tmp_path)
    for path in tmp_path.iterdir():
        assert secret not in path.read_text(encoding="utf-8"), path.name
    assert not (tmp_path / "follow.csv").exists()


def test_staff_see_follows_in_the_admin_read_only(
    client, superuser, db, django_assert_max_num_queries
):
    for _ in range(3):
        confirmed(f"r{_}@example.net", party=PartyFactory())
    client.force_login(superuser)
    url = reverse("admin:deals_follow_changelist")
    with django_assert_max_num_queries(12) as three:
        response = client.get(url)
    assert response.status_code == 200 and "r0@example.net" in response.content.decode()
    for number in range(3, 30):
        confirmed(f"r{number}@example.net", sector=SectorFactory())
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(url).status_code == 200
    assert client.get(reverse("admin:deals_follow_add")).status_code == 403


def test_an_anonymous_reader_cannot_open_the_follows_admin(client, db):
    confirmed(party=PartyFactory())
    response = client.get(reverse("admin:deals_follow_changelist"))
    assert response.status_code == 302 and ADDRESS not in response.content.decode()


# --- EMAIL_URL -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:p%40ss@mail.example.org:2525",
            ("mail.example.org", 2525, "mailer", "p@ss", False, False),
        ),
        ("smtp://mail.example.org", ("mail.example.org", 25, "", "", False, False)),
        ("smtp+tls://u:p@mail.example.org", ("mail.example.org", 587, "u", "p", True, False)),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, "u", "p", False, True)),
    ],
)
def test_email_url_gives_django_s_smtp_settings(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    config = env_email("EMAIL_URL")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (
        config["EMAIL_HOST"],
        config["EMAIL_PORT"],
        config["EMAIL_HOST_USER"],
        config["EMAIL_HOST_PASSWORD"],
        config["EMAIL_USE_TLS"],
        config["EMAIL_USE_SSL"],
    ) == expected


def test_email_url_console_prints_the_messages(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "console://")
    assert env_email("EMAIL_URL") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    "url", ["mail.example.org", "http://mail.example.org", "smtp://", "smtp://host:port"]
)
def test_a_bad_email_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL")


def test_the_sector_page_s_form_signs_up_in_one_post(client, db, mailoutbox):
    """The whole path a reader takes: page, form, e-mail, confirm."""
    deal = PublishableDealFactory()
    DealPartyFactory(deal=deal)
    html = client.get(deal.sector.get_absolute_url()).content.decode()
    action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)
    sign_up(client, action)
    client.post(path_of(link_in(mailoutbox[0])))
    assert Follow.objects.active().get().sector == deal.sector


def test_a_ceremony_follow_gets_that_ceremony_s_events_only(db, mailoutbox):
    ceremony = CeremonyFactory()
    PublishableDealFactory(title="At the ceremony", ceremony=ceremony)
    PublishableDealFactory(title="At another")
    follow = confirmed(ceremony=ceremony)
    events = Day(timezone.localdate()).events_for([follow])
    assert [event.deal.title for event in events] == ["At the ceremony"]


@pytest.mark.parametrize("model", ["follow", "digestsent"])
def test_the_readers_admin_pages_render_without_inline_script(client, superuser, model):
    follow = confirmed(party=PartyFactory())
    digest = DigestSent.objects.create(email=ADDRESS, day=timezone.localdate(), event_count=2)
    row = follow if model == "follow" else digest
    client.force_login(superuser)
    for url in (
        reverse(f"admin:deals_{model}_changelist"),
        reverse(f"admin:deals_{model}_change", args=[row.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        scripts = re.findall(rb"<script\b[^>]*>", response.content)
        assert scripts and all(b"src=" in tag for tag in scripts), url
    assert client.get(reverse(f"admin:deals_{model}_add")).status_code == 403


def test_the_admin_action_stops_the_selected_follows(client, superuser):
    follow = confirmed(party=PartyFactory())
    client.force_login(superuser)
    client.post(
        reverse("admin:deals_follow_changelist"),
        {"action": "unsubscribe", "_selected_action": [follow.pk]},
    )
    follow.refresh_from_db()
    assert follow.unsubscribed_at is not None


def test_editors_do_not_see_readers_addresses(editor_client, db):
    confirmed(party=PartyFactory())
    response = editor_client.get(reverse("admin:deals_follow_changelist"))
    assert response.status_code == 403
