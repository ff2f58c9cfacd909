"""Bulk import and export in the admin: preview, all or nothing, every error on its row."""

import datetime
import re
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from deals.admin.resources import DealResource
from deals.models import Ceremony, Deal, DealParty, Party, Qualifier, Source
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    PartyFactory,
    SourceFactory,
    VenueFactory,
)

CSV, XLSX = "0", "1"


def url(model, view, *args):
    return reverse(f"admin:deals_{model}_{view}", args=args)


def csv_file(text, name="deals.csv"):
    return SimpleUploadedFile(name, text.strip().encode("utf-8"), content_type="text/csv")


def preview(client, model, upload, file_format=CSV):
    return client.post(url(model, "import"), {"import_file": upload, "format": file_format})


def confirm(client, model, response):
    data = response.context["confirm_form"].initial
    return client.post(url(model, "process_import"), data)


def export(client, model, file_format=CSV):
    """Export every column, as the export page offers them all ticked."""
    form = client.get(url(model, "export")).context["form"]
    data = {"format": file_format, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})
    return client.post(url(model, "export"), data)


def problems(response):
    """(row, column, message) for every problem the page lists."""
    return response.context["result"].problems()


@pytest.fixture
def world(db):
    """What a press list names: two parties, a ceremony, a source."""
    return {
        "jd": PartyFactory(name="JD.com", slug="jd-com", aliases="Jingdong"),
        "smithfield": PartyFactory(name="Smithfield Foods", slug="smithfield-foods"),
        "ceremony": CeremonyFactory(
            name="Great Hall signings", slug="great-hall-signings", date=datetime.date(2017, 11, 8)
        ),
        "source": SourceFactory(url="https://www.reuters.com/article/great-hall"),
    }


GOOD_DEALS = "\n".join(
    [
        "title,sector,instrument,value_wording,ceremony,signed_on,parties,sources",
        "JD.com buys US beef and pork,10,contract,US$1.2 billion over three years,"
        "Great Hall signings,2017-11-08,JD.com:buyer; Smithfield Foods:seller,"
        "https://www.reuters.com/article/great-hall",
        "JD.com purchase pledge,Manufacture of food products,memorandum of understanding,"
        "more than $2 billion over three years,great-hall-signings,2017-11-08,Jingdong:buyer,",
        "Smithfield supply deal,10,,undisclosed,,2017-11-09,smithfield-foods:seller,",
    ]
)

MIXED_DEALS = """
title,sector,value_amount,value_currency,value_qualifier,ceremony,signed_on,parties
Good deal,10,1000000,USD,exact,Great Hall signings,2017-11-08,JD.com:buyer
Unknown party,10,1000000,USD,exact,,2017-11-08,Acme Widgets:buyer
Bad date,10,1000000,USD,exact,,08/11/2017,JD.com:buyer
Amount and undisclosed,10,5000000,USD,undisclosed,,2017-11-08,JD.com:buyer
No sector,,2bn,USD,exact,Nowhere,2017-11-08,JD.com:chairman
"""


# --- all or nothing -----------------------------------------------------------------------


def test_a_file_with_good_and_bad_rows_writes_nothing_and_names_every_error_by_row(
    editor_client, world
):
    response = preview(editor_client, "deal", csv_file(MIXED_DEALS))

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    found = problems(response)
    # Rows as in a spreadsheet: the header is row 1, "Good deal" row 2.
    assert {row for row, _, _ in found} == {3, 4, 5, 6}
    by_place = {}
    for row, column, message in found:
        by_place[(row, column)] = by_place.get((row, column), "") + message
    assert "No party “Acme Widgets”" in by_place[(3, "parties")]
    assert "YYYY-MM-DD" in by_place[(4, "signed_on")]
    assert "Leave the amount empty" in by_place[(5, "value_amount")]
    assert "not a number" in by_place[(6, "value_amount")]
    assert "No ceremony “Nowhere”" in by_place[(6, "ceremony")]
    assert "not one of: buyer, seller" in by_place[(6, "parties")]
    assert "cannot be null" in by_place[(6, "sector")]
    content = response.content.decode()
    assert "nothing will be imported" in content
    assert "Acme Widgets" in content
    assert Deal.objects.count() == 0
    assert Deal.history.count() == 0
    assert DealParty.objects.count() == 0


