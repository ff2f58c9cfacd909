"""Rules across fields (clean()), derived values, publishing and status of the domain."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deals import presentation
from deals.models import Deal, ExchangeRate, Qualifier, Sector, StatusUpdate
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    PublishableDealFactory,
    SectorFactory,
    UserFactory,
)

SIGNED_IN_BEIJING = datetime.date(2017, 11, 8)


def clean_errors(obj):
    """The errors full_clean() reports, by field, as the admin and the API would show them."""
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    return refused.value.message_dict


# --- clean(): the value -----------------------------------------------------------------


def test_an_undisclosed_value_with_an_amount_is_refused_on_the_amount(db):
    deal = DealFactory(value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)
    deal.value_amount = Decimal("2000000000")

    assert clean_errors(deal) == {
        "value_amount": ["Leave the amount empty when the value is undisclosed."]
    }


def test_a_disclosed_value_without_an_amount_is_refused_on_the_amount(db):
    deal = DealFactory(value_qualifier=Qualifier.MORE_THAN)
    deal.value_amount = None

    assert clean_errors(deal) == {
        "value_amount": ["Give the amount, or mark the value as undisclosed."]
    }


def test_an_undisclosed_value_without_an_amount_is_clean(db):
    deal = DealFactory(value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)

    deal.full_clean()


def test_a_currency_of_three_capitals_that_is_not_iso_4217_is_refused(db):
    deal = DealFactory()
    deal.value_currency = "XYZ"  # passes the database's pattern, but is no currency

    assert clean_errors(deal) == {
        "value_currency": ["XYZ is not an ISO 4217 currency code (e.g. USD, CNY, EUR)."]
    }


def test_a_currency_in_lower_case_is_refused_with_the_expected_form(db):
    deal = DealFactory()
    deal.value_currency = "cny"

    assert (
        "Use the three capital letters of ISO 4217, e.g. USD."
        in (clean_errors(deal)["value_currency"])
    )


# --- clean(): the term ------------------------------------------------------------------


def test_a_term_that_ends_before_it_starts_is_refused_on_the_end_date(db):
    deal = DealFactory(term_start_date=datetime.date(2018, 1, 1))
    deal.term_end_date = datetime.date(2017, 12, 31)

    assert clean_errors(deal) == {"term_end_date": ["The term cannot end before it starts."]}


def test_a_term_that_ends_the_day_it_starts_is_clean(db):
    deal = DealFactory(
        term_start_date=datetime.date(2018, 1, 1), term_end_date=datetime.date(2018, 1, 1)
    )

    deal.full_clean()


def test_a_term_of_zero_months_is_refused(db):
    deal = DealFactory()
    deal.term_months = 0

    assert list(clean_errors(deal)) == ["term_months"]


# --- clean(): umbrellas and follow-ons ------------------------------------------------------


def test_a_deal_cannot_be_its_own_umbrella(db):
    deal = DealFactory()
    deal.umbrella = deal

    assert clean_errors(deal) == {
        "umbrella": ["A deal cannot be linked to itself, directly or through others."]
    }


def test_a_component_cannot_serve_as_an_umbrella(db):
    pledge = DealFactory(title="JD.com purchase pledge")
    beef = DealFactory(title="Beef and pork contracts", umbrella=pledge)
    deal = DealFactory()
    deal.umbrella = beef

    assert clean_errors(deal) == {
        "umbrella": [
            "“Beef and pork contracts” is itself part of another deal; choose that deal instead."
        ]
    }


def test_a_deal_with_components_cannot_become_a_component(db):
    pledge = DealFactory()
    DealFactory(umbrella=pledge, ceremony=pledge.ceremony)
    pledge.umbrella = DealFactory()

    assert clean_errors(pledge) == {
        "umbrella": ["This deal holds components of its own, so it cannot be part of another deal."]
    }


def test_a_component_of_a_top_level_deal_is_clean(db):
    pledge = DealFactory()
    component = DealFactory(ceremony=pledge.ceremony)
    component.umbrella = pledge

    component.full_clean()


def test_two_deals_cannot_follow_each_other(db):
    memorandum = DealFactory(instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING)
    contract = DealFactory(instrument=Deal.Instrument.CONTRACT, follows=memorandum)
    memorandum.follows = contract

    assert clean_errors(memorandum) == {
        "follows": ["A deal cannot be linked to itself, directly or through others."]
    }


def test_a_chain_of_follow_ons_without_a_loop_is_clean(db):
    letter = DealFactory(instrument=Deal.Instrument.LETTER_OF_INTENT)
    memorandum = DealFactory(follows=letter)
    contract = DealFactory()
    contract.follows = memorandum

    contract.full_clean()


def test_a_loop_of_follow_ons_not_through_the_deal_itself_is_refused(db):
    first = DealFactory()
    second = DealFactory(follows=first)
    # Bypass clean() to store the loop first -> second -> first, as bad data might.
    Deal.objects.filter(pk=first.pk).update(follows=second)
    newcomer = DealFactory()
    newcomer.follows = Deal.objects.get(pk=second.pk)  # as a form would load it

    assert clean_errors(newcomer) == {"follows": ["These links form a loop."]}


# --- clean(): sectors, parties, occasions, ceremonies -------------------------------------


def test_a_sector_cannot_sit_three_levels_deep(db):
    division = Sector.objects.get(code="10")  # Manufacture of food products, in section C
    sector = SectorFactory()
    sector.parent = division

    assert clean_errors(sector) == {
        "parent": ["Sectors have two levels: the parent must be a section."]
    }


def test_a_section_with_divisions_cannot_become_a_division(db):
    manufacturing = Sector.objects.get(code="C")
    manufacturing.parent = Sector.objects.get(code="A")

    assert clean_errors(manufacturing) == {
        "parent": ["This sector has divisions of its own, so it must stay a section."]
    }


def test_a_sector_cannot_be_its_own_parent(db):
    sector = SectorFactory()
    # As the admin form does: the chosen parent is a fresh copy of the same row.
    sector.parent = Sector.objects.get(pk=sector.pk)

    assert clean_errors(sector) == {"parent": ["A sector cannot be its own parent."]}


def test_a_new_division_of_a_section_is_clean(db):
    SectorFactory(parent=Sector.objects.get(code="C")).full_clean()


def test_a_party_cannot_be_its_own_parent(db):
    party = PartyFactory()
    party.parent = party

    assert clean_errors(party) == {"parent": ["A party cannot belong to itself."]}


def test_two_parties_cannot_own_each_other(db):
    textron = PartyFactory(name="Textron")
    bell = PartyFactory(name="Bell Helicopter", parent=textron)
    textron.parent = bell

    assert clean_errors(textron) == {"parent": ["A party cannot belong to itself."]}


def test_a_subsidiary_of_a_group_is_clean(db):
    bell = PartyFactory(name="Bell Helicopter")
    bell.parent = PartyFactory(name="Textron")

    bell.full_clean()


def test_an_occasion_cannot_end_before_it_starts(db):
    occasion = OccasionFactory(start_date=datetime.date(2017, 11, 8))
    occasion.end_date = datetime.date(2017, 11, 7)

    assert clean_errors(occasion) == {"end_date": ["The end date cannot be before the start date."]}


def test_an_announced_headline_with_a_qualifier_needs_an_amount(db):
    ceremony = CeremonyFactory()
    ceremony.announced_value_qualifier = Qualifier.ABOUT

    assert clean_errors(ceremony) == {
        "announced_value_amount": ["Give the amount, or mark the value as undisclosed."]
    }


# --- derived values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "is_binding"),
    [
        (Deal.Instrument.CONTRACT, True),
        (Deal.Instrument.FRAMEWORK_AGREEMENT, True),
        (Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING, False),
        (Deal.Instrument.LETTER_OF_INTENT, False),
        (Deal.Instrument.OTHER, None),
        (Deal.Instrument.UNKNOWN, None),
    ],
    ids=lambda value: str(value),
)
def test_binding_force_follows_from_the_instrument(instrument, is_binding):
    assert Deal(instrument=instrument).is_binding is is_binding


def test_every_instrument_has_a_known_binding_force_or_an_explicit_none():
    listed = {*Deal.BINDING_INSTRUMENTS, *Deal.NON_BINDING_INSTRUMENTS}

    assert listed | {Deal.Instrument.OTHER, Deal.Instrument.UNKNOWN} == set(Deal.Instrument)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "value_amount": Decimal("2000000000"),
                "value_qualifier": Qualifier.MORE_THAN,
                "value_basis": Deal.Basis.PURCHASE_COMMITMENT,
            },
            "more than US$2 billion in purchase commitments",
        ),
        (
            {
                "value_amount": Decimal("5000000000"),
                "value_currency": "CNY",
                "value_basis": Deal.Basis.LIST_PRICE,
            },
            "RMB 5 billion at list prices (about US$756 million)",
        ),
        ({"value_amount": None, "value_qualifier": Qualifier.UNDISCLOSED}, "undisclosed"),
    ],
    ids=["more than", "converted", "undisclosed"],
)
def test_a_deal_writes_its_value_as_the_presentation_module_does(db, fields, expected):
    ExchangeRateFactory(currency="CNY", date=SIGNED_IN_BEIJING, rate_to_usd=Decimal("0.1512"))
    deal = DealFactory(**fields)

    assert deal.value_display == expected
    assert deal.value_display == presentation.format_value(
        deal.value_amount,
        deal.value_currency,
        deal.value_qualifier,
        deal.value_basis,
        deal.value_amount_usd,
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"term_months": 36}, "3 years"),
        ({"term_months": 18}, "18 months"),
        (
            {
                "term_months": 36,
                "term_start_date": datetime.date(2018, 1, 1),
                "term_end_date": datetime.date(2020, 12, 31),
            },
            "3 years (1 Jan 2018 – 31 Dec 2020)",
        ),
        ({}, ""),
    ],
    ids=["years", "months", "with dates", "unknown"],
)
def test_a_deal_writes_its_term_as_the_presentation_module_does(db, fields, expected):
    deal = DealFactory(**fields)

    assert deal.term_display == expected
    assert deal.term_display == presentation.format_term(
        deal.term_months, deal.term_start_date, deal.term_end_date
    )


def test_value_and_term_displays_are_delegated_to_the_presentation_functions(monkeypatch):
    calls = []
    monkeypatch.setattr("deals.models.deals.format_value", lambda *args: calls.append(args) or "V")
    monkeypatch.setattr("deals.models.deals.format_term", lambda *args: calls.append(args) or "T")
    deal = Deal(value_amount=Decimal("1"), term_months=12)

    assert (deal.value_display, deal.term_display) == ("V", "T")
    assert calls == [
        (Decimal("1"), "USD", Qualifier.EXACT, Deal.Basis.UNSPECIFIED, None),
        (12, None, None),
    ]


def test_a_ceremony_writes_its_announced_headline(db):
    ceremony = CeremonyFactory(
        announced_value_amount=Decimal("9000000000"), announced_value_qualifier=Qualifier.ABOUT
    )

    assert ceremony.announced_value_display == "about US$9 billion"


def test_a_usd_deal_keeps_its_amount_as_its_usd_amount(db):
    deal = DealFactory(value_amount=Decimal("1200000000.50"))

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("1200000000.50")


def test_the_usd_amount_follows_a_changed_amount_on_save(db):
    ExchangeRateFactory(currency="CNY", date=SIGNED_IN_BEIJING, rate_to_usd=Decimal("0.1512"))
    deal = DealFactory(value_currency="CNY", value_amount=Decimal("1000"))

    deal.value_amount = Decimal("2000")
    deal.save()

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("302.40")


def test_a_partial_save_also_refreshes_the_usd_amount(db):
    deal = PublishableDealFactory(
        value_currency="CNY", value_amount=Decimal("1000"), is_published=False
    )
    assert deal.value_amount_usd is None  # no CNY rate yet
    ExchangeRateFactory(currency="CNY", date=SIGNED_IN_BEIJING, rate_to_usd=Decimal("0.1512"))

    deal.publish(user=UserFactory())

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("151.20")


def test_the_conversion_date_is_the_signing_date_when_known(db):
    deal = DealFactory(signed_on=datetime.date(2017, 11, 9))

    assert deal.conversion_date == datetime.date(2017, 11, 9)


def test_the_conversion_date_falls_back_to_the_ceremony_date(db):
    deal = DealFactory(signed_on=None, ceremony=CeremonyFactory(date=datetime.date(2017, 11, 9)))

    assert deal.conversion_date == datetime.date(2017, 11, 9)


def test_the_conversion_date_falls_back_to_the_day_of_entry(db):
    deal = DealFactory(signed_on=None, ceremony=None)

    assert deal.conversion_date == deal.created_at.date()


# --- publishing --------------------------------------------------------------------------


def test_publishing_a_draft_stamps_when_and_by_whom(db):
    editor = UserFactory()
    deal = PublishableDealFactory(is_published=False)
    assert deal.published_at is None
    assert not Deal.objects.published().filter(pk=deal.pk).exists()
    before = timezone.now()

    deal.publish(user=editor)

    deal.refresh_from_db()
    assert deal.is_published
    assert before <= deal.published_at <= timezone.now()
    assert deal.updated_by == editor
    assert Deal.objects.published().filter(pk=deal.pk).exists()


def test_publishing_again_keeps_the_first_publication_time(db):
    editor = UserFactory()
    deal = PublishableDealFactory(is_published=False)
    deal.publish(user=editor)
    first_published_at = Deal.objects.get(pk=deal.pk).published_at

    deal.unpublish(user=editor)
    deal.refresh_from_db()
    assert not deal.is_published
    assert deal.published_at == first_published_at

    deal.publish(user=editor)
    deal.refresh_from_db()
    assert deal.is_published
    assert deal.published_at == first_published_at


def test_publishing_leaves_other_unsaved_changes_alone(db):
    deal = PublishableDealFactory(is_published=False, title="Boeing sale")
    deal.title = "Changed but not saved"

    deal.publish(user=UserFactory())

    deal.refresh_from_db()
    assert deal.title == "Boeing sale"
    assert deal.is_published


# --- status ------------------------------------------------------------------------------


def test_recording_a_status_makes_it_the_deals_status(db):
    deal = DealFactory(status=Deal.Status.SIGNED)

    update = deal.record_status(
        Deal.Status.IN_PROGRESS, on=datetime.date(2018, 3, 1), note="First deliveries."
    )

    deal.refresh_from_db()
    assert deal.status == Deal.Status.IN_PROGRESS
    assert StatusUpdate.objects.get(pk=update.pk).note == "First deliveries."


def test_an_update_dated_earlier_than_the_latest_does_not_change_the_status(db):
    deal = DealFactory()
    deal.record_status(Deal.Status.COMPLETED, on=datetime.date(2019, 6, 1))

    deal.record_status(Deal.Status.STALLED, on=datetime.date(2018, 6, 1))

    deal.refresh_from_db()
    assert deal.status == Deal.Status.COMPLETED
    assert deal.status_updates.count() == 2


def test_of_two_updates_on_one_day_the_later_recorded_wins(db):
    deal = DealFactory()
    deal.record_status(Deal.Status.STALLED, on=datetime.date(2018, 6, 1))

    deal.record_status(Deal.Status.CANCELLED, on=datetime.date(2018, 6, 1))

    deal.refresh_from_db()
    assert deal.status == Deal.Status.CANCELLED


def test_syncing_after_the_latest_update_is_removed_falls_back_to_the_one_before(db):
    deal = DealFactory()
    deal.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2018, 3, 1))
    mistaken = deal.record_status(Deal.Status.CANCELLED, on=datetime.date(2019, 1, 1))

    mistaken.delete()
    deal.sync_status()

    deal.refresh_from_db()
    assert deal.status == Deal.Status.IN_PROGRESS


def test_syncing_without_updates_keeps_the_status(db):
    deal = DealFactory(status=Deal.Status.ANNOUNCED)

    deal.sync_status()

    deal.refresh_from_db()
    assert deal.status == Deal.Status.ANNOUNCED


def test_an_amount_beyond_any_deal_on_record_is_a_field_error(db):
    deal = DealFactory.build(
        sector=SectorFactory(), ceremony=None, value_amount=Decimal("100000000000001")
    )
    with pytest.raises(ValidationError) as caught:
        deal.full_clean()
    assert "value_amount" in caught.value.message_dict


def test_a_mistyped_rate_leaves_the_deal_unconverted_instead_of_failing(db):
    ExchangeRate.objects.create(
        currency="JPY", date=datetime.date(2017, 11, 8), rate_to_usd=Decimal("99999")
    )
    deal = DealFactory(value_amount=Decimal("99999999999999"), value_currency="JPY")
    deal.refresh_from_db()
    assert deal.value_amount_usd is None


def test_a_deal_cannot_take_the_slug_of_the_csv_download(db):
    deal = DealFactory.build(sector=SectorFactory(), ceremony=None, slug="csv")
    with pytest.raises(ValidationError) as caught:
        deal.full_clean()
    assert "slug" in caught.value.message_dict


def test_the_signing_years_are_those_of_published_deals_newest_first(db):
    for day in ["2017-11-08", "2017-12-31", "2019-01-01", "2020-06-30"]:
        DealFactory(signed_on=datetime.date.fromisoformat(day), ceremony=None)
    DealFactory(signed_on=datetime.date(2015, 5, 5), ceremony=None, is_published=False)
    DealFactory(signed_on=None, ceremony=None)

    years = Deal.objects.signing_years()

    assert years == [2020, 2019, 2017]
    published = Deal.objects.published()
    assert years == [day.year for day in published.dates("signed_on", "year", "DESC")]
    Deal.objects.update(is_published=False)
    assert Deal.objects.signing_years() == []
