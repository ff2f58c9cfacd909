import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from deals import demo
from deals.models import (
    Ceremony,
    Deal,
    Occasion,
    Party,
    Qualifier,
    Source,
    StatusUpdate,
)
from deals.models.figures import DERIVED
from deals.models.status import Outcome

JD_COM = "jd-com-us-food-purchases-2017"
JD_MEAT = "jd-com-us-beef-and-pork-2017"
REIGNWOOD = "reignwood-bell-helicopters-2017"
BOEING = "boeing-casc-300-aircraft-2017"
QUALCOMM = "qualcomm-xiaomi-oppo-vivo-mous-2017"
GOLDMAN = "goldman-sachs-cic-cooperation-fund-2017"
WEST_VIRGINIA = "china-energy-west-virginia-mou-2017"
ALASKA = "alaska-lng-joint-development-2017"
CHENIERE_MOU = "cheniere-cnpc-lng-mou-2017"
CHENIERE_CONTRACTS = "cheniere-petrochina-lng-contracts-2018"
CEREMONY_8_NOV = "us-china-signing-ceremony-2017-11-08"
CEREMONY_9_NOV = "us-china-signing-ceremony-2017-11-09"
BILLION = Decimal("1000000000")


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every table of the deals app, history tables included (not the
    kept figures' marks, which a load may leave for the next reader to clear)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("deals").get_models()
        if model not in DERIVED
    }


def parties_of(deal):
    return [(link.party.name, link.role) for link in deal.deal_parties.select_related("party")]


def the_visit():
    return Deal.objects.published().filter(ceremony__occasion=Occasion.objects.get())


@pytest.fixture
def loaded(db):
    return load_demo()


# --- the occasion and its ceremonies -----------------------------------------------------


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


def test_it_records_the_9_november_headline_as_the_chinese_commerce_minister_gave_it(loaded):
    ceremony = Ceremony.objects.get(slug=CEREMONY_9_NOV)
    assert ceremony.announced_value_amount == Decimal("253400000000")
    assert ceremony.announced_value_display == "US$253.4 billion"
    assert ceremony.announced_deal_count is None  # no source gives that day's count
    quotes = {c.source.publisher: c.quote for c in ceremony.citations.select_related("source")}
    assert (
        "Zhong Shan said deals signed Thursday totaled $253.4 billion"
        in (quotes["Associated Press"])
    )
    assert "Qualcomm, Boeing and Goldman Sachs" in quotes["Reuters"]


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


# --- the deals of 8 November -------------------------------------------------------------


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
    assert not deal.status_updates.exists()


def test_jd_com_s_pledge_holds_its_beef_and_pork_agreements_which_stalled(loaded):
    pledge = Deal.objects.get(slug=JD_COM)
    meat = Deal.objects.get(slug=JD_MEAT)

    assert list(pledge.components.all()) == [meat]
    assert meat.value_display == "more than US$1.2 billion in purchase commitments"
    assert meat.ceremony.slug == CEREMONY_8_NOV
    assert parties_of(meat) == [
        ("JD.com", "buyer"),
        ("Montana Stockgrowers Association", "seller"),
        ("Smithfield Foods", "seller"),
    ]
    update = meat.status_updates.select_related("source").get()
    assert (update.status, update.date) == ("stalled", datetime.date(2018, 7, 12))
    assert "has not been canceled yet" in update.quote
    assert update.source.publisher == "Xinhua"
    assert (meat.status, meat.last_evidence_on) == ("stalled", datetime.date(2018, 7, 12))
    assert meat.outcome() == Outcome.STALLED


def test_the_8_november_ceremony_counts_the_pledge_s_money_once(loaded):
    totals = Ceremony.objects.get(slug=CEREMONY_8_NOV).itemised_totals()
    assert (totals.count, totals.disclosed_count, totals.undisclosed_count) == (3, 2, 1)
    assert totals.amount_usd == Decimal("2000000000")  # the US$1.2 billion is within it
    assert totals.display == "more than US$2 billion"


