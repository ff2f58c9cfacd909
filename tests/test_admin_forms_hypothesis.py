"""The admin's deal and party forms, fed arbitrary text and numbers: they either accept
the input and store exactly what was accepted, or answer with form errors. Never a
server error, never a database error the form did not foresee."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deals.models import Deal, Party
from tests.factories import CeremonyFactory, SectorFactory

HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=600)
amounts = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), places=4),
    st.text(max_size=40),
)


def admin_form(model, editor):
    request = RequestFactory().post("/admin/")
    request.user = editor
    return admin.site._registry[model].get_form(request)


def submitted(value):
    return "" if value is None else str(value)


@pytest.fixture
def deal_base(editor):
    sector, ceremony = SectorFactory(), CeremonyFactory()
    return {
        "title": "JD.com food purchases",
        "slug": "jd-food",
        "sector": sector.pk,
        "instrument": Deal.Instrument.CONTRACT,
        "value_currency": "USD",
        "value_qualifier": "exact",
        "value_basis": Deal.Basis.UNSPECIFIED,
        "value_stated_by": Deal.StatedBy.UNKNOWN,
        "ceremony": ceremony.pk,
        "signed_on": ceremony.date.isoformat(),
        "ceremony_signing": "at_ceremony",
        "status": Deal.Status.SIGNED,
    }


@HYPOTHESIS
@given(
    title=text,
    summary=text,
    description=text,
    wording=st.one_of(st.just(""), st.text(max_size=320)),
    amount=amounts,
    currency=st.one_of(st.sampled_from(["USD", "CNY", "EUR"]), st.text(max_size=5)),
    months=st.one_of(st.none(), st.integers(-(10**12), 10**12)),
)
def test_the_deal_form_accepts_and_stores_or_answers_with_errors(
    editor, deal_base, title, summary, description, wording, amount, currency, months
):
    data = dict(
        deal_base,
        title=title,
        summary=summary,
        description=description,
        value_wording=wording,
        value_amount=submitted(amount),
        value_currency=currency,
        term_months=submitted(months),
    )
    form = admin_form(Deal, editor)(data=data)
    with transaction.atomic():
        if form.is_valid():
            deal = form.save()
            deal.refresh_from_db()
            assert deal.title == form.cleaned_data["title"]
            assert deal.summary == form.cleaned_data["summary"]
            assert deal.value_amount == form.cleaned_data["value_amount"]
            assert deal.term_months == form.cleaned_data["term_months"]
        else:
            assert form.errors
        transaction.set_rollback(True)


@HYPOTHESIS
@given(
    name=text,
    native_name=text,
    aliases=text,
    slug=st.one_of(st.from_regex(r"[a-z0-9-]{1,50}", fullmatch=True), st.text(max_size=60)),
    country=st.one_of(st.sampled_from(["CN", "US"]), text),
)
def test_the_party_form_accepts_and_stores_or_answers_with_errors(
    editor, name, native_name, aliases, slug, country
):
    data = {
        "name": name,
        "slug": slug,
        "native_name": native_name,
        "aliases": aliases,
        "country": country[:2],
        "kind": Party.Kind.COMPANY,
    }
    form = admin_form(Party, editor)(data=data)
    with transaction.atomic():
        if form.is_valid():
            party = form.save()
            party.refresh_from_db()
            assert party.name == form.cleaned_data["name"]
            assert party.native_name == form.cleaned_data["native_name"]
        else:
            assert form.errors
        transaction.set_rollback(True)


def test_the_deal_forms_starting_point_is_accepted_so_the_save_path_is_exercised(editor, deal_base):
    form = admin_form(Deal, editor)(data=dict(deal_base, value_amount="2000000000"))
    assert form.is_valid(), form.errors
    assert form.save().value_amount == Decimal("2000000000")


def test_a_plain_party_is_accepted_so_the_save_path_is_exercised(editor):
    data = {"name": "京东", "slug": "jd", "country": "CN", "kind": Party.Kind.COMPANY}
    form = admin_form(Party, editor)(data=data)
    assert form.is_valid(), form.errors
    form.save()
    assert Party.objects.get(slug="jd").name == "京东"
