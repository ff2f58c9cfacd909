"""The follow-through scorecard (DealQuerySet.follow_through) and the follow-up rules.

The record is `follow_through_record` (tests/conftest.py), reckoned on 1 January 2020.
"""

import datetime
from decimal import Decimal

import pytest

from deals.models import Deal, Outcome, Qualifier
from deals.models.status import follow_up_cutoff, months_before
from tests.factories import CeremonyFactory, DealFactory

BILLION = Decimal("1000000000")
MILLION = Decimal("1000000")
# The follow-through record's ceremony, as its sum honestly states it.
ANNOUNCED = "more than US$3 billion plus about US$80.1 billion plus up to US$500 million"


def scorecard_of(deals, record):
    return deals.follow_through(today=record.today)


def outcome_figures(scorecard):
    return {
        row.outcome: (row.totals.count, row.totals.amount_usd, row.totals.qualifier)
        for row in scorecard.outcomes
    }


def test_every_published_deal_of_a_ceremony_counts_once_under_its_outcome(follow_through_record):
    record = follow_through_record
    card = scorecard_of(Deal.objects.published().filter(ceremony=record.ceremony), record)

    assert outcome_figures(card) == {
        # The beef contract is completed, but its money is within the pledge's figure.
        Outcome.COMPLETED: (2, 1000 * MILLION, Qualifier.EXACT),
        Outcome.IN_PROGRESS: (1, 2000 * MILLION, Qualifier.MORE_THAN),
        Outcome.CANCELLED: (1, 80000 * MILLION, Qualifier.ABOUT),
        # Its follow-on was signed at no ceremony, so the MoU's own figure stands here.
        Outcome.SUPERSEDED: (1, 500 * MILLION, Qualifier.UP_TO),
        # No exchange rate for the yuan: counted, not summed.
        Outcome.SIGNED_ONLY: (1, None, Qualifier.EXACT),
        Outcome.NO_NEWS: (1, None, Qualifier.EXACT),
        # The draft that follows the chips deal supersedes nothing.
        Outcome.STALLED: (1, 100 * MILLION, Qualifier.ABOUT),
    }
    assert [row.outcome for row in card.outcomes] == list(Outcome)
    assert card.totals.count == 8
    assert card.totals.as_stated_usd == 83600 * MILLION
    assert card.totals.unconverted_count == 1
    assert card.totals.undisclosed_count == 1
    # A lower bound of the exact and "more than" figures; the estimates and the "up to"
    # memorandum apart, neither added to it.
    assert card.totals.figures == (
        (Qualifier.MORE_THAN, 3000 * MILLION),
        (Qualifier.ABOUT, 80100 * MILLION),
        (Qualifier.UP_TO, 500 * MILLION),
    )
    assert (
        card.totals.display
        == "more than US$3 billion plus about US$80.1 billion plus up to US$500 million"
    )


def test_the_outcomes_add_up_to_the_whole_and_to_the_ceremony_totals(follow_through_record):
    record = follow_through_record
    deals = Deal.objects.published().filter(ceremony=record.ceremony)
    card = scorecard_of(deals, record)

    assert sum(row.totals.count for row in card.outcomes) == card.totals.count
    assert sum(row.totals.as_stated_usd or 0 for row in card.outcomes) == (
        card.totals.as_stated_usd
    )
    # Without a follow-on in the set, the scorecard's whole is the ceremony's totals.
    assert card.totals == deals.totals()


def test_value_realised_is_the_completed_deals_against_all_announced(follow_through_record):
    record = follow_through_record
    card = scorecard_of(Deal.objects.published().filter(ceremony=record.ceremony), record)

    assert card.realised.amount_usd == BILLION
    assert card.realised_share == 1  # 1 of 83.6 billion, rounded to a whole percent
    assert card.realised_display == (f"US$1 billion of {ANNOUNCED} announced realised (completed).")


def test_the_latest_evidence_and_the_stale_deals_leave_drafts_and_superseded_deals_out(
    follow_through_record,
):
    record = follow_through_record
    card = scorecard_of(Deal.objects.published().filter(ceremony=record.ceremony), record)

    # The draft's update of December 2019 is not evidence the public record shows.
    assert card.latest_evidence_on == datetime.date(2019, 6, 1)
    # The pledge (June 2018), the yuan deal and the expected one (November 2017) and the
    # stalled chips deal (January 2018); the MoU is open but superseded.
    assert card.stale_count == 4
    assert card.follow_up_months == 12
    assert card.display == (
        "8 deals: 1 announced, no news of signing; 1 signed, nothing since; 1 in progress; "
        "2 completed; 1 stalled; 1 cancelled; 1 superseded by a follow-on. "
        f"US$1 billion of {ANNOUNCED} announced realised (completed). "
        "4 deals with no news for more than 12 months."
    )


