"""Charts: value by sector for a ceremony and an occasion, deals over time on the home page.

The hand-made ceremony holds JD.com's "more than US$2 billion" food pledge with its
US$1.2 billion beef and pork contracts (one umbrella and its component, both in
Manufacturing), a US$500 million crop deal (Agriculture), Bell helicopters at an
undisclosed value (Manufacturing) and a US$9 billion bank loan that is still a draft.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from deals import charts
from deals.models import Deal, Qualifier, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    ExchangeRateFactory,
    OccasionFactory,
    SectorFactory,
)

BILLION = Decimal(10) ** 9
MILLION = Decimal(10) ** 6
SVG = "{http://www.w3.org/2000/svg}"


def division(code):
    return Sector.objects.get(code=code)


@pytest.fixture
def ceremony(db):
    ceremony = CeremonyFactory(name="Great Hall signings", slug="great-hall-signings")
    pledge = DealFactory(
        ceremony=ceremony,
        title="JD.com food purchase pledge",
        sector=division("10"),
        value_amount=2 * BILLION,
        value_qualifier=Qualifier.MORE_THAN,
    )
    DealFactory(
        ceremony=ceremony,
        title="Beef and pork contracts",
        sector=division("10"),
        umbrella=pledge,
        value_amount=Decimal("1.2") * BILLION,
    )
    DealFactory(
        ceremony=ceremony,
        title="Soybean purchases",
        sector=division("01"),
        value_amount=500 * MILLION,
    )
    DealFactory(
        ceremony=ceremony,
        title="Bell helicopters",
        sector=division("30"),
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )
    DealFactory(
        ceremony=ceremony,
        title="Bank loan (draft)",
        sector=division("64"),
        value_amount=9 * BILLION,
        is_published=False,
    )
    return ceremony


def sector_chart(ceremony):
    return charts.value_by_sector(Deal.objects.published().filter(ceremony=ceremony))


def svg_of(html):
    """The first inline chart <svg> of a page (role="img"), parsed as the XML it must be."""
    match = re.search(r"<svg\b[^>]*role=\"img\".*?</svg>", html, re.DOTALL)
    assert match, "no <svg> on the page"
    return match.group(0), ET.fromstring(match.group(0))


class TableCells(HTMLParser):
    """The text of each row of the tables inside chart figures."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_chart, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "details" and ("class", "chart-data") in attrs:
            self.in_chart = True
        elif self.in_chart and tag == "tr":
            self.rows.append([])
        elif self.in_chart and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "details":
            self.in_chart = False
        elif self.in_chart and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(html):
    parser = TableCells()
    parser.feed(html)
    return parser.rows


# --- value by sector: the data ----------------------------------------------------------


def test_value_by_sector_has_one_bar_per_section_largest_first(ceremony):
    chart = sector_chart(ceremony)

    assert [(bar.label, bar.value, bar.display) for bar in chart.bars] == [
        ("Manufacturing", 2 * BILLION, "more than US$2 billion"),
        ("Agriculture, forestry and fishing", 500 * MILLION, "US$500 million"),
    ]
    assert chart.is_drawn


def test_the_largest_bar_fills_the_bar_area_and_the_others_are_in_proportion(ceremony):
    manufacturing, agriculture = sector_chart(ceremony).bars

    assert manufacturing.x == agriculture.x == 0
    assert manufacturing.width + charts.GAP <= manufacturing.display_x
    assert agriculture.width == round(manufacturing.width / 4)
    # Full width: what is left once the longest value label has room beside the bar.
    label_room = round(len("more than US$2 billion") * charts.CHAR_WIDTH)
    assert manufacturing.width == charts.WIDTH - charts.GAP - label_room


def test_drafts_are_left_out_of_the_chart(ceremony):
    chart = sector_chart(ceremony)

    labels = [bar.label for bar in chart.bars] + [row.label for row in chart.table.rows]
    assert "Financial and insurance activities" not in labels
    assert "9 billion" not in chart.description


def test_a_component_is_not_counted_again_beside_its_umbrella(ceremony):
    groups = Deal.objects.published().filter(ceremony=ceremony).totals_by_section()
    manufacturing = groups[0]

    assert manufacturing.group.name == "Manufacturing"
    assert manufacturing.totals.count == 3  # pledge, its contracts, the helicopters
    assert manufacturing.totals.amount_usd == 2 * BILLION  # not 3.2 billion
    assert manufacturing.held_count == 1
    totals = Deal.objects.published().filter(ceremony=ceremony).totals()
    assert sum(group.totals.amount_usd for group in groups) == totals.amount_usd


