"""How qualifiers combine in a sum (issue 16.5): `sum_figures`, and every surface that
writes a total through it (docs/methodology.md).

The property: whatever each part's true value, within what its qualifier allows, the
true sum lies within what the figures state together ("more than X" below, "up to Y"
above, "about" within ABOUT_TOLERANCE), and an "up to" part never adds to a floor.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from deals.admin.dashboard import ceremony_disagreements
from deals.models import ABOUT_TOLERANCE, Ceremony, Deal, ExchangeRate, Qualifier, sum_figures
from deals.models.totals import StatedFigure, Totals
from deals.presentation import format_figures
from tests.factories import CeremonyFactory, DealFactory, SectorFactory
from tests.html_pages import read

Q = Qualifier
BILLION = Decimal(10) ** 9
CENT = Decimal("0.01")

# --- the arithmetic, for every possible value of every part -------------------------------

amounts = st.integers(min_value=0, max_value=10**16).map(lambda cents: Decimal(cents) * CENT)
disclosed = st.sampled_from([Q.EXACT, Q.ABOUT, Q.AT_LEAST, Q.MORE_THAN, Q.UP_TO])
# Parts with their true value: one draw of what the qualifier allows.
share = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 10_000)
extra = st.integers(min_value=0, max_value=10**18).map(lambda cents: Decimal(cents) * CENT)


@st.composite
def part_and_truth(draw):
    qualifier = draw(disclosed)
    amount = draw(amounts)
    if qualifier == Q.EXACT:
        truth = amount
    elif qualifier == Q.ABOUT:
        # Anywhere within the tolerance, either way, its ends included.
        truth = amount * (1 - ABOUT_TOLERANCE + 2 * ABOUT_TOLERANCE * draw(share))
    elif qualifier == Q.AT_LEAST:
        truth = amount + draw(extra)
    elif qualifier == Q.MORE_THAN:
        truth = amount + CENT + draw(extra)
    else:  # up to: anything from nothing to the amount
        truth = amount * draw(share)
    return (qualifier, amount), truth


parts_and_truths = st.lists(part_and_truth(), max_size=8)


def stated_range(figures):
    """(low, high, low is strict) of what the figures state together; high None: no cap."""
    low, high, strict = Decimal(0), Decimal(0), False
    for qualifier, amount in figures:
        if qualifier == Q.EXACT:
            low, high = low + amount, None if high is None else high + amount
        elif qualifier == Q.ABOUT:
            low += amount * (1 - ABOUT_TOLERANCE)
            high = None if high is None else high + amount * (1 + ABOUT_TOLERANCE)
        elif qualifier in (Q.AT_LEAST, Q.MORE_THAN):
            low, high = low + amount, None
            strict = strict or qualifier == Q.MORE_THAN
        else:  # up to: adds nothing to the floor
            high = None if high is None else high + amount
    return low, high, strict


@given(parts_and_truths)
def test_every_true_sum_lies_within_what_the_figures_state(drawn):
    parts = [part for part, _ in drawn]
    true_sum = sum((truth for _, truth in drawn), Decimal(0))

    low, high, strict = stated_range(sum_figures(parts))

    assert true_sum > low if strict else true_sum >= low
    if high is not None:
        assert true_sum <= high


@given(parts_and_truths)
def test_a_lower_bound_holds_for_every_value_its_parts_may_have(drawn):
    parts = [part for part, _ in drawn]
    figures = sum_figures(parts)
    lead = figures[0] if figures else None
    if lead is None or lead.qualifier not in (Q.AT_LEAST, Q.MORE_THAN):
        return
    # "At least X" or "more than X": every realisation of the parts is at least X, the
    # "up to" parts counting as nothing and the estimates at their lowest.
    floor_parts = sum(truth for (q, _), truth in drawn if q not in (Q.UP_TO, Q.ABOUT))
    if lead.qualifier == Q.MORE_THAN:
        assert floor_parts > lead.amount_usd
    else:
        assert floor_parts >= lead.amount_usd


@given(st.lists(st.tuples(disclosed, amounts), max_size=8))
def test_an_up_to_part_is_never_added_to_another_figure(parts):
    figures = sum_figures(parts)
    up_to = sum((a for q, a in parts if q == Q.UP_TO), Decimal(0))
    others = [f for f in figures if f.qualifier != Q.UP_TO]

    assert sum(f.amount_usd for f in others) == sum(
        (a for q, a in parts if q != Q.UP_TO), Decimal(0)
    )
    if any(q == Q.UP_TO for q, _ in parts):
        assert figures[-1] == (Q.UP_TO, up_to)


@given(st.lists(st.tuples(disclosed, amounts), max_size=8))
def test_the_figures_add_up_to_every_amount_as_stated(parts):
    figures = sum_figures(parts)

    assert sum((f.amount_usd for f in figures), Decimal(0)) == sum(
        (a for _, a in parts), Decimal(0)
    )
    assert len(figures) <= 3
    if figures:
        lead = figures[0].qualifier
        # "about" never leads beside a floor; "up to" leads only when alone.
        if any(q in (Q.AT_LEAST, Q.MORE_THAN) for q, _ in parts):
            assert lead in (Q.AT_LEAST, Q.MORE_THAN)
        if lead == Q.UP_TO:
            assert all(q == Q.UP_TO for q, _ in parts)


@given(st.lists(amounts, min_size=1, max_size=8))
def test_exact_and_exact_are_exact(values):
    assert sum_figures([(Q.EXACT, a) for a in values]) == ((Q.EXACT, sum(values)),)


@given(st.lists(st.tuples(st.sampled_from([Q.EXACT, Q.ABOUT]), amounts), min_size=1))
def test_exact_and_about_figures_make_one_about_figure_within_the_tolerance(parts):
    figures = sum_figures(parts)

    if all(q == Q.EXACT for q, _ in parts):
        assert [f.qualifier for f in figures] == [Q.EXACT]
    else:
        assert figures == ((Q.ABOUT, sum(a for _, a in parts)),)


def test_an_unknown_qualifier_is_refused_rather_than_summed():
    with pytest.raises(ValueError):
        sum_figures([("roughly", BILLION)])


@pytest.mark.parametrize(
    ("figures", "written"),
    [
        ((), "undisclosed"),
        (
            ((Q.EXACT, Decimal("93700000000")), (Q.UP_TO, 43 * BILLION)),
            "US$93.7 billion plus up to US$43 billion",
        ),
        (
            ((Q.MORE_THAN, 2 * BILLION), (Q.ABOUT, Decimal("756123456.78"))),
            "more than US$2 billion plus about US$756 million",
        ),
    ],
    ids=["nothing", "exact plus up to", "more than plus about, rounded"],
)
def test_figures_are_written_in_one_place(figures, written):
    assert format_figures(figures) == written


def test_totals_keep_the_leading_figure_for_existing_readers():
    totals = Totals(
        count=3,
        disclosed_count=3,
        undisclosed_count=0,
        unconverted_count=0,
        figures=(StatedFigure(Q.MORE_THAN, 3 * BILLION), StatedFigure(Q.UP_TO, BILLION)),
    )

    assert (totals.amount_usd, totals.qualifier) == (3 * BILLION, Q.MORE_THAN)
    assert totals.plus_up_to_usd == BILLION
    assert totals.plus_about_usd is None
    assert totals.as_stated_usd == 4 * BILLION
    assert totals.display == "more than US$3 billion plus up to US$1 billion"


# --- every surface gives the same figure ---------------------------------------------------

MINING = "US$93.7 billion plus up to US$43 billion"
LOWER_BOUNDS = "more than US$2.5 billion"


@pytest.fixture
def record(db):
    """Two exact mining deals and one "up to" (the issue's "Mining and quarrying" case),
    at a ceremony announced as US$200 billion; and a ceremony holding "more than"
    amounts beside an exact one, announced as about US$9 billion."""
    ExchangeRate.objects.all().delete()
    mining = SectorFactory(name="Mining and quarrying (test)", slug="mining")
    factories = SectorFactory(name="Manufacturing (test)", slug="test-manufacturing")
    energy = CeremonyFactory(
        name="Energy signings",
        slug="energy",
        announced_value_amount=200 * BILLION,
        announced_value_qualifier=Q.EXACT,
    )
    pledges = CeremonyFactory(
        name="Pledge signings",
        slug="pledges",
        announced_value_amount=9 * BILLION,
        announced_value_qualifier=Q.ABOUT,
    )
    for title, amount, qualifier in [
        ("Shale gas", Decimal("83700000000"), Q.EXACT),
        ("Coal", 10 * BILLION, Q.EXACT),
        ("Alaska LNG", 43 * BILLION, Q.UP_TO),
    ]:
        DealFactory(
            title=title,
            sector=mining,
            ceremony=energy,
            value_amount=amount,
            value_qualifier=qualifier,
        )
    for title, amount, qualifier in [
        ("Food pledge", 2 * BILLION, Q.MORE_THAN),
        ("Chips", Decimal("300000000"), Q.MORE_THAN),
        ("Engines", Decimal("200000000"), Q.EXACT),
    ]:
        DealFactory(
            title=title,
            sector=factories,
            ceremony=pledges,
            value_amount=amount,
            value_qualifier=qualifier,
        )


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return read(response).main_text


def csv_total(client, kind, key):
    response = client.get(reverse(f"deals:{kind}_follow_through_csv", args=[key]))
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff")))
    total = next(row for row in rows if row["row"] == "total")
    return total


@pytest.mark.parametrize(
    ("kind", "slug", "filter_name", "page", "written", "lead", "plus_up_to"),
    [
        (
            "sector", "mining", "sector", "/sectors/mining/", MINING,
            ("93700000000.00", "exact"), "43000000000.00",
        ),
        (
            "ceremony", "energy", "ceremony", "/ceremonies/energy/", MINING,
            ("93700000000.00", "exact"), "43000000000.00",
        ),
        (
            "ceremony", "pledges", "ceremony", "/ceremonies/pledges/", LOWER_BOUNDS,
            ("2500000000.00", "more_than"), None,
        ),
    ],
    ids=["mining sector", "mining ceremony", "ceremony of lower bounds"],
)  # fmt: skip
def test_the_page_the_api_and_the_csv_give_the_same_figure(
    client, api_client, record, kind, slug, filter_name, page, written, lead, plus_up_to
):
    assert f" {written}" in page_text(client, page)

    api = api_client.get("/api/v1/deals/totals/", {filter_name: slug}).json()
    assert api["display"] == written
    assert (api["amount_usd"], api["qualifier"]) == lead
    assert api["plus_up_to_usd"] == plus_up_to
    assert api["plus_about_usd"] is None

    row = csv_total(client, kind, slug)
    assert row["display"] == written
    assert (row["amount_usd"], row["qualifier"]) == lead
    assert row["plus_up_to_usd"] == (plus_up_to or "")


def test_the_api_ceremony_and_its_reconciliation_give_the_same_figure(api_client, record):
    energy = Ceremony.objects.get(slug="energy")

    data = api_client.get(f"/api/v1/ceremonies/{energy.pk}/").json()

    assert data["itemised"]["display"] == MINING
    assert data["itemised"]["plus_up_to_usd"] == "43000000000.00"
    assert data["itemised"]["as_stated_usd"] == "136700000000.00"
    assert data["reconciliation"] == (
        f"3 deals itemised here; {MINING} of US$200 billion accounted for"
    )


def test_the_dashboard_writes_the_figure_as_the_ceremony_page_does(client, editor_client, record):
    response = editor_client.get(reverse("admin:index"))
    panel = next(p for p in response.context["panels"] if p.key == "ceremonies")
    details = {item.text.split(" (")[0]: item.detail for item in panel.items}

    assert details["Energy signings"] == f"US$200 billion announced, {MINING} itemised"
    assert details["Pledge signings"] == (f"about US$9 billion announced, {LOWER_BOUNDS} itemised")
    for slug, written in [("energy", MINING), ("pledges", LOWER_BOUNDS)]:
        assert f"Itemised value {written}" in page_text(client, f"/ceremonies/{slug}/")


def test_the_dashboard_sets_a_headline_against_the_amounts_as_stated(record):
    energy = Ceremony.objects.get(slug="energy")
    timelines = ExchangeRate.objects.timelines(["USD"])
    # 83.7 + 10 + 43 = 136.7 as stated, against US$200 billion announced.
    assert ceremony_disagreements(energy, timelines) == [
        f"US$200 billion announced, {MINING} itemised"
    ]
    assert Deal.objects.published().filter(ceremony=energy).totals().as_stated_usd == (
        Decimal("136700000000")
    )