def test_it_records_reignwood_buying_50_bell_helicopters_for_an_undisclosed_value(loaded):
    deal = Deal.objects.get(slug=REIGNWOOD)
    assert deal.value_qualifier == Qualifier.UNDISCLOSED and deal.value_amount is None
    assert deal.value_display == "undisclosed"
    assert deal.sector.code == "30"
    assert deal.status == Deal.Status.SIGNED
    assert deal.instrument == Deal.Instrument.CONTRACT
    assert "50 Bell 505" in deal.description
    roles = [(p.party.name, p.party.country, p.role) for p in deal.deal_parties.all()]
    assert roles == [
        ("Reignwood International", "CN", "buyer"),
        ("Bell Helicopter", "US", "seller"),
    ]
    bell = Party.objects.get(slug="bell-helicopter")
    assert bell.parent.name == "Textron"
    assert bell.alias_list == ["Bell Helicopter Textron"]
    assert sorted(deal.sources.values_list("publisher", flat=True)) == ["China Daily", "Reuters"]


# --- the deals of 9 November -------------------------------------------------------------


def test_it_records_the_9_november_deals_as_signed_that_day_with_their_reported_values(loaded):
    deals = Ceremony.objects.get(slug=CEREMONY_9_NOV).deals.order_by("slug")
    assert [(d.slug, d.instrument, d.value_display, d.signed_on) for d in deals] == [
        (
            ALASKA,
            "other",
            "up to US$43 billion in investment",
            datetime.date(2017, 11, 9),
        ),
        (
            BOEING,
            "unknown",
            "more than US$37 billion at list prices",
            datetime.date(2017, 11, 9),
        ),
        (CHENIERE_MOU, "memorandum_of_understanding", "undisclosed", datetime.date(2017, 11, 9)),
        (
            WEST_VIRGINIA,
            "memorandum_of_understanding",
            "US$83.7 billion in investment",
            datetime.date(2017, 11, 9),
        ),
        (
            GOLDMAN,
            "unknown",
            "up to US$5 billion in investment",
            datetime.date(2017, 11, 9),
        ),
        (
            QUALCOMM,
            "memorandum_of_understanding",
            "at least US$12 billion in purchase commitments",
            datetime.date(2017, 11, 9),
        ),
    ]
    assert not Deal.objects.filter(status=Deal.Status.ANNOUNCED).exists()


def test_it_records_boeing_selling_300_aircraft_to_china_aviation_supplies(loaded):
    deal = Deal.objects.get(slug=BOEING)
    assert parties_of(deal) == [
        ("China Aviation Supplies Holding Company", "buyer"),
        ("Boeing", "seller"),
    ]
    assert deal.value_basis == Deal.Basis.LIST_PRICE
    assert Party.objects.get(slug="china-aviation-supplies").alias_list[0] == "CASC"
    assert "300 Boeing single-aisle and twin-aisle airplanes" in (
        deal.citations.get(source__publisher="China Daily").quote
    )


def test_it_records_qualcomm_s_three_non_binding_memoranda_over_three_years(loaded):
    deal = Deal.objects.get(slug=QUALCOMM)
    assert deal.is_binding is False
    assert deal.term_display == "3 years"
    assert parties_of(deal) == [
        ("Qualcomm", "seller"),
        ("Xiaomi", "buyer"),
        ("OPPO", "buyer"),
        ("vivo", "buyer"),
    ]


def test_the_goldman_sachs_cic_fund_is_in_progress_by_march_2021(loaded):
    deal = Deal.objects.get(slug=GOLDMAN)
    assert parties_of(deal) == [
        ("China Investment Corporation", "partner"),
        ("Goldman Sachs", "partner"),
    ]
    update = deal.status_updates.select_related("source").get()
    assert (update.status, update.date) == ("in_progress", datetime.date(2021, 3, 4))
    assert "$2.5bn has been raised already" in update.quote
    assert update.source.publisher == "ForexLive"
    assert (deal.status, deal.last_evidence_on) == ("in_progress", datetime.date(2021, 3, 4))


