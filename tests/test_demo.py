import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from deals import demo
from deals.models import Ceremony, Deal, Occasion, Party, Qualifier, Source

JD_COM = "jd-com-us-food-purchases-2017"
REIGNWOOD = "reignwood-bell-helicopters-2017"
CEREMONY_8_NOV = "us-china-signing-ceremony-2017-11-08"
CEREMONY_9_NOV = "us-china-signing-ceremony-2017-11-09"


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every table of the deals app, history tables included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("deals").get_models()
    }


@pytest.fixture
def loaded(db):
    return load_demo()


def test_it_records_the_occasion_and_both_ceremonies_at_the_great_hall(loaded):
    occasion = Occasion.objects.get()
    assert occasion.name == "Donald Trump's state visit to China, November 2017"
    assert (occasion.start_date, occasion.end_date) == (
        datetime.date(2017, 11, 8),
        datetime.date(2017, 11, 10),
    )
    assert occasion.host_country == "CN"
    ceremonies = list(occasion.ceremonies.order_by("date").select_related("venue"))
    assert [c.date for c in ceremonies] == [datetime.date(2017, 11, 8), datetime.date(2017, 11, 9)]
    for ceremony in ceremonies:
        assert (ceremony.venue.name, ceremony.venue.city) == ("Great Hall of the People", "Beijing")
        assert ceremony.venue.country == "CN"


def test_it_records_the_8_november_headline_of_about_us_9_billion_and_19_deals(loaded):
    ceremony = Ceremony.objects.get(slug=CEREMONY_8_NOV)
    assert ceremony.announced_value_amount == Decimal("9000000000")
    assert ceremony.announced_value_currency == "USD"
    assert ceremony.announced_value_qualifier == Qualifier.ABOUT
    assert ceremony.announced_deal_count == 19
    assert ceremony.announced_value_display == "about US$9 billion"


def test_it_records_the_three_dignitaries_with_their_titles_and_roles(loaded):
    ceremony = Ceremony.objects.get(slug=CEREMONY_8_NOV)
    dignitaries = [
        (d.person.name, d.person.native_name, d.title, d.role)
        for d in ceremony.dignitaries.select_related("person")
    ]
    assert dignitaries == [
        ("Wilbur Ross", "", "U.S. Commerce Secretary", "speaker"),
        ("Wang Yang", "汪洋", "Vice Premier of China", "speaker"),
        ("Zhong Shan", "钟山", "Chinese Commerce Minister", "attendee"),
    ]


def test_it_records_jd_com_buying_more_than_us_2_billion_of_food_over_three_years(loaded):
    deal = Deal.objects.get(slug=JD_COM)
    assert deal.value_display == "more than US$2 billion in purchase commitments"
    assert deal.value_amount_usd == Decimal("2000000000")
    assert deal.term_display == "3 years"
    assert deal.sector.code == "10"
    assert (deal.status, deal.signed_on) == (Deal.Status.SIGNED, datetime.date(2017, 11, 8))
    assert deal.ceremony.slug == CEREMONY_8_NOV
    assert deal.instrument == Deal.Instrument.UNKNOWN and deal.is_binding is None
    buyer = deal.deal_parties.select_related("party").get()
    assert (buyer.party.name, buyer.party.native_name, buyer.role) == ("JD.com", "京东", "buyer")
    assert buyer.party.alias_list == ["JD", "Jingdong"]


def test_it_records_reignwood_buying_bell_helicopters_for_an_undisclosed_value(loaded):
    deal = Deal.objects.get(slug=REIGNWOOD)
    assert deal.value_qualifier == Qualifier.UNDISCLOSED and deal.value_amount is None
    assert deal.value_display == "undisclosed"
    assert deal.sector.code == "30"
    assert deal.status == Deal.Status.SIGNED
    roles = [(p.party.name, p.party.country, p.role) for p in deal.deal_parties.all()]
    assert roles == [
        ("Reignwood International", "CN", "buyer"),
        ("Bell Helicopter", "US", "seller"),
    ]
    bell = Party.objects.get(slug="bell-helicopter")
    assert bell.parent.name == "Textron"
    assert bell.alias_list == ["Bell Helicopter Textron"]


