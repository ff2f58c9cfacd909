"""Exchange rates: the ECB's history and pegs loaded offline, deals converted again."""

import datetime
import io
import urllib.request
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.management.commands.load_rates import RATE_PLACES
from deals.models import Deal, ExchangeRate, Qualifier
from tests.factories import CeremonyFactory, DealFactory, ExchangeRateFactory
from tests.test_admin_deals import form_data

ECB = ExchangeRate.Source.ECB
BILLION = Decimal(10) ** 9
NOV = {day: datetime.date(2017, 11, day) for day in range(1, 31)}


def load(since="2017-11-01", until="2017-11-30", **kwargs):
    args = ["--since", since] + (["--until", until] if until else [])
    call_command("load_rates", *args, stdout=io.StringIO(), **kwargs)


def cny_deal(**fields):
    return DealFactory(
        **{"value_currency": "CNY", "value_amount": 5 * BILLION, "signed_on": NOV[8], **fields}
    )


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("load_rates tried to use the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# --- loading ----------------------------------------------------------------------------------


def test_it_loads_the_ecb_rates_as_usd_rates_without_the_network(db, offline):
    load()

    rate = ExchangeRate.objects.get(currency="CNY", date=NOV[8])
    # ECB on 8 Nov 2017: 1 EUR = 1.1590 USD = 7.6838 CNY.
    assert rate.rate_to_usd == (Decimal("1.1590") / Decimal("7.6838")).quantize(RATE_PLACES)
    assert rate.source == ECB
    assert ExchangeRate.objects.get(currency="EUR", date=NOV[8]).rate_to_usd == Decimal("1.159")
    assert not ExchangeRate.objects.filter(currency="USD").exists()
    currencies = set(ExchangeRate.objects.filter(date=NOV[8]).values_list("currency", flat=True))
    assert {"EUR", "CNY", "JPY", "GBP", "KRW", "INR", "BRL", "RUB", "HKD"} <= currencies
    assert not ExchangeRate.objects.filter(date__lt=NOV[1], source=ECB).exists()
    assert not ExchangeRate.objects.filter(date__gt=NOV[30], source=ECB).exists()
    # No history row per loaded rate: history is for what staff change.
    assert ExchangeRate.history.count() == 0


def test_it_adds_the_official_pegs_the_ecb_lacks_with_their_authority(db, offline):
    load()

    sar = ExchangeRate.objects.get(currency="SAR")
    aed = ExchangeRate.objects.get(currency="AED")
    assert (sar.source, sar.date) == (ExchangeRate.Source.PEG, datetime.date(1986, 6, 1))
    assert sar.rate_to_usd == Decimal("0.2666666667")
    assert "Saudi Central Bank" in sar.note
    assert aed.rate_to_usd == Decimal("0.2722940776")
    assert "Central Bank of the UAE" in aed.note
    # A peg holds until replaced: a riyal deal of 2017 converts.
    deal = DealFactory(value_currency="SAR", value_amount=Decimal("375000000"), signed_on=NOV[8])
    assert deal.value_amount_usd == Decimal("100000000.01")


def test_a_second_run_changes_nothing_and_staff_rates_stand(db, offline, capsys):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.15", source="staff")
    load()
    count = ExchangeRate.objects.count()

    call_command("load_rates", "--since", "2017-11-01", "--until", "2017-11-30")

    assert "0 added, 0 changed, 1 kept as entered by staff" in capsys.readouterr().out
    assert ExchangeRate.objects.count() == count
    assert ExchangeRate.objects.get(currency="CNY", date=NOV[8]).rate_to_usd == Decimal("0.15")


def test_a_changed_ecb_rate_is_corrected_by_the_next_run(db, offline):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.2", source=ECB)

    load()

    assert ExchangeRate.objects.get(currency="CNY", date=NOV[8]).rate_to_usd != Decimal("0.2")


def test_loading_rates_converts_the_deals_that_had_none(db, offline):
    deal = cny_deal()
    assert deal.value_amount_usd is None

    load()

    deal.refresh_from_db()
    rate = ExchangeRate.objects.get(currency="CNY", date=NOV[8]).rate_to_usd
    assert deal.value_amount_usd == (deal.value_amount * rate).quantize(Decimal("0.01"))
    assert deal.value_amount_usd == deal.compute_amount_usd()


def test_the_whole_history_loads_in_batched_statements(db, offline):
    # Its time is not asserted (the suite shares the machine; speed lives in bench/):
    # what keeps it fast is that a quarter of a million rates take a couple of hundred
    # statements (197 on 3 December 2026), not one each.
    with CaptureQueriesContext(connection) as captured:
        load(since="2000-01-01", until=None)

    assert ExchangeRate.objects.filter(currency="CNY").count() > 5000
    assert ExchangeRate.objects.count() > 200_000
    assert len(captured) < 1_000, len(captured)


def test_a_bad_since_date_is_refused(db):
    with pytest.raises(CommandError):
        call_command("load_rates", "--since", "8 November 2017")


# --- which rate a deal converts at ---------------------------------------------------------


def test_a_deal_signed_on_a_weekend_converts_at_the_last_business_day(db):
    ExchangeRateFactory(currency="CNY", date=NOV[10], rate_to_usd="0.1509")  # Friday
    ExchangeRateFactory(currency="CNY", date=NOV[13], rate_to_usd="0.1520")  # Monday

    deal = cny_deal(signed_on=NOV[11])  # Saturday

    assert deal.value_amount_usd == Decimal("754500000.00")


def test_a_deal_without_a_signing_date_converts_at_its_ceremony_date(db):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.1512")
    ExchangeRateFactory(currency="CNY", date=NOV[20], rate_to_usd="0.2")

    deal = cny_deal(signed_on=None, ceremony=CeremonyFactory(date=NOV[9]))

    assert deal.value_amount_usd == Decimal("756000000.00")


def test_a_stale_ecb_rate_is_not_used(db):
    """The ECB stopped quoting the rouble in March 2022; a 2023 deal has no rate."""
    ExchangeRateFactory(currency="RUB", date=datetime.date(2022, 3, 1), rate_to_usd="0.0095")

    deal = DealFactory(
        value_currency="RUB", value_amount=BILLION, signed_on=datetime.date(2023, 1, 10)
    )
    recent = DealFactory(
        value_currency="RUB", value_amount=BILLION, signed_on=datetime.date(2022, 3, 4)
    )

    assert deal.value_amount_usd is None
    assert recent.value_amount_usd == Decimal("9500000.00")


# --- converting again ------------------------------------------------------------------------


def test_changing_a_rate_in_the_admin_converts_the_deals_it_affects(editor_client, editor):
    rate = ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.15")
    ExchangeRateFactory(currency="CNY", date=NOV[20], rate_to_usd="0.16")
    affected = cny_deal(signed_on=NOV[9])
    before_it = cny_deal(signed_on=NOV[7])  # no rate yet
    after_next = cny_deal(signed_on=NOV[21])
    in_usd = DealFactory(signed_on=NOV[9])
    assert affected.value_amount_usd == Decimal("750000000.00")

    response = editor_client.post(
        reverse("admin:deals_exchangerate_change", args=[rate.pk]),
        {"currency": "CNY", "date": "2017-11-08", "rate_to_usd": "0.1512", "source": "staff"},
    )

    assert response.status_code == 302
    for deal in (affected, before_it, after_next, in_usd):
        deal.refresh_from_db()
    assert affected.value_amount_usd == Decimal("756000000.00")
    assert before_it.value_amount_usd is None
    assert after_next.value_amount_usd == Decimal("800000000.00")
    assert in_usd.value_amount_usd == in_usd.value_amount
    messages = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert "1 deal converted to US dollars again." in messages
    # The rate's history says what changed, with who changed it.
    assert rate.history.first().history_user == editor


def test_adding_a_rate_in_the_admin_converts_deals_that_had_none(editor_client):
    deal = cny_deal()

    editor_client.post(
        reverse("admin:deals_exchangerate_add"),
        {"currency": "CNY", "date": "2017-11-08", "rate_to_usd": "0.1512", "source": "staff"},
    )

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("756000000.00")


def test_deleting_a_rate_falls_back_to_the_one_before(editor_client):
    ExchangeRateFactory(currency="CNY", date=NOV[6], rate_to_usd="0.1506")
    rate = ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.1512")
    deal = cny_deal()

    editor_client.post(reverse("admin:deals_exchangerate_delete", args=[rate.pk]), {"post": "yes"})

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("753000000.00")


def test_moving_a_rate_to_another_currency_converts_both(editor_client):
    rate = ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.1512")
    cny = cny_deal()
    eur = DealFactory(value_currency="EUR", value_amount=BILLION, signed_on=NOV[8])

    editor_client.post(
        reverse("admin:deals_exchangerate_change", args=[rate.pk]),
        {"currency": "EUR", "date": "2017-11-08", "rate_to_usd": "1.16", "source": "staff"},
    )

    cny.refresh_from_db()
    eur.refresh_from_db()
    assert cny.value_amount_usd is None
    assert eur.value_amount_usd == Decimal("1160000000.00")


def test_moving_a_ceremony_converts_its_undated_deals_at_the_new_date(editor_client):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.1512")
    ExchangeRateFactory(currency="CNY", date=NOV[20], rate_to_usd="0.2")
    ceremony = CeremonyFactory(date=NOV[8])
    undated = cny_deal(signed_on=None, ceremony=ceremony)
    dated = cny_deal(signed_on=NOV[8], ceremony=ceremony)
    url = reverse("admin:deals_ceremony_change", args=[ceremony.pk])
    data = form_data(editor_client.get(url))
    data["date"] = "2017-11-21"

    assert editor_client.post(url, data).status_code == 302

    undated.refresh_from_db()
    dated.refresh_from_db()
    assert undated.value_amount_usd == Decimal("1000000000.00")
    # Signed at the ceremony (Deal.ceremony_signing): signed on its new date too.
    assert dated.signed_on == NOV[21]
    assert dated.value_amount_usd == Decimal("1000000000.00")


def test_recompute_agrees_with_each_deals_own_conversion(db):
    for day, rate in [(1, "0.15"), (6, "0.1506"), (8, "0.1512"), (13, "0.152")]:
        ExchangeRateFactory(currency="CNY", date=NOV[day], rate_to_usd=rate)
    ExchangeRateFactory(currency="EUR", date=NOV[3], rate_to_usd="1.1612345678")
    deals = [
        DealFactory(value_currency=currency, value_amount=Decimal(amount), signed_on=NOV[day])
        for currency in ("CNY", "EUR", "USD", "JPY")
        for day in (1, 2, 7, 8, 12, 20)
        for amount in ("1000.05", "5000000000", "0.01")
    ]
    # Rates change behind the deals' backs, as a bulk load would do.
    ExchangeRate.objects.filter(currency="CNY", date=NOV[8]).update(rate_to_usd="0.1499")
    ExchangeRate.objects.create(currency="JPY", date=NOV[2], rate_to_usd="0.0088", source=ECB)

    changed = Deal.objects.recompute_usd()

    assert changed > 0
    for deal in deals:
        deal.refresh_from_db()
        assert deal.value_amount_usd == deal.compute_amount_usd(), deal
    assert Deal.objects.recompute_usd() == 0


def test_recompute_costs_the_same_queries_for_3_and_30_deals_and_writes_no_history(db):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd="0.1512")
    for _ in range(3):
        cny_deal()
    ExchangeRate.objects.update(rate_to_usd="0.16")
    with CaptureQueriesContext(connection) as with_3:
        Deal.objects.recompute_usd(currency="CNY")
    for _ in range(27):
        cny_deal()
    history = Deal.history.count()
    ExchangeRate.objects.update(rate_to_usd="0.17")

    with CaptureQueriesContext(connection) as with_30:
        assert Deal.objects.recompute_usd(currency="CNY") == 30

    assert len(with_30) == len(with_3)
    assert Deal.history.count() == history