# --- outcomes -------------------------------------------------------------------------------


def test_the_cheniere_memorandum_is_superseded_by_the_contracts_that_followed_it(loaded):
    mou = Deal.objects.get(slug=CHENIERE_MOU)
    contracts = Deal.objects.get(slug=CHENIERE_CONTRACTS)

    assert contracts.follows == mou
    assert contracts.is_published and contracts.ceremony is None
    assert (contracts.instrument, contracts.is_binding) == ("contract", True)
    assert contracts.signed_on == datetime.date(2018, 2, 9)
    assert parties_of(contracts) == [
        ("Cheniere Energy", "seller"),
        ("PetroChina International", "buyer"),
    ]
    assert Party.objects.get(slug="petrochina-international").parent.name == (
        "China National Petroleum Corporation"
    )
    assert mou.is_binding is False
    assert mou.outcome() == Outcome.SUPERSEDED
    assert contracts.outcome() == Outcome.SIGNED_ONLY
    assert list(Deal.objects.superseded()) == [mou]
    # One report tells of both: the memorandum and the contracts it led to.
    assert set(mou.sources.all()) & set(contracts.sources.all())


def test_the_alaska_lng_agreement_was_extended_then_not_renewed(loaded):
    deal = Deal.objects.get(slug=ALASKA)
    updates = list(deal.status_updates.select_related("source"))

    assert [(u.status, u.date, u.source.publisher) for u in updates] == [
        ("signed", datetime.date(2018, 9, 29), "Anchorage Daily News"),
        ("cancelled", datetime.date(2019, 7, 27), "Associated Press"),
    ]
    assert "did not renew a nonbinding agreement" in updates[1].quote
    assert (deal.status, deal.last_evidence_on) == ("cancelled", datetime.date(2019, 7, 27))
    assert deal.outcome() == Outcome.CANCELLED
    assert deal.no_news_since(today=datetime.date(2030, 1, 1)) is None  # settled
    assert [name for name, _ in parties_of(deal)] == [
        "Alaska Gasline Development Corporation",
        "State of Alaska",
        "China Petrochemical Corporation",
        "China Investment Corporation",
        "Bank of China",
    ]


def test_the_west_virginia_memorandum_stalled_with_no_formal_agreement_two_years_on(loaded):
    deal = Deal.objects.get(slug=WEST_VIRGINIA)
    update = deal.status_updates.get()

    assert (update.status, update.date) == ("stalled", datetime.date(2019, 7, 16))
    assert "still no formal agreement" in update.quote
    assert deal.status == Deal.Status.STALLED
    assert deal.term_display == "20 years"
    assert deal.no_news_since(today=datetime.date(2021, 1, 1)) == datetime.date(2019, 7, 16)


def test_every_deal_s_status_is_that_of_its_latest_dated_update(loaded):
    for deal in Deal.objects.prefetch_related("status_updates"):
        updates = list(deal.status_updates.all())
        if updates:
            assert deal.status == updates[-1].status, deal.slug
            assert deal.last_evidence_on == updates[-1].date, deal.slug
        else:
            assert deal.last_evidence_on == deal.signed_on, deal.slug
    assert StatusUpdate.objects.count() == 5


# --- sources and publication ------------------------------------------------------------------