def test_it_records_the_9_november_deals_as_announced_with_nothing_invented(loaded):
    ceremony = Ceremony.objects.get(slug=CEREMONY_9_NOV)
    assert ceremony.announced_value_qualifier == Qualifier.UNDISCLOSED
    assert ceremony.announced_value_amount is None and ceremony.announced_deal_count is None
    deals = ceremony.deals.order_by("slug")
    assert [(d.deal_parties.get().party.name, d.sector.code) for d in deals] == [
        ("Boeing", "30"),
        ("Goldman Sachs", "64"),
        ("Qualcomm", "26"),
    ]
    for deal in deals:
        assert deal.status == Deal.Status.ANNOUNCED and deal.signed_on is None
        assert deal.value_display == "undisclosed"
        assert deal.instrument == Deal.Instrument.UNKNOWN
        assert deal.term_display == ""
    assert Party.objects.get(slug="goldman-sachs").kind == Party.Kind.FINANCIAL_INSTITUTION


def test_it_cites_the_reuters_report_with_a_quote_for_every_deal_and_ceremony(loaded):
    source = Source.objects.get()
    assert (source.publisher, source.published_on) == ("Reuters", datetime.date(2017, 11, 8))
    assert source.url.startswith("https://")
    for deal in Deal.objects.all():
        citation = deal.citations.get()
        assert citation.source == source and citation.quote
    for ceremony in Ceremony.objects.all():
        citation = ceremony.citations.get()
        assert citation.source == source and citation.quote
    jd_quote = Deal.objects.get(slug=JD_COM).citations.get().quote
    assert "JD.com to buy more than $2 billion of food products" in jd_quote
    thursday_quote = Deal.objects.get(slug="boeing-deal-2017-11-09").citations.get().quote
    assert thursday_quote == (
        "Among the companies expected to sign deals on Thursday are Qualcomm, Boeing and "
        "Goldman Sachs."
    )
    assert "about $9 billion" in Ceremony.objects.get(slug=CEREMONY_8_NOV).citations.get().quote


def test_it_publishes_every_demo_deal(loaded):
    assert Deal.objects.count() == len(demo.DEALS) == 5
    assert Deal.objects.published().count() == 5
    assert all(deal.published_at for deal in Deal.objects.all())


def test_itemised_totals_of_the_8_november_ceremony_are_more_than_us_2_billion_from_2_deals(
    loaded,
):
    totals = Ceremony.objects.get(slug=CEREMONY_8_NOV).itemised_totals()
    assert (totals.count, totals.disclosed_count, totals.undisclosed_count) == (2, 1, 1)
    assert totals.amount_usd == Decimal("2000000000")
    assert totals.qualifier == Qualifier.MORE_THAN
    assert totals.display == "more than US$2 billion"


def test_it_prints_what_it_recorded(loaded):
    assert loaded.strip() == (
        "Demo data: 1 occasion, 1 venue, 2 ceremonies, 3 people, 7 parties, 5 deals, "
        "1 source; 36 rows created, 0 updated."
    )


def test_running_it_twice_changes_nothing(loaded):
    before = snapshot()
    assert sum(len(rows) for label, rows in before.items() if "Historical" in label) > 0

    output = load_demo()

    assert snapshot() == before  # no new rows, no new history, not even a new updated_at
    assert output.strip().endswith("; nothing changed.")


def test_it_keeps_a_fact_edited_by_staff_unless_asked_to_reset(loaded):
    deal = Deal.objects.get(slug=JD_COM)
    deal.value_amount = Decimal("3000000000")
    deal.save()

    output = load_demo()

    deal.refresh_from_db()
    assert deal.value_amount == Decimal("3000000000")
    assert output.strip().endswith("nothing changed.")


def test_reset_puts_back_an_edited_fact_and_leaves_everything_else_alone(loaded):
    deal = Deal.objects.get(slug=JD_COM)
    deal.value_amount = Decimal("3000000000")
    deal.save()
    history_before = deal.history.count()
    others_before = {k: v for k, v in snapshot().items() if "Deal" not in k}

    output = load_demo("--reset")

    deal.refresh_from_db()
    assert deal.value_amount == deal.value_amount_usd == Decimal("2000000000")
    assert deal.history.count() == history_before + 1
    assert {k: v for k, v in snapshot().items() if "Deal" not in k} == others_before
    assert output.strip().endswith("; 0 rows created, 1 updated.")


def test_it_records_nothing_when_a_fact_is_invalid(db, monkeypatch):
    bad_deal = {**demo.DEALS[0], "value_currency": "XYZ"}
    monkeypatch.setattr(demo, "DEALS", [*demo.DEALS[1:], bad_deal])

    with pytest.raises(CommandError, match="jd-com-us-food-purchases-2017"):
        load_demo()

    assert not Source.objects.exists()
    assert not Deal.objects.exists()
