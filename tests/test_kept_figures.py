"""Kept figures (deals/models/figures.py) always equal the live QuerySet figures.

For every scope of a hand-built record (both fixtures of issue 11: umbrellas, a
follow-on, an unconverted currency, drafts, a party group) and after every kind of
write that can change a figure, the kept rows give the same totals, scorecard, sector
and period sums as `DealQuerySet` computes over the published deals.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from deals.filters import DealFilter
from deals.models import (
    Ceremony,
    Deal,
    DealParty,
    FigureRow,
    FigureSum,
    Occasion,
    Party,
    Sector,
    StaleDeal,
    figure_sums,
    figures,
)
from deals.models.figures import ALL, bring_up_to_date, forget_check, rebuild
from tests.factories import (
    DealFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    SectorFactory,
)

TODAY = datetime.date(2020, 1, 1)


def live_scopes():
    """{key: the published deals the scope holds}, computed the live way."""
    published = Deal.objects.published()
    scopes = {ALL: published}
    for pk in Ceremony.objects.values_list("pk", flat=True):
        scopes[f"ceremony:{pk}"] = published.filter(ceremony=pk)
    for pk in Occasion.objects.values_list("pk", flat=True):
        scopes[f"occasion:{pk}"] = published.filter(ceremony__occasion=pk)
    for sector in Sector.objects.all():
        scopes[f"sector:{sector.pk}"] = published.in_sector(sector)
    for party in Party.objects.all():
        scopes[f"party:{party.pk}"] = published.involving(party)
        scopes[f"group:{party.pk}"] = published.involving_any(party.with_subsidiaries_ids())
    for code in set(Party.objects.exclude(country="").values_list("country", flat=True)):
        scopes[f"country:{code}"] = published.from_country(code)
    return scopes


def assert_kept_equals_live():
    kept = FigureRow.objects.current()
    assert not StaleDeal.objects.exists()
    for key, deals in live_scopes().items():
        totals, scorecard = kept.of(key).summary(today=TODAY)
        assert totals == deals.totals(), key
        assert scorecard == deals.follow_through(today=TODAY), key
    published = Deal.objects.published()
    assert kept.of(ALL).totals_by_section() == published.totals_by_section()
    for period in ("year", "month"):
        assert kept.of(ALL).totals_by_period(period) == published.totals_by_period(period)
    by_ceremony = published.totals_by_ceremony()
    keys = [f"ceremony:{pk}" for pk in by_ceremony]
    assert kept.totals_by_scope(keys) == {f"ceremony:{pk}": t for pk, t in by_ceremony.items()}
    assert_sums_equal_rows()


def assert_sums_equal_rows():
    """The kept sums hold what their rows add up to, no more, no less, and give the
    same totals, charts and reconciliations as the rows."""
    sums = FigureSum.objects.all()
    held = {tuple(getattr(s, name) for name in figure_sums.KEY): (s.n, s.usd) for s in sums}
    assert held == figure_sums.grouped(FigureRow.objects.all())
    assert all(n > 0 for n, _usd in held.values())
    rows = FigureRow.objects.all()
    for key in set(rows.values_list("scope", flat=True)):
        assert sums.of(key).totals() == rows.of(key).totals(), key
    assert sums.of(ALL).totals_by_section() == rows.of(ALL).totals_by_section()
    for period in ("year", "month"):
        assert sums.of(ALL).totals_by_period(period) == rows.of(ALL).totals_by_period(period)
    assert sums.totals_by_country() == rows.totals_by_country()


@pytest.fixture
def record(scope_record, follow_through_record):
    assert_kept_equals_live()
    return scope_record, follow_through_record


def test_the_kept_rows_of_the_hand_built_record_equal_the_live_figures(record):
    scopes, _ = record
    rows = FigureRow.objects.current()
    # A draft has no row in any scope; a published deal has one in "all".
    assert not rows.filter(deal__is_published=False).exists()
    assert rows.of(ALL).count() == Deal.objects.published().count()
    # The held component and the carried memorandum are decided per scope.
    assert rows.filter(is_held=True).exists()
    assert rows.filter(is_carried=True).exists()


def test_a_changed_amount_shows_in_every_scope(record):
    _, ft = record
    ft.gas.value_amount = Decimal("70000000000")
    ft.gas.save()
    assert StaleDeal.objects.filter(deal_id=ft.gas.pk).exists()
    assert_kept_equals_live()


def test_an_unpublished_umbrella_releases_its_components(record):
    _, ft = record
    ft.pledge.is_published = False
    ft.pledge.save()
    assert_kept_equals_live()


def test_a_published_follow_on_supersedes_the_deal_it_follows(record):
    _, ft = record
    ft.draft.is_published = True
    ft.draft.save()
    assert_kept_equals_live()


def test_a_deal_that_changes_what_it_follows(record):
    _, ft = record
    ft.contract.follows = ft.gas
    ft.contract.save()
    assert_kept_equals_live()
    ft.contract.follows = None
    ft.contract.save()
    assert_kept_equals_live()


def test_parties_added_and_removed(record):
    scopes, ft = record
    DealParty.objects.filter(deal=ft.aircraft, party=ft.seller).delete()
    assert_kept_equals_live()
    newcomer = PartyFactory(name="Newcomer", slug="newcomer", country="FR", parent=ft.buyer)
    DealParty.objects.create(deal=ft.pledge, party=newcomer, role=DealParty.Role.SELLER)
    assert_kept_equals_live()


def test_a_party_that_moves_country_or_group(record):
    scopes, ft = record
    ft.seller.country = "GB"
    ft.seller.save()
    assert_kept_equals_live()
    ft.seller.parent = ft.buyer
    ft.seller.save()
    assert_kept_equals_live()
    ft.seller.parent = None
    ft.seller.save()
    assert_kept_equals_live()


def test_a_sector_that_moves_section(record):
    other = SectorFactory(name="Other section", slug="other-section")
    division = Sector.objects.filter(parent__isnull=False).first()
    division.parent = other
    division.save()
    assert_kept_equals_live()


def test_a_ceremony_that_moves_occasion_or_date(record):
    _, ft = record
    ft.ceremony.occasion = OccasionFactory(name="Another visit", slug="another-visit")
    ft.ceremony.save()
    assert_kept_equals_live()
    ft.ceremony.date = datetime.date(2016, 5, 5)
    ft.ceremony.save()
    assert_kept_equals_live()


def test_a_status_update_moves_a_deal_between_outcomes(record):
    _, ft = record
    ft.chips.record_status(Deal.Status.COMPLETED, on=datetime.date(2019, 10, 1), source=ft.source)
    assert_kept_equals_live()


def test_a_deleted_follow_on_restores_the_deal_it_followed(record):
    _, ft = record
    ft.contract.delete()
    assert_kept_equals_live()


def test_a_new_exchange_rate_converts_a_deal_in_every_scope(record):
    _, ft = record
    ExchangeRateFactory(currency="CNY", date=datetime.date(2017, 11, 8))
    Deal.objects.all().recompute_usd(currency="CNY")
    assert Deal.objects.get(pk=ft.yuan.pk).value_amount_usd is not None
    assert_kept_equals_live()


def test_rebuilding_gives_the_rows_kept_by_the_writes(record):
    _, ft = record
    ft.gas.value_amount = Decimal("1")
    ft.gas.save()
    bring_up_to_date()
    columns = [f.attname for f in FigureRow._meta.concrete_fields if f.attname != "id"]
    kept = set(FigureRow.objects.values_list(*columns))
    assert rebuild() == len(kept)
    assert set(FigureRow.objects.values_list(*columns)) == kept


def test_nothing_to_recompute_costs_one_query_then_none(record, django_assert_num_queries):
    forget_check()  # as a new request does
    with django_assert_num_queries(1):
        bring_up_to_date()
    # The same request reading another scope checks no more, until it writes a mark.
    with django_assert_num_queries(0):
        bring_up_to_date()
    _, ft = record
    ft.gas.value_amount = Decimal("1")
    ft.gas.save()
    assert not FigureRow.objects.filter(deal=ft.gas, value_amount_usd=1).exists()
    assert FigureRow.objects.current().filter(deal=ft.gas, value_amount_usd=1).exists()


def test_recomputing_costs_as_many_queries_for_30_marked_deals_as_for_3(
    record, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scopes, _ = record
    # The deepest group first, so both counts walk every level of the groups.
    deepest = list(Deal.objects.published().involving(scopes.bell_canada))
    deals = deepest + list(Deal.objects.published().exclude(pk__in=[d.pk for d in deepest]))

    def recompute(count):
        for deal in (deals * 4)[:count]:
            StaleDeal.mark(deal.pk)
        with CaptureQueriesContext(connection) as queries:
            bring_up_to_date()
        assert not StaleDeal.objects.exists()
        return len(queries)

    assert recompute(3) == recompute(30)


def test_a_sections_page_counts_its_divisions_deals_from_the_kept_figures(client, record):
    scopes, _ = record
    division = Sector.objects.get(slug="test-food")

    def shown():
        html = client.get(division.parent.get_absolute_url()).content.decode()
        return html.split(">Test food</a>")[1].split("</li>")[0]

    count = Deal.objects.published().filter(sector=division).count()
    assert f"({count} deal" in shown()
    DealFactory(sector=division, title="Another food deal")  # published: one more
    assert f"({count + 1} deal" in shown()


# Committing tests: what happens at a real commit. serialized_rollback restores the
# database as the later tests expect.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def counting_recomputations(monkeypatch):
    done = []
    real = figures._recompute

    def counted(using):
        done.append(StaleDeal.objects.count())
        real(using)

    monkeypatch.setattr(figures, "_recompute", counted)
    return done


@committing
def test_an_edit_recomputes_what_it_marked_when_it_commits(record, monkeypatch):
    _, ft = record
    done = counting_recomputations(monkeypatch)
    with transaction.atomic():
        ft.gas.value_amount = Decimal("70000000000")
        ft.gas.save()
        DealParty.objects.filter(deal=ft.gas).first().save()
        assert StaleDeal.objects.filter(deal_id=ft.gas.pk).exists()
        assert not done  # nothing before the commit

    # One recomputation for the transaction's marks, at its commit: the next reader
    # finds nothing marked and the figures current.
    assert len(done) == 1 and done[0] >= 2
    assert not StaleDeal.objects.exists()
    assert FigureRow.objects.filter(deal=ft.gas, value_amount_usd=70000000000).exists()
    assert_kept_equals_live()


@committing
def test_a_large_change_is_left_to_the_next_reader(record, monkeypatch):
    monkeypatch.setattr(figures, "RECOMPUTE_ON_COMMIT_UP_TO", 2)
    done = counting_recomputations(monkeypatch)
    with transaction.atomic():
        StaleDeal.mark_selection(Deal.objects.published())

    assert not done
    assert StaleDeal.objects.count() == Deal.objects.published().count()
    assert_kept_equals_live()  # the reader recomputes
    assert len(done) == 1


@committing
def test_a_failed_recomputation_at_commit_keeps_the_write_and_its_marks(
    record, monkeypatch, caplog
):
    def broken(using):
        raise RuntimeError("database went away")

    monkeypatch.setattr(figures, "_recompute", broken)
    _, ft = record
    with transaction.atomic():
        ft.gas.value_amount = Decimal("1")
        ft.gas.save()

    assert Deal.objects.get(pk=ft.gas.pk).value_amount == 1
    assert StaleDeal.objects.filter(deal_id=ft.gas.pk).exists()
    assert "database went away" in caplog.text
    monkeypatch.undo()
    assert_kept_equals_live()  # the next reader recomputes


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?country=US",
        "?ceremony=great-hall",
        "?occasion=state-visit",
        "?sector=test-manufacturing",
        "?party=textron",
        "?party=textron&ordering=-value",
    ],
)
def test_a_browse_page_of_one_scope_reads_its_totals_from_the_kept_sums(
    client, record, query, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE_SECONDS = 0  # every answer made and every figure read afresh
    client.get("/deals/" + query)  # the record's marks recomputed, the lists remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/deals/" + query)

    filtered = DealFilter(response.wsgi_request.GET or None, queryset=Deal.objects.published())
    assert response.context["totals"] == filtered.qs.totals()
    assert response.context["paginator"].count == filtered.qs.count() > 0
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # The totals from the sums, the page's count from the totals: the deals are neither
    # counted nor summed.
    assert "deals_figuresum" in sql
    assert 'COUNT(*) AS "__count" FROM "deals_deal"' not in sql
    assert 'SUM("deals_deal"' not in sql


def test_a_browse_page_of_two_filters_computes_its_totals(client, record, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the page made, not answered from the cache
    response = client.get("/deals/?country=US&status=signed")

    filtered = Deal.objects.published().from_country("US").filter(status="signed")
    assert response.context["totals"] == filtered.totals()
    assert response.context["paginator"].count == filtered.count() > 0
