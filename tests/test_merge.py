"""Merging duplicate parties: links move, names become aliases, history tells, all at once."""

import pytest
from django.urls import reverse

from deals.models import DealParty, Party
from deals.services import likely_duplicate_parties, merge_parties, party_name_key
from tests.factories import DealFactory, DealPartyFactory, PartyFactory

MERGE_URL = reverse("admin:deals_party_merge")
CHANGELIST_URL = reverse("admin:deals_party_changelist")


@pytest.fixture
def bells(db):
    """One helicopter maker entered twice, with deals on both, one deal on both."""
    textron = PartyFactory(name="Textron")
    bell = PartyFactory(name="Bell Helicopter", parent=textron, native_name="", aliases="Bell")
    twin = PartyFactory(
        name="Bell Helicopter Textron", native_name="贝尔直升机", aliases="Bell Textron\nBell"
    )
    both, on_bell, on_twin = DealFactory(), DealFactory(), DealFactory()
    DealPartyFactory(deal=both, party=bell, role="seller")
    DealPartyFactory(
        deal=both, party=twin, role="seller", signatory_name="Mitch Snyder", signatory_title="CEO"
    )
    DealPartyFactory(deal=on_bell, party=bell, role="seller")
    DealPartyFactory(deal=on_twin, party=twin, role="seller")
    DealPartyFactory(deal=on_twin, party=twin, role="guarantor")
    subsidiary = PartyFactory(name="Bell Flight Training", parent=twin)
    return {
        "bell": bell,
        "twin": twin,
        "both": both,
        "on_bell": on_bell,
        "on_twin": on_twin,
        "subsidiary": subsidiary,
        "textron": textron,
    }


def links(party):
    return sorted(
        DealParty.objects.filter(party=party).values_list("deal__title", "role"),
    )


def test_merging_two_parties_with_deals_on_both_moves_every_link(bells, editor):
    bell, twin = bells["bell"], bells["twin"]

    result = merge_parties(bell, [twin], user=editor)

    assert not Party.objects.filter(pk=twin.pk).exists()
    assert links(bell) == sorted(
        [
            (bells["both"].title, "seller"),
            (bells["on_bell"].title, "seller"),
            (bells["on_twin"].title, "seller"),
            (bells["on_twin"].title, "guarantor"),
        ]
    )
    assert (result.moved_links, result.dropped_links) == (2, 1)
    # The deal both signed keeps one link, with the signatory only the duplicate knew.
    kept = DealParty.objects.get(deal=bells["both"])
    assert (kept.party, kept.signatory_name, kept.signatory_title) == (bell, "Mitch Snyder", "CEO")


def test_the_other_names_become_aliases_and_blanks_are_filled(bells, editor):
    bell = bells["bell"]

    merge_parties(bell, [bells["twin"]], user=editor)

    bell.refresh_from_db()
    assert bell.alias_list == ["Bell", "Bell Helicopter Textron", "贝尔直升机", "Bell Textron"]
    assert bell.native_name == "贝尔直升机"
    assert bell.parent == bells["textron"]  # its own group stays


def test_subsidiaries_move_to_the_survivor(bells, editor):
    merge_parties(bells["bell"], [bells["twin"]], user=editor)

    bells["subsidiary"].refresh_from_db()
    assert bells["subsidiary"].parent == bells["bell"]


def test_a_survivor_that_belonged_to_its_duplicate_takes_the_duplicates_group(db, editor):
    textron = PartyFactory(name="Textron")
    group = PartyFactory(name="Bell Helicopter Textron", parent=textron)
    bell = PartyFactory(name="Bell Helicopter", parent=group)

    merge_parties(bell, [group], user=editor)

    bell.refresh_from_db()
    assert bell.parent == textron


def test_history_records_the_merge_with_who_did_it(bells, editor):
    bell, twin = bells["bell"], bells["twin"]

    merge_parties(bell, [twin], user=editor)

    latest = bell.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Merged Bell Helicopter Textron into Bell Helicopter"
    deletion = Party.history.filter(id=twin.pk).first()
    assert (deletion.history_type, deletion.history_user) == ("-", editor)
    assert "Merged into Bell Helicopter" in deletion.history_change_reason
    # Two links moved, and the kept one took the duplicate's signatory.
    moved = DealParty.history.filter(party_id=bell.pk, history_type="~")
    assert moved.count() == 3
    assert {record.history_user for record in moved} == {editor}
    dropped = DealParty.history.filter(party_id=twin.pk, history_type="-")
    assert dropped.count() == 1