def test_every_deal_ceremony_and_status_update_cites_a_source_with_a_quote(loaded):
    assert Source.objects.count() == len(demo.SOURCES) == 22
    for deal in Deal.objects.prefetch_related("citations"):
        assert deal.citations.all(), deal.slug
        assert all(citation.quote for citation in deal.citations.all()), deal.slug
    for ceremony in Ceremony.objects.prefetch_related("citations"):
        assert ceremony.citations.all()
        assert all(citation.quote for citation in ceremony.citations.all())
    for update in StatusUpdate.objects.all():
        assert update.source_id and update.quote and update.note
    for source in Source.objects.all():
        assert source.url.startswith("http") and source.publisher and source.title
    reuters = Source.objects.get(published_on=datetime.date(2017, 11, 8))
    assert reuters.publisher == "Reuters"
    jd_quote = Deal.objects.get(slug=JD_COM).citations.get().quote
    assert "JD.com to buy more than $2 billion of food products" in jd_quote
    assert "about $9 billion" in Ceremony.objects.get(slug=CEREMONY_8_NOV).citations.get().quote


def test_every_published_demo_deal_names_a_party_and_cites_a_source(loaded):
    assert Deal.objects.count() == len(demo.DEALS) == 10
    assert Deal.objects.published().count() == 10
    for deal in Deal.objects.published():
        assert deal.published_at
        deal.check_publishable()  # raises if a party or a source is missing
        assert deal.deal_parties.exists() and deal.citations.exists()


def test_a_demo_deal_without_a_source_is_not_published(db, monkeypatch):
    unsourced = {**demo.DEALS[2], "sources": []}  # Reignwood
    monkeypatch.setattr(demo, "DEALS", [*demo.DEALS[:2], unsourced, *demo.DEALS[3:]])

    with pytest.raises(CommandError, match=f"{REIGNWOOD} cannot be published"):
        load_demo()

    assert not Deal.objects.exists()


def test_a_demo_deal_naming_an_unknown_umbrella_is_refused(db, monkeypatch):
    orphan = {**demo.DEALS[1], "umbrella": "no-such-deal"}
    monkeypatch.setattr(demo, "DEALS", [demo.DEALS[0], orphan])

    with pytest.raises(CommandError, match="no-such-deal"):
        load_demo()


# --- follow-through ---------------------------------------------------------------------------


def test_the_follow_through_of_the_visit_counts_each_outcome_and_its_money_once(loaded, settings):
    settings.FOLLOW_UP_MONTHS = 12

    card = the_visit().follow_through(today=datetime.date(2021, 6, 1))

    # The nine deals signed at the two ceremonies (the follow-on contracts were signed at
    # none). JD.com's beef and pork are within its pledge's US$2 billion; the Cheniere
    # memorandum is superseded by contracts outside the visit, both undisclosed.
    by_outcome = {
        row.outcome: (row.totals.count, row.totals.amount_usd, row.totals.display)
        for row in card.outcomes
    }
    assert by_outcome == {
        "no_news": (0, None, "none"),  # an empty outcome has no sum to withhold
        # JD.com's pledge, Reignwood, Boeing, Qualcomm
        "signed_only": (4, 51 * BILLION, "more than US$51 billion"),
        "in_progress": (1, 5 * BILLION, "up to US$5 billion"),  # Goldman Sachs–CIC
        "completed": (0, None, "none"),
        "stalled": (2, Decimal("83700000000"), "US$83.7 billion"),  # West Virginia, JD meat
        "cancelled": (1, 43 * BILLION, "up to US$43 billion"),  # Alaska LNG
        "superseded": (1, None, "undisclosed"),  # Cheniere–CNPC memorandum
    }
    totals = card.totals
    assert (totals.count, totals.disclosed_count, totals.undisclosed_count) == (9, 7, 2)
    assert totals.unconverted_count == 0  # every demo amount is in US dollars
    assert totals.as_stated_usd == Decimal("182700000000")  # 2 + 37 + 12 + 5 + 83.7 + 43
    # The lower bounds with the exact figure (2 + 37 + 12 + 83.7); the ceilings apart.
    assert totals.figures == (
        (Qualifier.MORE_THAN, Decimal("134700000000")),
        (Qualifier.UP_TO, Decimal("48000000000")),
    )
    assert card.realised.count == 0 and card.realised_share == 0
    assert card.latest_evidence_on == datetime.date(2021, 3, 4)
    # Open deals with no news since June 2020: all but the Goldman Sachs–CIC fund.
    assert card.stale_count == 6
    assert card.display == (
        "9 deals: 4 signed, nothing since; 1 in progress; 2 stalled; 1 cancelled; "
        "1 superseded by a follow-on. None of the more than US$134.7 billion plus up to "
        "US$48 billion announced is realised (completed) yet. 6 deals with no news for "
        "more than 12 months."
    )