def test_a_component_in_another_section_counts_in_its_umbrellas_section(db):
    pledge = DealFactory(sector=division("10"), value_amount=2 * BILLION)
    DealFactory(sector=division("01"), umbrella=pledge, value_amount=300 * MILLION)

    groups = Deal.objects.published().totals_by_section()

    assert [(g.group.name, g.totals.count, g.totals.amount_usd, g.held_count) for g in groups] == [
        ("Manufacturing", 1, 2 * BILLION, 0),
        ("Agriculture, forestry and fishing", 1, None, 1),
    ]


def test_undisclosed_values_are_not_drawn_and_a_note_says_how_many(ceremony):
    chart = sector_chart(ceremony)

    assert "One deal with an undisclosed value is not drawn." in chart.notes
    assert "One deal that is part of a larger deal is counted in the larger deal’s figure." in (
        chart.notes
    )
    assert charts.CONVERSION_NOTE in chart.notes
    assert [row.cells for row in chart.table.rows] == [
        ("3", "1", "more than US$2 billion"),
        ("1", "0", "US$500 million"),
    ]


def test_a_section_with_only_undisclosed_values_has_a_table_row_but_no_bar(ceremony):
    DealFactory(
        ceremony=ceremony,
        sector=division("64"),
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )

    chart = sector_chart(ceremony)

    assert [bar.label for bar in chart.bars] == [
        "Manufacturing",
        "Agriculture, forestry and fishing",
    ]
    assert chart.table.rows[-1].label == "Financial and insurance activities"
    assert chart.table.rows[-1].cells == ("1", "1", "undisclosed")
    assert "2 deals with an undisclosed value are not drawn." in chart.notes


def test_a_converted_amount_makes_its_sections_figure_approximate(ceremony):
    ExchangeRateFactory(currency="CNY", date=ceremony.date, rate_to_usd=Decimal("0.1512"))
    DealFactory(
        ceremony=ceremony, sector=division("01"), value_amount=BILLION, value_currency="CNY"
    )

    agriculture = sector_chart(ceremony).bars[1]

    assert agriculture.value == Decimal("651200000.00")
    assert agriculture.display == "about US$651 million"


def test_an_unconverted_amount_is_left_out_and_said_so(ceremony):
    DealFactory(
        ceremony=ceremony, sector=division("01"), value_amount=BILLION, value_currency="JPY"
    )

    chart = sector_chart(ceremony)

    assert chart.bars[1].value == 500 * MILLION
    assert (
        "One deal in other currencies could not be converted to US dollars and is left out."
        in chart.notes
    )


def test_one_section_with_a_value_is_drawn_as_one_bar(db):
    ceremony = CeremonyFactory()
    DealFactory(ceremony=ceremony, sector=division("10"), value_amount=2 * BILLION)
    DealFactory(
        ceremony=ceremony,
        sector=division("64"),
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )

    chart = sector_chart(ceremony)

    assert chart.is_drawn
    assert [(bar.label, bar.display) for bar in chart.bars] == [("Manufacturing", "US$2 billion")]
    assert chart.bars[0].width > 0
    assert chart.notes == (
        "One deal with an undisclosed value is not drawn.",
        charts.CONVERSION_NOTE,
    )


def test_no_disclosed_value_is_a_sentence_and_no_deals_is_no_chart(db):
    ceremony = CeremonyFactory()
    assert sector_chart(ceremony) is None

    DealFactory(ceremony=ceremony, value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)

    chart = sector_chart(ceremony)
    assert not chart.is_drawn
    assert chart.sentence == "No value has been disclosed for these deals yet."
    assert chart.notes == ("One deal has an undisclosed value.",)


def test_long_sector_names_wrap_above_their_bars(db):
    section = SectorFactory(
        name="Wholesale and retail trade; repair of motor vehicles and motorcycles"
    )
    DealFactory(sector=SectorFactory(parent=section), value_amount=BILLION)
    DealFactory(sector=division("10"), value_amount=2 * BILLION)

    long_bar = charts.value_by_sector(Deal.objects.published()).bars[1]

    assert len(long_bar.label_lines) == 2
    assert " ".join(line.text for line in long_bar.label_lines) == section.name
    first, second = long_bar.label_lines
    assert first.y < second.y < long_bar.y


