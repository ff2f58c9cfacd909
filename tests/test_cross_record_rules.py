"""A record that cannot contradict itself (issue 16): a signing date against its
ceremony's, umbrellas of one occasion, follow-ons signed after what they follow, and
errors that say what happened; alike in the admin, the API and the import."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deals.models import Deal
from tests.factories import CeremonyFactory, DealFactory, SectorFactory
from tests.test_api_write import DEALS, error, new_deal
from tests.test_import_export import csv_file, preview, problems

NOV_8, NOV_9 = datetime.date(2017, 11, 8), datetime.date(2017, 11, 9)


def clean_errors(deal):
    with pytest.raises(ValidationError) as refused:
        deal.full_clean()
    return refused.value.message_dict


# --- the model ------------------------------------------------------------------------


def test_a_signing_date_other_than_the_ceremonys_is_refused_unless_marked(db):
    deal = DealFactory(signed_on=NOV_8)
    deal.signed_on = NOV_9

    assert (
        "mark it as “announced at the ceremony, signed later”"
        in (clean_errors(deal)["signed_on"][0])
    )
    deal.ceremony_signing = Deal.CeremonySigning.LATER
    deal.full_clean()


def test_a_deal_marked_signed_earlier_must_be_dated_before_its_ceremony(db):
    deal = DealFactory(signed_on=NOV_8, ceremony_signing=Deal.CeremonySigning.AT_CEREMONY)
    deal.ceremony_signing = Deal.CeremonySigning.EARLIER

    assert "signed_on" in clean_errors(deal)


def test_a_deal_at_no_ceremony_cannot_be_marked_as_signed_later(db):
    deal = DealFactory(ceremony=None, signed_on=NOV_9)
    deal.ceremony_signing = Deal.CeremonySigning.LATER

    assert list(clean_errors(deal)) == ["ceremony_signing"]


def test_an_umbrella_of_another_occasion_is_refused(db):
    umbrella = DealFactory()
    component = DealFactory(signed_on=NOV_8)
    component.umbrella = umbrella

    assert "share one occasion" in clean_errors(component)["umbrella"][0]


def test_an_umbrella_of_another_ceremony_of_the_same_occasion_is_accepted(db):
    umbrella = DealFactory()
    other = CeremonyFactory(occasion=umbrella.ceremony.occasion, date=NOV_8)
    component = DealFactory(ceremony=other, umbrella=umbrella)

    component.full_clean()


def test_an_umbrella_moved_to_another_occasion_than_its_components_is_refused(db):
    umbrella = DealFactory()
    same_visit = CeremonyFactory(occasion=umbrella.ceremony.occasion, date=NOV_8)
    DealFactory(ceremony=same_visit, umbrella=umbrella, signed_on=NOV_8)
    umbrella.ceremony = CeremonyFactory(date=umbrella.ceremony.date)  # another occasion

    assert "share one occasion" in clean_errors(umbrella)["ceremony"][0]
    umbrella.ceremony = CeremonyFactory(occasion=same_visit.occasion, date=same_visit.date)
    umbrella.signed_on = same_visit.date
    umbrella.full_clean()


def test_follows_cannot_form_a_cycle(db):
    first = DealFactory()
    second = DealFactory(ceremony=first.ceremony, follows=first)
    first.follows = second

    assert "follows" in clean_errors(first)


def test_a_follow_on_signed_before_the_deal_it_follows_is_refused(db):
    mou = DealFactory(ceremony=None, signed_on=datetime.date(2018, 2, 9))
    contract = DealFactory(ceremony=None, signed_on=NOV_9)
    contract.follows = mou

    assert "a deal cannot follow one signed later" in clean_errors(contract)["follows"][0]


def test_moving_a_deal_it_follows_after_its_follow_on_is_refused(db):
    mou = DealFactory(ceremony=None, signed_on=NOV_8)
    DealFactory(ceremony=None, signed_on=NOV_9, follows=mou)
    mou.signed_on = datetime.date(2018, 1, 1)

    assert "follows this deal" in clean_errors(mou)["signed_on"][0]


def test_a_term_over_a_century_is_refused_with_the_limit(db):
    deal = DealFactory(term_months=12)
    deal.term_months = 99999

    assert clean_errors(deal)["term_months"] == ["A term is at most 1,200 months (100 years)."]


def test_moving_a_ceremony_moves_the_deals_signed_there(db):
    deal = DealFactory(signed_on=NOV_8)
    deal.ceremony.date = NOV_9
    deal.ceremony.full_clean()
    deal.ceremony.save()

    deal.refresh_from_db()
    assert (deal.signed_on, deal.ceremony_date) == (NOV_9, NOV_9)


def test_moving_a_ceremony_past_a_deal_signed_later_is_refused(db):
    deal = DealFactory(signed_on=NOV_9)
    assert deal.ceremony_signing == Deal.CeremonySigning.LATER
    ceremony = deal.ceremony
    ceremony.date = datetime.date(2017, 11, 10)

    with pytest.raises(ValidationError) as refused:
        ceremony.full_clean()
    assert "date" in refused.value.message_dict


# --- the API --------------------------------------------------------------------------


def test_the_api_refuses_a_date_other_than_the_ceremonys_naming_signed_on(
    token_client, editor, api_record
):
    data = new_deal()
    del data["ceremony_signing"]

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["signed_on"]
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


def test_the_api_accepts_a_date_marked_as_signed_later(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, new_deal(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["ceremony_signing"] == "later"
    assert Deal.objects.get(slug="boeing-300-aircraft").ceremony_signing == "later"


def test_the_api_refuses_an_umbrella_of_another_occasion(token_client, editor, api_record):
    umbrella = DealFactory(slug="elsewhere")
    data = new_deal(umbrella="elsewhere")

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert "share one occasion" in error(response)["fields"]["umbrella"][0]
    assert not umbrella.components.exists()


def test_the_api_refuses_a_follow_on_signed_before_it(token_client, editor, api_record):
    DealFactory(slug="later-mou", ceremony=None, signed_on=datetime.date(2018, 2, 9))

    response = token_client(editor).post(DEALS, new_deal(follows="later-mou"), format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["follows"]


def test_a_date_that_does_not_exist_is_named_as_such(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, new_deal(signed_on="2018-02-30"), format="json")

    assert response.status_code == 400
    assert error(response)["fields"]["signed_on"] == [
        "2018-02-30 is not a date that exists (check the day and the month)."
    ]


def test_a_deal_without_a_value_names_value(token_client, editor, api_record):
    data = new_deal()
    del data["value"]

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert error(response)["fields"]["value"][0].startswith('Give the value: {"amount"')
    assert list(error(response)["fields"]) == ["value"]


def test_a_huge_term_gets_the_domain_limit(token_client, editor, api_record):
    data = new_deal(term={"months": 99999999999999999999})

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert error(response)["fields"]["term.months"] == [
        "A term is at most 1,200 months (100 years)."
    ]


@pytest.mark.parametrize("amount", ["1e9", "1,000", " 12", 1000000, "-5"])
def test_an_amount_the_schema_forbids_is_refused(token_client, editor, api_record, amount):
    data = new_deal()
    data["value"]["amount"] = amount

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["value.amount"]
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


def test_the_schema_limits_equal_the_validators(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    term = schema["components"]["schemas"]["DealTermRequest"]["properties"]["months"]
    value = schema["components"]["schemas"]["DealValueRequest"]["properties"]["amount"]

    assert (term["minimum"], term["maximum"]) == (1, Deal.MAX_TERM_MONTHS)
    assert value["pattern"].startswith("^(?:\\d{1,14}")


def test_field_and_cross_field_errors_come_in_one_400(token_client, editor, api_record):
    data = new_deal()
    del data["ceremony_signing"]
    data["value"]["currency"] = "XXQ"

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"value.currency", "signed_on"}


# --- the admin ------------------------------------------------------------------------


def admin_data(deal, **changes):
    data = {
        "title": deal.title,
        "slug": deal.slug,
        "sector": deal.sector_id,
        "instrument": deal.instrument,
        "value_amount": "1000000",
        "value_currency": "USD",
        "value_qualifier": "exact",
        "value_basis": "unspecified",
        "value_stated_by": "unknown",
        "ceremony": deal.ceremony_id or "",
        "signed_on": deal.signed_on.isoformat() if deal.signed_on else "",
        "ceremony_signing": deal.ceremony_signing,
        "status": deal.status,
        "is_published": "",
    }
    for prefix in ("deal_parties", "citations", "status_updates"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


@pytest.fixture
def draft(db):
    return DealFactory(signed_on=NOV_8, is_published=False, sector=SectorFactory())


def test_the_admin_names_signed_on_for_a_date_other_than_the_ceremonys(editor_client, draft):
    url = reverse("admin:deals_deal_change", args=[draft.pk])

    response = editor_client.post(url, admin_data(draft, signed_on="2017-11-09"))

    assert response.status_code == 200
    assert "signed_on" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.signed_on == NOV_8


def test_the_admin_saves_a_date_marked_as_signed_later(editor_client, draft):
    url = reverse("admin:deals_deal_change", args=[draft.pk])

    response = editor_client.post(
        url, admin_data(draft, signed_on="2017-11-09", ceremony_signing="later")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.signed_on, draft.ceremony_signing) == (NOV_9, "later")


def test_the_quick_entry_still_checks_the_date_against_the_ceremony(editor_client, draft):
    url = reverse("admin:deals_deal_change", args=[draft.pk])
    data = admin_data(
        draft, signed_on="2017-11-09", value_wording="US$1.2 billion", value_amount=""
    )

    response = editor_client.post(url, data)

    errors = response.context["adminform"].form.errors
    assert {"signed_on", "value_wording"} <= set(errors)


def test_the_admin_refuses_an_umbrella_of_another_occasion(editor_client, draft):
    umbrella = DealFactory()
    url = reverse("admin:deals_deal_change", args=[draft.pk])

    response = editor_client.post(url, admin_data(draft, umbrella=umbrella.pk))

    assert "umbrella" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.umbrella is None


def test_the_admin_refuses_a_term_over_a_century(editor_client, draft):
    url = reverse("admin:deals_deal_change", args=[draft.pk])

    response = editor_client.post(url, admin_data(draft, term_months="5000"))

    assert response.context["adminform"].form.errors["term_months"] == [
        "A term is at most 1,200 months (100 years)."
    ]


# --- the import -----------------------------------------------------------------------


def test_the_import_names_row_and_column_of_a_date_other_than_the_ceremonys(editor_client, db):
    CeremonyFactory(name="Great Hall signings", slug="great-hall-signings", date=NOV_8)
    text = """