def test_the_follow_through_of_the_9_november_ceremony_alone(loaded):
    ceremony = Ceremony.objects.get(slug=CEREMONY_9_NOV)

    card = Deal.objects.published().filter(ceremony=ceremony).follow_through()

    assert card.counts_display == (
        "2 signed, nothing since; 1 in progress; 1 stalled; 1 cancelled; "
        "1 superseded by a follow-on"
    )
    assert card.totals.as_stated_usd == Decimal("180700000000")
    assert card.totals.display == "more than US$132.7 billion plus up to US$48 billion"
    assert card.outcome("stalled").totals.display == "US$83.7 billion"


def test_the_followed_deal_needs_no_follow_up_but_its_contracts_do(loaded, settings):
    settings.FOLLOW_UP_MONTHS = 12

    due = Deal.objects.published().needing_follow_up(today=datetime.date(2021, 6, 1))

    slugs = list(due.values_list("slug", flat=True))
    assert CHENIERE_MOU not in slugs and ALASKA not in slugs and GOLDMAN not in slugs
    assert slugs[-1] == WEST_VIRGINIA  # the most recent news, July 2019
    assert CHENIERE_CONTRACTS in slugs


# --- loading ------------------------------------------------------------------------------------


def test_it_prints_what_it_recorded(loaded):
    assert loaded.strip() == (
        "Demo data: 1 occasion, 1 venue, 2 ceremonies, 3 people, 23 parties, 10 deals, "
        # 117: the records counted, and Boeing's Wikidata QID
        "22 sources, 5 status updates; 117 rows created, 0 updated."
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
    update = StatusUpdate.objects.get(deal__slug=WEST_VIRGINIA)
    update.note = "Edited by staff."
    update.save()

    output = load_demo()

    deal.refresh_from_db()
    update.refresh_from_db()
    assert deal.value_amount == Decimal("3000000000")
    assert update.note == "Edited by staff."
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


def test_reset_puts_back_an_edited_status_update_and_republishes_an_unpublished_deal(loaded):
    StatusUpdate.objects.filter(deal__slug=ALASKA, status="cancelled").update(note="Edited.")
    deal = Deal.objects.get(slug=ALASKA)
    deal.unpublish(user=None)

    output = load_demo("--reset")

    deal.refresh_from_db()
    assert deal.is_published and deal.status == Deal.Status.CANCELLED
    assert StatusUpdate.objects.get(deal=deal, status="cancelled").note.startswith(
        "The Alaska Gasline Development Corp did not renew"
    )
    assert output.strip().endswith("; 0 rows created, 2 updated.")


def test_a_status_update_staff_add_is_kept_and_followed(loaded):
    deal = Deal.objects.get(slug=BOEING)
    deal.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2018, 12, 31))

    output = load_demo()

    deal.refresh_from_db()
    assert (deal.status, deal.last_evidence_on) == ("in_progress", datetime.date(2018, 12, 31))
    assert output.strip().endswith("nothing changed.")


def test_it_records_nothing_when_a_fact_is_invalid(db, monkeypatch):
    bad_deal = {**demo.DEALS[-1], "value_currency": "XYZ"}
    monkeypatch.setattr(demo, "DEALS", [*demo.DEALS[:-1], bad_deal])

    with pytest.raises(CommandError, match=CHENIERE_CONTRACTS):
        load_demo()

    assert not Source.objects.exists()
    assert not Deal.objects.exists()
    assert not StatusUpdate.objects.exists()
