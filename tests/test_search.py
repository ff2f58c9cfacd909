"""Search: every word of the text begins a word of a deal's title, summary or a party's
names (deals/search.py), the same deals on PostgreSQL and on SQLite.

The suite runs on both databases (SQLite by default, PostgreSQL when DATABASE_URL says
so, as CI does), so each test here that passes on both shows that they agree: on
PostgreSQL through the stored search vector its triggers keep, on SQLite through
regular expressions over the columns themselves.
"""

import io
import itertools

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal, DealParty, Party
from deals.services import merge_parties
from tests.factories import DealFactory, DealPartyFactory, PartyFactory, UserFactory
from tests.html_pages import read

# --- the agreed meaning, in plain Python ----------------------------------------------------


def reference_words(text):
    """Runs of letters and digits (any script), lowercased; everything else separates."""
    words, current = [], ""
    for char in text:
        if char.isalnum():
            current += char.lower()
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return words


def deal_words(deal):
    words = reference_words(deal.title) + reference_words(deal.summary)
    for link in deal.deal_parties.all():
        party = link.party
        for text in (party.name, party.native_name, party.aliases):
            words += reference_words(text)
    return words


def reference_search(text):
    """The ids of the deals `Deal.objects.search(text)` must find."""
    deals = Deal.objects.prefetch_related("deal_parties__party")
    if not text.strip():
        return {deal.pk for deal in deals}
    wanted = reference_words(text)
    if not wanted:
        return set()
    return {
        deal.pk
        for deal in deals
        if all(any(word.startswith(w) for word in deal_words(deal)) for w in wanted)
    }


def found(text):
    return set(Deal.objects.search(text).values_list("pk", flat=True))


# --- the demo data: the same deals as the reference, on both databases ------------------------


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return list(Deal.objects.prefetch_related("deal_parties__party"))


def demo_queries(deals):
    """Every word of the titles and party names, prefixes, pairs, case and punctuation."""
    words = set()
    texts = []
    for deal in deals:
        texts.append(deal.title)
        for link in deal.deal_parties.all():
            texts += [link.party.name, link.party.native_name, link.party.aliases]
    for text in texts:
        words.update(text.split())
        words.update(reference_words(text))
    queries = set(words)
    queries.update(word[:3] for word in words)
    queries.update(word[:1] for word in words)
    queries.update(word.swapcase() for word in words)
    for deal in deals:
        title = deal.title.split()
        queries.update(" ".join(pair) for pair in itertools.pairwise(title))
    queries.update(
        [
            "京东",
            "京",
            "东",  # not the start of a word
            "JD.com",
            "jd com",
            "U.S.",
            "US$2",
            "bell heli",
            "boeing november",  # words from the title and from the summary
            "jingdong food",  # an alias and a title word
            "qualcomm boeing",  # nothing holds both
            "helicopters textron",
            "Trump-Xi",
            "GOLDMAN sachs",
            "gOlDmAn",
            "oeing",  # inside a word, not at its start
            "zzz",
            "!!!",
            "&|!():*<>'\\",
            "'boeing'",
            "boeing:*",
            "bell & !textron",
            "(reignwood)",
            "“Boeing”",
            "— –",
            "   ",
            "9",
            "2017",
        ]
    )
    return sorted(queries)


def test_search_gives_the_same_results_on_both_databases_for_the_demo_data(demo):
    queries = demo_queries(demo)
    mismatches = {}
    nonempty = 0
    for query in queries:
        expected = reference_search(query)
        actual = found(query)
        if actual != expected:
            mismatches[query] = (sorted(actual), sorted(expected))
        nonempty += bool(expected) and len(expected) < len(demo)

    assert not mismatches, f"{connection.vendor}: {mismatches}"
    # The queries tell the deals apart: many find some of them, not all or none.
    assert len(queries) > 100
    assert nonempty > 50


def test_the_demo_is_found_by_prefixes_of_names_in_any_script_and_case(demo):
    pk = {deal.slug: deal.pk for deal in demo}
    jd_pledge, jd_meat = pk["jd-com-us-food-purchases-2017"], pk["jd-com-us-beef-and-pork-2017"]

    assert found("Boe") == {pk["boeing-casc-300-aircraft-2017"]}
    assert found("京东") == {jd_pledge, jd_meat}  # JD.com signed both
    # "food" begins a word of the pledge's title and of the meat deal's Smithfield Foods.
    assert found("jingdong FOOD") == {jd_pledge, jd_meat}
    assert found("jingdong beef") == {jd_meat}
    assert found("bell heli") == {pk["reignwood-bell-helicopters-2017"]}
    assert found("oeing") == set()