title,sector,value_wording,ceremony,signed_on,ceremony_signing
Beef,10,US$1.2 billion,great-hall-signings,2017-11-08,
Pork,10,US$1 billion,great-hall-signings,2017-11-09,
Chips,10,US$1 billion,great-hall-signings,2017-11-09,later
"""
    found = problems(preview(editor_client, "deal", csv_file(text)))

    assert [(row, column) for row, column, _ in found] == [(3, "signed_on")]


def test_the_import_refuses_a_follow_on_signed_before_it(editor_client, db):
    DealFactory(slug="later-mou", ceremony=None, signed_on=datetime.date(2018, 2, 9))
    text = """
title,sector,value_wording,signed_on,follows,umbrella
Contract,10,US$1 billion,2017-11-09,later-mou,
"""
    found = problems(preview(editor_client, "deal", csv_file(text)))

    assert [(row, column) for row, column, _ in found] == [(2, "follows")]


def test_the_import_refuses_a_term_over_a_century(editor_client, db):
    text = """
title,sector,value_wording,signed_on,term_months
Contract,10,US$1 billion,2017-11-09,5000
"""
    found = problems(preview(editor_client, "deal", csv_file(text)))

    assert [(row, column, message) for row, column, message in found] == [
        (2, "term_months", "A term is at most 1,200 months (100 years).")
    ]