def test_table_rows_link_to_the_same_deals_on_the_browse_page(ceremony):
    chart = charts.value_by_sector(
        Deal.objects.published().filter(ceremony=ceremony), scope={"ceremony": ceremony.slug}
    )

    manufacturing = Sector.objects.get(code="C")
    assert chart.table.rows[0].href == (
        f"/deals/?ceremony=great-hall-signings&sector={manufacturing.slug}"
    )


# --- deals over time: the data ----------------------------------------------------------


def dated_deal(day, **fields):
    return DealFactory(ceremony=None, signed_on=day, **fields)


def test_deals_over_time_are_counted_by_year_with_empty_years_kept(db):
    dated_deal(datetime.date(2017, 11, 8), value_amount=2 * BILLION)
    dated_deal(datetime.date(2017, 11, 9), value_amount=None, value_qualifier="undisclosed")
    dated_deal(datetime.date(2019, 4, 1), value_amount=BILLION)
    dated_deal(datetime.date(2019, 4, 1), is_published=False, value_amount=9 * BILLION)

    count, value = charts.deals_over_time(Deal.objects.published())

    assert [(bar.label, bar.value, bar.display) for bar in count.bars] == [
        ("2017", 2, "2 deals"),
        ("2018", 0, "0 deals"),
        ("2019", 1, "1 deal"),
    ]
    assert [bar.width for bar in count.bars][1] == 0
    assert count.bars[2].width == round(count.bars[0].width / 2)
    assert [(bar.label, bar.value, bar.display) for bar in value.bars] == [
        ("2017", 2 * BILLION, "US$2 billion"),
        ("2018", 0, "no deals"),
        ("2019", BILLION, "US$1 billion"),
    ]
    assert "One deal with an undisclosed value is not drawn." in value.notes


def test_deals_within_one_year_are_shown_by_month(db):
    dated_deal(datetime.date(2017, 11, 8))
    dated_deal(datetime.date(2018, 1, 31))
    dated_deal(datetime.date(2018, 3, 1), value_amount=2 * MILLION)

    count, value = charts.deals_over_time(Deal.objects.filter(signed_on__year=2018))

    assert count.id == "deals-by-month"
    assert [(bar.label, bar.value) for bar in count.bars] == [
        ("Jan 2018", 1),
        ("Feb 2018", 0),
        ("Mar 2018", 1),
    ]
    assert [bar.display for bar in value.bars] == ["US$1 million", "no deals", "US$2 million"]


def test_a_deal_without_a_signing_date_is_dated_by_its_ceremony(db):
    ceremony = CeremonyFactory(date=datetime.date(2017, 11, 9))
    DealFactory(ceremony=ceremony, signed_on=None)
    dated_deal(datetime.date(2019, 1, 1))

    count, _ = charts.deals_over_time(Deal.objects.published())

    assert [(bar.label, bar.value) for bar in count.bars] == [
        ("2017", 1),
        ("2018", 0),
        ("2019", 1),
    ]


def test_deals_without_any_date_are_left_out_and_said_so(db):
    dated_deal(datetime.date(2017, 1, 1))
    dated_deal(datetime.date(2018, 1, 1))
    dated_deal(None)

    count, value = charts.deals_over_time(Deal.objects.published())

    assert [bar.label for bar in count.bars] == ["2017", "2018"]
    assert "One deal without a known date is not shown." in count.notes
    assert "One deal without a known date is not shown." in value.notes


def test_deals_in_one_month_are_drawn_as_one_bar(db):
    dated_deal(datetime.date(2017, 11, 8), value_amount=2 * BILLION)
    dated_deal(datetime.date(2017, 11, 9), value_amount=None, value_qualifier="undisclosed")

    count, value = charts.deals_over_time(Deal.objects.published())

    assert count.is_drawn and value.is_drawn
    assert [(bar.label, bar.display) for bar in count.bars] == [("Nov 2017", "2 deals")]
    assert [(bar.label, bar.display) for bar in value.bars] == [("Nov 2017", "US$2 billion")]


def test_no_deals_is_no_chart_over_time(db):
    assert charts.deals_over_time(Deal.objects.published()) == (None, None)


# --- rendered pages ---------------------------------------------------------------------