def test_a_follow_on_in_the_same_set_carries_the_money_of_the_deal_it_supersedes(
    follow_through_record,
):
    record = follow_through_record
    deals = Deal.objects.published().filter(slug__in=["mou", "contract"])
    card = scorecard_of(deals, record)

    figures = outcome_figures(card)
    assert figures[Outcome.SUPERSEDED] == (1, None, Qualifier.EXACT)
    assert figures[Outcome.IN_PROGRESS] == (1, 300 * MILLION, Qualifier.EXACT)
    assert card.totals.count == 2
    assert card.totals.amount_usd == 300 * MILLION
    # totals() knows umbrellas only, so it adds both figures ("up to" kept apart).
    assert deals.totals().as_stated_usd == 800 * MILLION
    assert deals.totals().display == "US$300 million plus up to US$500 million"


def test_a_partys_scorecard_counts_every_deal_it_signed(follow_through_record):
    record = follow_through_record
    card = scorecard_of(Deal.objects.published().involving(record.seller), record)

    # The ceremony's eight and the contract; the contract carries the MoU's money.
    assert card.totals.count == 9
    assert card.totals.as_stated_usd == (83600 - 500 + 300) * MILLION
    assert card.outcome(Outcome.IN_PROGRESS).totals.count == 2


def test_a_scorecard_of_no_deals_is_empty_and_says_so(db):
    card = Deal.objects.published().none().follow_through()
    empty = Deal.objects.published().filter(slug="nothing").follow_through()

    for scorecard in (card, empty):
        assert scorecard.totals.count == 0
        assert scorecard.latest_evidence_on is None
        assert scorecard.stale_count == 0
        assert scorecard.realised_share is None
        assert scorecard.realised_display == "No deals are recorded here yet."


def test_the_scorecard_is_one_query_however_many_deals(
    follow_through_record, django_assert_num_queries
):
    record = follow_through_record
    for _ in range(20):
        DealFactory(ceremony=record.ceremony)
    with django_assert_num_queries(1):
        Deal.objects.published().filter(ceremony=record.ceremony).follow_through()


def test_the_outcome_of_a_deal_is_its_status_unless_a_published_follow_on_supersedes_it(
    follow_through_record,
):
    record = follow_through_record

    assert record.mou.outcome() == Outcome.SUPERSEDED
    assert record.chips.outcome() == Outcome.STALLED  # followed by a draft only
    assert record.expected.outcome() == Outcome.NO_NEWS
    assert record.yuan.outcome() == Outcome.SIGNED_ONLY
    assert record.mou.outcome(superseded=False) == Outcome.SIGNED_ONLY


def test_no_news_since_names_the_latest_evidence_of_an_open_deal_gone_quiet(
    follow_through_record,
):
    record = follow_through_record
    today = record.today

    assert record.pledge.no_news_since(today=today) == datetime.date(2018, 6, 1)
    assert record.yuan.no_news_since(today=today) == datetime.date(2017, 11, 8)
    assert record.contract.no_news_since(today=today) is None  # news in February 2019
    assert record.aircraft.no_news_since(today=today) is None  # completed: settled
    assert record.gas.no_news_since(today=today) is None  # cancelled: settled
    assert record.mou.no_news_since(superseded=True, today=today) is None


def test_the_follow_up_list_holds_open_published_deals_without_news_oldest_first(
    follow_through_record,
):
    record = follow_through_record
    listed = Deal.objects.published().needing_follow_up(today=record.today)

    assert [deal.slug for deal in listed] == ["expected", "yuan", "chips", "pledge"]


def test_the_follow_up_period_is_a_setting(follow_through_record, settings):
    record = follow_through_record
    settings.FOLLOW_UP_MONTHS = 24  # the cutoff moves back to 1 January 2018

    listed = Deal.objects.published().needing_follow_up(today=record.today)
    card = scorecard_of(Deal.objects.published().filter(ceremony=record.ceremony), record)

    assert [deal.slug for deal in listed] == ["expected", "yuan"]
    assert card.stale_count == 2
    assert card.follow_up_months == 24