def test_a_confirm_forged_for_a_bad_file_writes_nothing(editor_client, world):
    storage = TempFolderStorage(encoding="utf-8-sig", read_mode="r")
    storage.save(MIXED_DEALS.strip().encode())
    data = {"import_file_name": storage.name, "original_file_name": "x.csv", "format": CSV}

    response = editor_client.post(url("deal", "process_import"), data)

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert Deal.objects.count() == 0
    assert DealParty.objects.count() == 0


def test_a_file_that_breaks_at_confirmation_writes_nothing(editor_client, world):
    """Rows valid in the preview, then a party deleted before the editor confirms."""
    response = preview(editor_client, "deal", csv_file(GOOD_DEALS))
    world["smithfield"].delete()

    response = confirm(editor_client, "deal", response)

    assert response.status_code == 200
    assert any("Smithfield" in message for _, _, message in problems(response))
    assert Deal.objects.count() == 0


# --- a good file ------------------------------------------------------------------------


def test_the_preview_shows_what_each_row_will_create_before_anything_is_written(
    editor_client, world
):
    response = preview(editor_client, "deal", csv_file(GOOD_DEALS))

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    result = response.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["new", "new", "new"]
    content = response.content.decode()
    assert "3 new, 0 changed, 0 unchanged" in content
    assert "jd-com:buyer; smithfield-foods:seller" in content
    assert Deal.objects.count() == 0


def test_a_good_file_imports_every_row_with_its_history(editor_client, editor, world):
    response = confirm(editor_client, "deal", preview(editor_client, "deal", csv_file(GOOD_DEALS)))

    assert response.status_code == 302
    assert Deal.objects.count() == 3
    beef = Deal.objects.get(slug="jdcom-buys-us-beef-and-pork")
    assert (beef.value_amount, beef.value_currency, beef.value_qualifier) == (
        Decimal("1200000000"),
        "USD",
        Qualifier.EXACT,
    )
    assert beef.term_months == 36
    assert beef.sector.code == "10"
    assert beef.instrument == Deal.Instrument.CONTRACT
    assert beef.ceremony == world["ceremony"]
    assert [(link.party, link.role) for link in beef.deal_parties.all()] == [
        (world["jd"], "buyer"),
        (world["smithfield"], "seller"),
    ]
    assert list(beef.sources.all()) == [world["source"]]
    assert beef.is_published is False
    assert (beef.created_by, beef.updated_by) == (editor, editor)

    pledge = Deal.objects.get(slug="jdcom-purchase-pledge")
    assert pledge.value_qualifier == Qualifier.MORE_THAN
    assert pledge.instrument == Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING
    assert pledge.deal_parties.get().party == world["jd"]  # found by its alias
    supply = Deal.objects.get(slug="smithfield-supply-deal")
    assert (supply.value_amount, supply.value_qualifier) == (None, Qualifier.UNDISCLOSED)

    for deal in Deal.objects.all():
        (record,) = deal.history.all()
        assert (record.history_type, record.history_user) == ("+", editor)
        assert record.history_change_reason == "Imported from deals.csv"
    assert DealParty.history.filter(history_user=editor).count() == 4


def test_importing_the_same_file_again_changes_nothing(editor_client, world):
    confirm(editor_client, "deal", preview(editor_client, "deal", csv_file(GOOD_DEALS)))

    response = preview(editor_client, "deal", csv_file(GOOD_DEALS))

    result = response.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["skip", "skip", "skip"]
    confirm(editor_client, "deal", response)
    assert Deal.history.count() == 3