@pytest.mark.parametrize("text", ["!!!", "&|!():*", "'", "\\", "—"])
def test_a_text_without_words_finds_nothing(demo, text):
    assert found(text) == set()


def test_a_blank_text_is_no_search(demo):
    assert found("  ") == {deal.pk for deal in demo}


# --- the vector follows every change (asserted through search, so on both databases) -------


@pytest.fixture
def deal(db):
    deal = DealFactory(title="Aircraft order", summary="Planes for the fleet.")
    DealPartyFactory(deal=deal, party=PartyFactory(name="Boeing", aliases="Boeing Company"))
    return deal


def test_a_deal_is_found_after_its_title_changes(deal):
    deal.title = "Helicopter order"
    deal.save()

    assert found("helicopter") == {deal.pk}
    assert found("aircraft") == set()


def test_a_deal_is_found_after_its_summary_changes_by_a_bulk_update(deal):
    Deal.objects.filter(pk=deal.pk).update(summary="Rotorcraft for the navy.")

    assert found("rotor navy") == {deal.pk}
    assert found("planes") == set()


def test_a_deal_is_found_by_a_party_s_new_name_after_a_rename(deal):
    party = deal.parties.get()
    party.name = "Airbus"
    party.save()

    assert found("airbus") == {deal.pk}
    assert found("boeing") == {deal.pk}  # still an alias
    party.aliases = ""
    party.save()
    assert found("boeing") == set()


def test_a_deal_is_found_after_a_bulk_rename_of_its_party(deal):
    Party.objects.filter(deals=deal).update(name="Comac", native_name="中国商飞", aliases="")

    assert found("comac") == {deal.pk}
    assert found("中国") == {deal.pk}
    assert found("boeing") == set()


def test_a_deal_is_found_by_an_alias_added_to_its_party(deal):
    party = deal.parties.get()
    party.aliases = "Boeing Company\nBCA"
    party.save()

    assert found("bca") == {deal.pk}


def test_a_deal_is_found_by_a_party_added_and_not_by_one_removed(deal):
    DealPartyFactory(deal=deal, party=PartyFactory(name="Air China"), role="seller")

    assert found("air china") == {deal.pk}
    DealParty.objects.filter(deal=deal, party__name="Boeing").delete()
    assert found("boeing") == set()
    assert found("china") == {deal.pk}


def test_a_deal_is_found_by_the_party_a_link_is_moved_to(deal):
    comac = PartyFactory(name="Comac")
    DealParty.objects.filter(deal=deal).update(party=comac)

    assert found("comac") == {deal.pk}
    assert found("boeing") == set()


def test_parties_added_in_bulk_are_found(deal):
    other = DealFactory(title="Second order")
    airbus = PartyFactory(name="Airbus")
    DealParty.objects.bulk_create(
        [DealParty(deal=d, party=airbus, role="seller") for d in (deal, other)]
    )

    assert found("airbus") == {deal.pk, other.pk}


def test_a_merged_party_s_deals_are_found_by_both_names(deal):
    survivor = PartyFactory(name="Boeing Commercial Airplanes")
    merge_parties(survivor, [deal.parties.get()], user=UserFactory())

    assert found("commercial airplanes") == {deal.pk}
    assert found("boeing company") == {deal.pk}  # the merged party's alias moved over


def test_a_stale_vector_written_back_by_a_save_is_recomputed(deal):
    stale = Deal.objects.get(pk=deal.pk)
    party = deal.parties.get()
    party.name = "Airbus"
    party.aliases = ""
    party.save()

    stale.save()  # writes back the vector it read before the rename

    assert found("airbus") == {deal.pk}
    assert found("boeing") == set()