def test_an_amount_removed_leaves_no_usd_amount_behind(db):
    deal = DealFactory(value_amount=BILLION)
    Deal.objects.filter(pk=deal.pk).update(value_amount=None, value_qualifier="undisclosed")

    Deal.objects.recompute_usd()

    deal.refresh_from_db()
    assert deal.value_amount_usd is None


# --- flagged in the admin, noted on the page ----------------------------------------------


def test_the_deal_list_flags_and_filters_deals_without_a_usd_conversion(editor_client):
    unconverted = cny_deal(title="Unconverted")
    DealFactory(title="In dollars")
    DealFactory(title="Undisclosed", value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)
    url = reverse("admin:deals_deal_changelist")

    response = editor_client.get(url, {"usd": "missing"})

    assert list(response.context["cl"].result_list) == [unconverted]
    assert 'alt="False"' in response.content.decode()
    everything = editor_client.get(url).content.decode()
    assert everything.count('alt="False"') >= 1
    assert 'alt="None"' in everything  # undisclosed: nothing to convert


def test_a_public_page_says_an_unconverted_deal_is_left_out_of_the_total(client, db):
    ceremony = CeremonyFactory()
    cny_deal(ceremony=ceremony)
    DealFactory(ceremony=ceremony)

    response = client.get(ceremony.get_absolute_url())

    assert response.status_code == 200
    assert "without an exchange rate" in response.content.decode()