def test_a_merge_that_fails_half_way_changes_nothing(bells, editor, monkeypatch):
    bell, twin = bells["bell"], bells["twin"]
    before = links(bell), links(twin)

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Party, "delete", fail)
    with pytest.raises(RuntimeError):
        merge_parties(bell, [twin], user=editor)

    assert (links(bell), links(twin)) == before
    bell.refresh_from_db()
    assert bell.alias_list == ["Bell"]
    assert Party.objects.filter(pk=twin.pk).exists()


def test_merging_a_party_into_itself_is_refused(bells, editor):
    with pytest.raises(ValueError, match="other than the one that stays"):
        merge_parties(bells["bell"], [bells["bell"]], user=editor)


# --- in the admin -------------------------------------------------------------------------


def test_the_merge_action_leads_to_a_page_to_choose_the_survivor(editor_client, bells):
    DealPartyFactory(party=bells["twin"])
    ids = [bells["bell"].pk, bells["twin"].pk]
    response = editor_client.post(
        CHANGELIST_URL, {"action": "merge_selected", "_selected_action": ids}
    )

    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Bell Helicopter Textron" in content
    assert "贝尔直升机" in content
    # The party with the most deals is offered as the one to keep.
    assert page.context["form"].initial["survivor"] == bells["twin"]


def test_an_editor_merges_two_parties_in_the_admin(editor_client, editor, bells):
    bell, twin = bells["bell"], bells["twin"]
    ids = f"{bell.pk},{twin.pk}"

    response = editor_client.post(MERGE_URL, {"ids": ids, "survivor": bell.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:deals_party_change", args=[bell.pk])
    assert not Party.objects.filter(pk=twin.pk).exists()
    assert len(links(bell)) == 4
    page = editor_client.get(response["Location"])
    assert "Merged Bell Helicopter Textron into Bell Helicopter" in page.content.decode()


def test_a_survivor_outside_the_selection_is_refused(editor_client, bells):
    ids = f"{bells['bell'].pk},{bells['twin'].pk}"

    response = editor_client.post(MERGE_URL, {"ids": ids, "survivor": bells["textron"].pk})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Party.objects.filter(pk=bells["twin"].pk).exists()


def test_a_contributor_may_not_merge(contributor_client, bells):
    ids = f"{bells['bell'].pk},{bells['twin'].pk}"

    response = contributor_client.post(MERGE_URL, {"ids": ids, "survivor": bells["bell"].pk})

    assert response.status_code == 403
    assert Party.objects.filter(pk=bells["twin"].pk).exists()
    offered = contributor_client.get(CHANGELIST_URL).context["action_form"]
    assert offered is None or "merge_selected" not in dict(offered.fields["action"].choices)


def test_merging_needs_two_parties(editor_client, bells):
    response = editor_client.get(MERGE_URL, {"ids": str(bells["bell"].pk)})

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL


# --- what looks like a duplicate ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Bell Helicopter Textron Inc.", "bell helicopter textron"),
        ("JD.com, Inc.", "jd com"),
        ("The Boeing Company", "boeing"),
        ("China Investment Corp", "china investment"),
        ("Goldman Sachs Group", "goldman sachs"),
        ("Société Générale SA", "societe generale"),
        ("Inc.", ""),
    ],
)
def test_a_name_key_sets_aside_case_punctuation_and_corporate_suffixes(name, key):
    assert party_name_key(name) == key


def test_parties_that_look_alike_are_grouped(db):
    bell = PartyFactory(name="Bell Helicopter")
    twin = PartyFactory(name="Bell Helicopter Textron")
    jd = PartyFactory(name="JD.com")
    jd_inc = PartyFactory(name="JD.com, Inc.")
    jingdong = PartyFactory(name="Jingdong Mall", aliases="JD.com")
    boeing = PartyFactory(name="Boeing")
    boeing_capital = PartyFactory(name="Boeing Capital", parent=boeing)
    china = PartyFactory(name="China")
    china_mobile = PartyFactory(name="China Mobile")

    groups = likely_duplicate_parties()

    assert sorted([jd.pk, jd_inc.pk, jingdong.pk]) in groups
    assert sorted([bell.pk, twin.pk]) in groups
    grouped = {pk for group in groups for pk in group}
    # A declared subsidiary is not a duplicate; one word is too little to call a prefix.
    assert not {boeing.pk, boeing_capital.pk, china.pk, china_mobile.pk} & grouped