def test_refresh_search_vector_fills_the_vector_of_every_deal_it_is_given(deal):
    """PostgreSQL keeps a vector for every deal; SQLite keeps none (it searches the
    columns themselves), so there is nothing to refresh there."""
    DealFactory(title="Second order")

    refreshed = Deal.objects.refresh_search_vector()

    if connection.vendor == "postgresql":
        assert refreshed == 2
        assert not Deal.objects.filter(search_vector__isnull=True).exists()
    else:
        assert refreshed == 0
        assert Deal.objects.filter(search_vector__isnull=True).count() == 2


def test_the_vector_is_neither_in_history_nor_in_backups(deal):
    assert "search_vector" not in {field.name for field in Deal.history.model._meta.fields}
    assert "search_vector" not in serializers.serialize("json", [deal])


# --- ranking, drafts, the page and the API ----------------------------------------------------


@pytest.fixture
def ranked_deals(db):
    """Three deals that mention Boeing: in the title, a party's name, only the summary."""
    in_summary = DealFactory(title="Aircraft order", summary="Engines for Boeing planes.")
    in_party = DealFactory(title="Engine order", summary="Engines.")
    DealPartyFactory(deal=in_party, party=PartyFactory(name="Boeing"))
    in_title = DealFactory(title="Boeing order", summary="Planes.")
    draft = DealFactory(title="Boeing draft", is_published=False)
    return {"title": in_title, "party": in_party, "summary": in_summary, "draft": draft}


def test_ranking_puts_a_title_match_above_a_summary_only_match(ranked_deals):
    ranked = list(Deal.objects.published().search("boeing").ranked("boeing"))

    assert ranked[0] == ranked_deals["title"]
    assert ranked[-1] == ranked_deals["summary"]
    assert len(ranked) == 3


def test_the_browse_page_lists_the_best_matches_first_and_ungrouped(client, ranked_deals):
    response = client.get("/deals/?q=boeing")

    listed = [text for href, text in read(response).links if href.startswith("/deals/")]
    titles = [text for text in listed if "order" in text or "draft" in text]
    assert titles[0] == "Boeing order"
    assert titles[-1] == "Aircraft order"
    assert "Boeing draft" not in listed
    assert response.context["is_grouped"] is False
    assert response.context["sort_choices"][0] == ("", "Best match first")


def test_a_sort_asked_for_overrides_relevance(client, ranked_deals):
    response = client.get("/deals/?q=boeing&ordering=title")

    listed = [text for href, text in read(response).links if text.endswith("order")]
    assert listed == ["Aircraft order", "Boeing order", "Engine order"]


def test_the_api_lists_the_best_matches_first_and_never_drafts(client, ranked_deals):
    body = client.get("/api/v1/deals/?q=boeing").json()

    assert [deal["title"] for deal in body["results"]][0] == "Boeing order"
    assert body["results"][-1]["title"] == "Aircraft order"
    assert body["count"] == 3
    ordered = client.get("/api/v1/deals/?q=boeing&ordering=-title").json()
    assert [d["title"] for d in ordered["results"]] == [
        "Engine order",
        "Boeing order",
        "Aircraft order",
    ]


def test_drafts_are_never_found_on_the_page_the_api_or_the_csv(client, ranked_deals):
    page = client.get("/deals/?q=draft").content.decode()
    api = client.get("/api/v1/deals/?q=draft").json()
    csv = b"".join(client.get("/deals/csv/?q=draft").streaming_content).decode()

    assert "Boeing draft" not in page
    assert api["count"] == 0
    assert "Boeing draft" not in csv


def test_a_text_without_words_lists_no_deal_on_the_page_or_the_api(client, ranked_deals):
    page = read(client.get("/deals/?q=%21%21%21")).main_text
    api = client.get("/api/v1/deals/?q=%21%21%21").json()

    assert "0 deals match “!!!”" in page
    assert api["count"] == 0


def search_page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_search_page_costs_the_same_queries_for_5_and_for_50_matches(client, db):
    anchor = PartyFactory(name="Anchor Holdings")

    def add(count, start):
        for number in range(start, start + count):
            deal = DealFactory(title=f"Anchor deal {number}", summary=f"Deal {number}.")
            DealPartyFactory(deal=deal, party=anchor)
            DealPartyFactory(deal=deal, role="seller")

    url = "/deals/?q=anch+deal"
    add(5, 0)
    few = search_page_queries(client, url)
    add(45, 5)
    many = search_page_queries(client, url)

    assert many == few
    assert client.get(url).content.decode().count('href="/deals/deal-') == 50