def test_the_ceremony_page_draws_an_svg_image_with_a_title_and_the_same_figures_as_a_table(
    client, ceremony
):
    response = client.get(ceremony.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    _, svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert svg.get("width") == "100%"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == "Disclosed value by sector, in US dollars"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.find(f"{SVG}desc").text == (
        "Manufacturing: more than US$2 billion; Agriculture, forestry and fishing: US$500 million."
    )
    drawn_text = [text.text for text in svg.iter(f"{SVG}text")]
    assert drawn_text == [
        "Manufacturing",
        "more than US$2 billion",
        "Agriculture, forestry and fishing",
        "US$500 million",
    ]
    assert [rect.get("width") for rect in svg.iter(f"{SVG}rect")] == [
        str(bar.width) for bar in sector_chart(ceremony).bars
    ]
    assert table_rows(html) == [
        ["Sector (ISIC section)", "Deals", "Value undisclosed", "Disclosed value"],
        ["Manufacturing", "3", "1", "more than US$2 billion"],
        ["Agriculture, forestry and fishing", "1", "0", "US$500 million"],
    ]
    assert "One deal with an undisclosed value is not drawn." in html


def test_the_chart_svg_has_no_style_and_no_script(client, ceremony):
    html = client.get(ceremony.get_absolute_url()).content.decode()

    source, svg = svg_of(html)
    assert "style" not in source
    assert "<script" not in source
    assert all("style" not in element.attrib for element in svg.iter())
    assert all(not name.startswith("on") for element in svg.iter() for name in element.attrib)


def test_the_occasion_page_shows_value_by_sector_for_all_its_ceremonies(client, ceremony):
    other = CeremonyFactory(occasion=ceremony.occasion, date=datetime.date(2017, 11, 9))
    DealFactory(ceremony=other, sector=division("64"), value_amount=BILLION)

    response = client.get(ceremony.occasion.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    _, svg = svg_of(html)
    assert [text.text for text in svg.iter(f"{SVG}text")][::2] == [
        "Manufacturing",
        "Financial and insurance activities",
        "Agriculture, forestry and fishing",
    ]
    assert f"?occasion={ceremony.occasion.slug}&amp;sector=" in html


def test_the_home_page_shows_deals_over_time(client, db):
    dated_deal(datetime.date(2017, 11, 8), value_amount=2 * BILLION)
    dated_deal(datetime.date(2019, 4, 1), value_amount=BILLION)

    html = client.get("/").content.decode()

    assert "Deals over time" in html
    _, svg = svg_of(html)
    assert svg.find(f"{SVG}title").text == "Published deals by year"
    assert ["Year", "Deals"] in table_rows(html)
    assert ["2018", "0", "0", "no deals"] in table_rows(html)


def test_a_page_whose_deals_fall_in_one_period_draws_that_one_bar(client, ceremony):
    html = client.get("/").content.decode()

    _, svg = svg_of(html)
    assert svg.find(f"{SVG}title").text == "Published deals by month"
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Nov 2017", "4 deals"]
    assert "All 4 deals with a known date are from November 2017." not in html


def test_a_sector_name_with_markup_is_escaped_in_the_svg(client, ceremony):
    section = SectorFactory(name="<script>alert(1)</script>")
    DealFactory(ceremony=ceremony, sector=section, value_amount=BILLION)

    html = client.get(ceremony.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    source, svg = svg_of(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "<script>alert(1)</script>" in [text.text for text in svg.iter(f"{SVG}text")]


# --- queries ----------------------------------------------------------------------------


def many_deals(count, occasion):
    ceremonies = [
        CeremonyFactory(occasion=occasion, date=datetime.date(2017 + n, 5, 1)) for n in range(3)
    ]
    sectors = [division(code) for code in ("01", "10", "49", "64")]
    for n in range(count):
        DealFactory(
            ceremony=ceremonies[n % 3],
            sector=sectors[n % 4],
            value_amount=(n + 1) * MILLION,
            value_qualifier=Qualifier.ABOUT if n % 5 == 0 else Qualifier.EXACT,
        )


@pytest.mark.parametrize("count", [5, 50])
def test_the_chart_queries_do_not_grow_with_the_number_of_deals(
    db, count, django_assert_num_queries
):
    occasion = OccasionFactory()
    many_deals(count, occasion)
    deals = Deal.objects.published().filter(ceremony__occasion=occasion)

    with django_assert_num_queries(1):
        sector = charts.value_by_sector(deals)
    with django_assert_num_queries(1):  # several years: no second query by month
        over_time = charts.deals_over_time(deals)

    assert len(sector.bars) == 4
    assert [bar.label for bar in over_time[0].bars] == ["2017", "2018", "2019"]