def test_a_row_for_an_existing_slug_changes_that_deal(editor_client, editor, world):
    deal = DealFactory(slug="boeing-aircraft", title="Boeing aircraft", is_published=False)
    DealPartyFactory(deal=deal, party=world["jd"], role="buyer")
    text = (
        "slug,title,sector,value_wording,signed_on,ceremony_signing,parties\n"
        "boeing-aircraft,Boeing sells 300 aircraft,10,US$37 billion at list prices,2017-11-09,"
        "later,Smithfield Foods:seller"
    )
    response = preview(editor_client, "deal", csv_file(text))
    assert [r.import_type for r in response.context["result"].valid_rows()] == ["update"]

    confirm(editor_client, "deal", response)

    deal.refresh_from_db()
    assert deal.title == "Boeing sells 300 aircraft"
    assert (deal.value_amount, deal.value_basis) == (37 * Decimal(10) ** 9, "list_price")
    assert [(link.party, link.role) for link in deal.deal_parties.all()] == [
        (world["smithfield"], "seller")
    ]
    assert deal.history.first().history_user == editor
    assert deal.history.count() == 2


def test_an_xlsx_file_imports_like_a_csv(editor_client, world):
    dataset = tablib.Dataset(headers=["title", "sector", "value_wording", "signed_on", "parties"])
    dataset.append(["Beef", 10, "RMB 5 billion", datetime.date(2017, 11, 8), "JD.com:buyer"])
    upload = SimpleUploadedFile("deals.xlsx", dataset.export("xlsx"))

    confirm(editor_client, "deal", preview(editor_client, "deal", upload, XLSX))

    deal = Deal.objects.get()
    assert (deal.value_amount, deal.value_currency) == (5 * Decimal(10) ** 9, "CNY")
    assert deal.signed_on == datetime.date(2017, 11, 8)


def test_wording_and_value_columns_together_are_refused(editor_client, world):
    text = """
title,sector,value_wording,value_amount,signed_on
Beef,10,US$1.2 billion,1200000000,2017-11-08
Pork,10,a great deal of money,,2017-11-08
"""
    found = problems(preview(editor_client, "deal", csv_file(text)))

    assert [(row, column) for row, column, _ in found] == [
        (2, "value_wording"),
        (3, "value_wording"),
    ]
    assert "not both" in found[0][2]
    assert Deal.objects.count() == 0


# --- who may import what ---------------------------------------------------------------------


def test_a_contributor_imports_drafts_only(contributor_client, contributor, world):
    published = DealFactory(slug="published-deal", is_published=True)
    text = f"""
slug,title,sector,signed_on,value_wording,is_published
,A draft,10,2017-11-08,undisclosed,
,Wants publishing,10,2017-11-08,undisclosed,1
{published.slug},Changed,10,2017-11-08,undisclosed,
"""
    found = problems(preview(contributor_client, "deal", csv_file(text)))

    assert [(row, column) for row, column, _ in found] == [(3, "is_published"), (4, "")]
    assert "Only editors publish" in found[0][2]
    assert "only an editor can change it" in found[1][2]

    response = preview(contributor_client, "deal", csv_file("\n".join(text.split("\n")[:3])))
    confirm(contributor_client, "deal", response)

    draft = Deal.objects.get(slug="a-draft")
    assert draft.is_published is False
    assert draft.history.get().history_user == contributor


def test_an_editor_may_publish_by_import(editor_client, world):
    text = (
        "title,sector,signed_on,value_wording,parties,sources,is_published\n"
        "Published,10,2017-11-08,$1bn,JD.com:buyer,https://www.reuters.com/article/great-hall,1"
    )

    confirm(editor_client, "deal", preview(editor_client, "deal", csv_file(text)))

    deal = Deal.objects.get()
    assert deal.is_published is True
    assert deal.published_at is not None