def test_the_latest_evidence_follows_status_updates_and_their_removal(follow_through_record):
    record = follow_through_record
    pledge = record.pledge
    assert pledge.last_evidence_on == datetime.date(2018, 6, 1)

    pledge.record_status(Deal.Status.COMPLETED, on=datetime.date(2019, 10, 1))
    pledge.refresh_from_db()
    assert (pledge.status, pledge.last_evidence_on) == (
        Deal.Status.COMPLETED,
        datetime.date(2019, 10, 1),
    )

    pledge.status_updates.all().delete()
    pledge.sync_status()
    pledge.refresh_from_db()
    assert pledge.last_evidence_on == pledge.signed_on == datetime.date(2017, 11, 8)


def test_a_ceremony_moved_to_another_date_moves_the_evidence_of_its_undated_deals(
    follow_through_record,
):
    record = follow_through_record
    ceremony = record.ceremony
    ceremony.date = datetime.date(2017, 11, 9)
    ceremony.save()

    record.expected.refresh_from_db()
    record.aircraft.refresh_from_db()
    assert record.expected.last_evidence_on == datetime.date(2017, 11, 9)
    assert record.aircraft.last_evidence_on == datetime.date(2019, 6, 1)


def test_a_deal_saved_without_updates_takes_its_signing_else_its_ceremony_as_evidence(db):
    ceremony = CeremonyFactory(date=datetime.date(2018, 4, 1))
    signed = DealFactory(ceremony=ceremony, signed_on=datetime.date(2018, 4, 2))
    undated = DealFactory(ceremony=ceremony, signed_on=None)
    loose = DealFactory(ceremony=None, signed_on=None)

    assert signed.last_evidence_on == datetime.date(2018, 4, 2)
    assert undated.last_evidence_on == datetime.date(2018, 4, 1)
    assert loose.last_evidence_on is None


def test_refresh_last_evidence_recomputes_it_in_bulk(follow_through_record):
    Deal.objects.update(last_evidence_on=None)

    changed = Deal.objects.all().refresh_last_evidence()

    assert changed == Deal.objects.count()
    evidence = dict(Deal.objects.values_list("slug", "last_evidence_on"))
    assert evidence["pledge"] == datetime.date(2018, 6, 1)
    assert evidence["expected"] == datetime.date(2017, 11, 8)  # the ceremony's date
    assert evidence["contract"] == datetime.date(2019, 2, 1)
    assert evidence["mou"] == datetime.date(2017, 11, 8)  # signed with its ceremony


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2020, 1, 1), 12, datetime.date(2019, 1, 1)),
        (datetime.date(2020, 3, 31), 1, datetime.date(2020, 2, 29)),
        (datetime.date(2021, 3, 31), 13, datetime.date(2020, 2, 29)),
        (datetime.date(2020, 1, 15), 1, datetime.date(2019, 12, 15)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_before(day, months) == expected


def test_the_follow_up_cutoff_counts_back_from_today(settings):
    settings.FOLLOW_UP_MONTHS = 6
    assert follow_up_cutoff(datetime.date(2020, 8, 31)) == datetime.date(2020, 2, 29)


def test_a_sum_without_a_us_dollar_figure_says_why(follow_through_record):
    record = follow_through_record
    card = scorecard_of(Deal.objects.published().filter(ceremony=record.ceremony), record)

    assert card.outcome(Outcome.SIGNED_ONLY).totals.display == "not converted to US dollars"
    assert card.outcome(Outcome.NO_NEWS).totals.display == "undisclosed"
    empty = Deal.objects.published().filter(slug="nothing").follow_through()
    assert empty.outcome(Outcome.COMPLETED).totals.display == "none"
    both = scorecard_of(Deal.objects.published().filter(slug__in=["yuan", "expected"]), record)
    assert both.totals.display == "undisclosed or not converted"


def test_the_remembered_scorecard_is_kept_per_day(follow_through_record, settings, monkeypatch):
    from deals.models import deal_queries

    settings.PUBLIC_CACHE_SECONDS = 600
    deals = Deal.objects.published().filter(ceremony=follow_through_record.ceremony)
    monkeypatch.setattr(deal_queries.timezone, "localdate", lambda: datetime.date(2019, 1, 2))
    before = deals.remembered_follow_through()
    monkeypatch.setattr(deal_queries.timezone, "localdate", lambda: datetime.date(2020, 1, 1))
    after = deals.remembered_follow_through()

    # On 2 January 2019 the pledge's news of June 2018 was recent; a year later it is not.
    assert (before.stale_count, after.stale_count) == (3, 4)