def test_a_row_published_without_a_party_or_a_source_is_refused_with_both_named(
    editor_client, world
):
    text = (
        "title,sector,signed_on,value_wording,parties,sources,is_published\n"
        "No party,10,2017-11-08,$1bn,,https://www.reuters.com/article/great-hall,1\n"
        "No source,10,2017-11-08,$1bn,JD.com:buyer,,1\n"
        "A draft may lack both,10,2017-11-08,$1bn,,,0"
    )

    response = preview(editor_client, "deal", csv_file(text))

    assert problems(response) == [
        (2, "parties", Deal.PUBLICATION_NEEDS["parties"]),
        (3, "sources", Deal.PUBLICATION_NEEDS["sources"]),
    ]
    assert not Deal.objects.exists()


@pytest.mark.parametrize("view", ["import", "import_template"])
def test_a_contributor_cannot_import_ceremonies(contributor_client, view):
    args = ["csv"] if view == "import_template" else []

    response = contributor_client.get(url("ceremony", view, *args))

    assert response.status_code == 403


def test_a_contributor_is_offered_import_for_deals_but_not_ceremonies(contributor_client):
    assert contributor_client.get(url("deal", "changelist")).context["has_import_permission"]
    response = contributor_client.get(url("ceremony", "changelist"))
    assert not response.context["has_import_permission"]


# --- the template file, export, the other records ---------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_template_file_imports_as_it_is_once_its_parties_exist(editor_client, world, extension):
    response = editor_client.get(url("deal", "import_template", extension))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    upload = SimpleUploadedFile(f"template.{extension}", response.content)

    imported = confirm(
        editor_client,
        "deal",
        preview(editor_client, "deal", upload, CSV if extension == "csv" else XLSX),
    )

    assert imported.status_code == 302
    deal = Deal.objects.get()
    assert deal.title == DealResource.example["title"]
    assert deal.deal_parties.count() == 2


def test_the_template_columns_are_the_import_columns(editor_client):
    response = editor_client.get(url("deal", "import_template", "csv"))

    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["title", "slug", "summary"]
    assert {"value_wording", "parties", "sources", "ceremony"} <= set(header)


def test_the_import_page_offers_the_template_and_has_no_inline_script(editor_client):
    response = editor_client.get(url("deal", "import"))

    content = response.content.decode()
    assert url("deal", "import_template", "csv") in content
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", content))


def test_an_export_reads_back_in_unchanged(editor_client, world):
    deal = DealFactory(title="Beef", value_amount=Decimal("1200000000"), ceremony=world["ceremony"])
    DealPartyFactory(deal=deal, party=world["jd"], role="buyer")
    deal.citations.create(source=world["source"])

    exported = export(editor_client, "deal")
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    assert "jd-com:buyer" in text
    assert "great-hall-signings" in text

    response = preview(editor_client, "deal", csv_file(text))

    assert [r.import_type for r in response.context["result"].valid_rows()] == ["skip"]


def test_parties_import_with_their_group_and_aliases(editor_client):
    textron = PartyFactory(name="Textron", slug="textron")
    text = """
name,native_name,aliases,country,kind,parent
Bell Helicopter,,Bell; Bell Helicopter Textron,US,company,Textron
Reignwood International,华彬,,China,company,
Reignwood Aviation,,,CN,Company,Reignwood International
"""
    response = confirm(editor_client, "party", preview(editor_client, "party", csv_file(text)))

    assert response.status_code == 302
    bell = Party.objects.get(slug="bell-helicopter")
    assert (bell.parent, bell.country.code) == (textron, "US")
    assert bell.alias_list == ["Bell", "Bell Helicopter Textron"]
    # A parent imported by an earlier row of the same file.
    aviation = Party.objects.get(slug="reignwood-aviation")
    assert aviation.parent.name == "Reignwood International"
    assert bell.history.get().history_change_reason == "Imported from deals.csv"


def test_ceremonies_import_with_venue_and_occasion_by_name(editor_client):
    VenueFactory(name="Great Hall of the People", slug="great-hall")
    text = """
name,date,venue,announced_value_amount,announced_value_currency,announced_value_qualifier,announced_deal_count
Great Hall signings,2017-11-08,Great Hall of the People,9000000000,USD,about,19
Second day,2017-11-09,Nowhere Hall,,,,
"""
    found = problems(preview(editor_client, "ceremony", csv_file(text)))
    assert [(row, column) for row, column, _ in found] == [(3, "venue")]

    good = "\n".join(text.strip().split("\n")[:2])
    confirm(editor_client, "ceremony", preview(editor_client, "ceremony", csv_file(good)))

    ceremony = Ceremony.objects.get()
    assert ceremony.announced_value_display == "about US$9 billion"
    assert ceremony.announced_deal_count == 19


def test_an_unknown_source_address_is_an_error_on_its_row(editor_client, world):
    text = (
        "title,sector,signed_on,value_wording,sources\nBeef,10,2017-11-08,$1bn,https://x.example/a"
    )

    found = problems(preview(editor_client, "deal", csv_file(text)))

    assert [(row, column) for row, column, _ in found] == [(2, "sources")]
    assert not Source.objects.filter(url="https://x.example/a").exists()


def test_a_party_s_own_name_wins_over_another_s_alias(editor_client, world):
    twin = PartyFactory(name="Jingdong", slug="jingdong")
    text = "title,sector,signed_on,value_wording,parties\nBeef,10,2017-11-08,$1bn,Jingdong:buyer"

    confirm(editor_client, "deal", preview(editor_client, "deal", csv_file(text)))

    assert Deal.objects.get().deal_parties.get().party == twin


def test_an_ambiguous_party_name_asks_for_the_slug(editor_client, world):
    PartyFactory(name="JD.com", slug="jd-com-2")
    text = "title,sector,signed_on,value_wording,parties\nBeef,10,2017-11-08,$1bn,JD.com:buyer"

    (found,) = problems(preview(editor_client, "deal", csv_file(text)))

    assert found[1] == "parties"
    assert "“JD.com” names several parties (jd-com, jd-com-2); use the slug." in found[2]


def test_a_file_without_rows_is_refused(editor_client):
    response = preview(editor_client, "deal", csv_file("title,sector"))

    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_umbrella_may_be_a_deal_from_an_earlier_row(editor_client, world):
    text = """
title,slug,sector,signed_on,value_wording,umbrella
JD.com purchase pledge,pledge,10,2017-11-08,more than $2 billion,
Beef and pork,beef,10,2017-11-08,US$1.2 billion,pledge
"""
    confirm(editor_client, "deal", preview(editor_client, "deal", csv_file(text)))

    assert Deal.objects.get(slug="beef").umbrella.slug == "pledge"


def test_a_deal_export_costs_the_same_queries_for_3_and_30_deals(editor_client, world):
    for _ in range(3):
        DealPartyFactory(deal=DealFactory())
    export(editor_client, "deal")
    with CaptureQueriesContext(connection) as with_3:
        export(editor_client, "deal")
    for _ in range(27):
        DealPartyFactory(deal=DealFactory())
    with CaptureQueriesContext(connection) as with_30:
        export(editor_client, "deal")

    assert len(with_30) == len(with_3)


def test_import_results_do_not_depend_on_row_order_for_counts(world):
    """The resource, without the admin: a dataset in, a result listing every row."""
    dataset = tablib.Dataset(headers=["title", "sector", "signed_on", "value_wording"])
    dataset.append(["Beef", "10", "2017-11-08", "$1bn"])
    dataset.append(["Pork", "10", "2017-11-08", "about $2bn"])

    result = DealResource().import_data(dataset, dry_run=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert Deal.objects.count() == 0
