"""The database itself refuses rows that break the domain's invariants, on both backends.

Every write here goes past `clean()` (a queryset `update()` or a plain `create()`),
so only the database stands in the way. Each case also has a good neighbour, a value
next to the bad one that the database accepts: a case cannot pass merely because its
write was broken in some other way.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, connection, models, transaction
from simple_history.models import HistoricalChanges

from deals.models import (
    Ceremony,
    CeremonySource,
    CorrectionReport,
    Deal,
    DealParty,
    DealSource,
    DigestSent,
    Dignitary,
    ExchangeRate,
    FigureRow,
    FigureSum,
    Follow,
    Occasion,
    Party,
    PartyIdentifier,
    PartyNameKey,
    Qualifier,
    Sector,
    StatusUpdate,
)
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    PersonFactory,
    SectorFactory,
    SourceFactory,
    VenueFactory,
)

DAY = datetime.timedelta(days=1)


def domain_models():
    """The models of the deals app, without the history tables simple_history adds."""
    return [
        model
        for model in apps.get_app_config("deals").get_models()
        if not issubclass(model, HistoricalChanges)
    ]


# --- what a case is ----------------------------------------------------------------


def update_row(row, values):
    """Write `values` by a queryset update, which calls neither save() nor clean()."""
    type(row).objects.filter(pk=row.pk).update(**values)
    return type(row).objects.get(pk=row.pk)


@dataclass(frozen=True)
class Case:
    """A write the database must refuse with `bad` values and accept with `good` ones.

    `arrange` builds the rows the write needs; `write(arranged, values)` performs it
    and returns the written row. A value may be a function of the arranged rows
    (e.g. the deal's own id). `constraint` names a Meta constraint; `unique_field`
    names a field declared `unique=True` instead.
    """

    model: type[models.Model]
    arrange: Callable
    bad: dict
    good: dict
    write: Callable = update_row
    constraint: str = ""
    unique_field: str = ""
    # PostgreSQL refuses a value longer than its varchar column before it consults
    # any check constraint, and says so with a DataError; SQLite has no lengths.
    longer_than_column: bool = field(default=False)

    def values(self, arranged, values):
        return {name: v(arranged) if callable(v) else v for name, v in values.items()}


def check(model, constraint, arrange, bad, good, **kwargs):
    return Case(model=model, constraint=constraint, arrange=arrange, bad=bad, good=good, **kwargs)


def duplicate(model, constraint, arrange, copy, bad, good):
    """A second row like the arranged one (`copy(first)` gives its other fields)."""

    def write(first, values):
        return model.objects.create(**{**copy(first), **values})

    return Case(
        model=model, constraint=constraint, arrange=arrange, write=write, bad=bad, good=good
    )


def duplicate_slug(factory, attribute="slug", taken="taken-slug", free="free-slug"):
    def write(_first, values):
        return factory(**values)

    return Case(
        model=factory._meta.model,
        unique_field=attribute,
        arrange=lambda: factory(**{attribute: taken}),
        write=write,
        bad={attribute: taken},
        good={attribute: free},
    )


# --- rows the cases need ---------------------------------------------------------------


def disclosed_ceremony():
    return CeremonyFactory(
        announced_value_amount=Decimal("9000000000"), announced_value_qualifier=Qualifier.ABOUT
    )


def disclosed_occasion():
    return OccasionFactory(
        announced_value_amount=Decimal("250000000000"), announced_value_qualifier=Qualifier.ABOUT
    )


def correction_report():
    return CorrectionReport.objects.create(page_url="/deals/x/", message="Wrong value.")


def dignitary():
    return Dignitary.objects.create(
        ceremony=CeremonyFactory(),
        person=PersonFactory(),
        title="President of the People's Republic of China",
        role=Dignitary.Role.HOST,
    )


def ceremony_citation():
    return CeremonySource.objects.create(ceremony=CeremonyFactory(), source=SourceFactory())


def deal_citation():
    return DealSource.objects.create(deal=DealFactory(), source=SourceFactory())


def coded_sector_beside_one_without_code():
    SectorFactory(code="")
    return SectorFactory(code="ZZ1")


def deal_with_term():
    return DealFactory(
        term_months=36,
        term_start_date=datetime.date(2018, 1, 1),
        term_end_date=datetime.date(2020, 12, 31),
    )


def kept_figure_row():
    deal = DealFactory()
    return FigureRow.objects.current().get(deal=deal, scope="all")


def kept_figure_sum():
    deal = DealFactory()
    FigureSum.objects.current()
    return FigureSum.objects.get(scope=f"sector:{deal.sector_id}")


def follow_of(kind):
    targets = {
        "party": PartyFactory,
        "sector": SectorFactory,
        "ceremony": CeremonyFactory,
        "occasion": OccasionFactory,
        "country": lambda: "CN",
    }
    return Follow.objects.create(email="reader@example.net", **{kind: targets[kind]()})


def own_pk(row):
    return row.pk


def another_deal(_row):
    return DealFactory().pk


CONSTRAINT_CASES = {
    # Deal value
    "a negative deal amount": check(
        Deal,
        "deal_value_amount_not_negative",
        DealFactory,
        bad={"value_amount": Decimal("-0.01")},
        good={"value_amount": Decimal("0")},
    ),
    "a deal amount missing while the qualifier is exact": check(
        Deal,
        "deal_value_amount_matches_qualifier",
        DealFactory,
        bad={"value_amount": None},
        good={"value_amount": None, "value_qualifier": Qualifier.UNDISCLOSED},
    ),
    "a deal amount given while the value is undisclosed": check(
        Deal,
        "deal_value_amount_matches_qualifier",
        DealFactory,
        bad={"value_qualifier": Qualifier.UNDISCLOSED},
        good={"value_qualifier": Qualifier.ABOUT},
    ),
    "a deal currency in lower case": check(
        Deal,
        "deal_value_currency_iso",
        DealFactory,
        bad={"value_currency": "usd"},
        good={"value_currency": "CNY"},
    ),
    "a deal currency of two letters": check(
        Deal,
        "deal_value_currency_iso",
        DealFactory,
        bad={"value_currency": "US"},
        good={"value_currency": "CNY"},
    ),
    "a deal currency of four letters": check(
        Deal,
        "deal_value_currency_iso",
        DealFactory,
        bad={"value_currency": "USDD"},
        good={"value_currency": "CNY"},
        longer_than_column=True,
    ),
    "a deal currency with a symbol": check(
        Deal,
        "deal_value_currency_iso",
        DealFactory,
        bad={"value_currency": "U$D"},
        good={"value_currency": "CNY"},
    ),
    "a deal currency with a trailing newline": check(
        Deal,
        "deal_value_currency_iso",
        DealFactory,
        bad={"value_currency": "USD\n"},
        good={"value_currency": "CNY"},
        longer_than_column=True,
    ),
    # Deal term and links
    "a term of zero months": check(
        Deal,
        "deal_term_months_positive",
        DealFactory,
        bad={"term_months": 0},
        good={"term_months": 1},
    ),
    "a term of more than a century": check(
        Deal,
        "deal_term_months_at_most_a_century",
        DealFactory,
        bad={"term_months": 1201},
        good={"term_months": 1200},
    ),
    "a deal whose signing and ceremony is none of the choices": check(
        Deal,
        "deal_ceremony_signing_valid",
        DealFactory,
        bad={"ceremony_signing": "someday"},
        good={"ceremony_signing": "at_ceremony"},
    ),
    "a deal at no ceremony said to be signed later than it": check(
        Deal,
        "deal_ceremony_signing_needs_ceremony",
        lambda: DealFactory(ceremony=None, signed_on=datetime.date(2018, 2, 9)),
        bad={"ceremony_signing": "later"},
        good={"ceremony_signing": "at_ceremony"},
    ),
    "a deal signed at its ceremony on another day": check(
        Deal,
        "deal_signed_on_matches_ceremony",
        DealFactory,
        bad={"signed_on": datetime.date(2017, 11, 9)},
        good={"signed_on": datetime.date(2017, 11, 9), "ceremony_signing": "later"},
    ),
    "a deal signed later than its ceremony, dated before it": check(
        Deal,
        "deal_signed_on_matches_ceremony",
        lambda: DealFactory(signed_on=datetime.date(2017, 11, 9)),
        bad={"signed_on": datetime.date(2017, 11, 7)},
        good={"signed_on": datetime.date(2017, 11, 10)},
    ),
    "a term that ends before it starts": check(
        Deal,
        "deal_term_end_not_before_start",
        deal_with_term,
        bad={"term_end_date": datetime.date(2017, 12, 31)},
        good={"term_end_date": datetime.date(2018, 1, 1)},
    ),
    "a deal that is its own umbrella": check(
        Deal,
        "deal_not_own_umbrella",
        DealFactory,
        bad={"umbrella_id": own_pk},
        good={"umbrella_id": another_deal},
    ),
    "a deal that follows itself": check(
        Deal,
        "deal_not_own_follow_on",
        DealFactory,
        bad={"follows_id": own_pk},
        good={"follows_id": another_deal},
    ),
    "a deal at a ceremony without the ceremony's date to list it by": check(
        Deal,
        "deal_ceremony_date_with_ceremony",
        DealFactory,
        bad={"ceremony_date": None},
        good={"ceremony_date": datetime.date(2017, 11, 9), "ceremony_signing": "earlier"},
    ),
    "a deal at no ceremony with a ceremony date": check(
        Deal,
        "deal_ceremony_date_with_ceremony",
        lambda: DealFactory(ceremony=None),
        bad={"ceremony_date": datetime.date(2017, 11, 9)},
        good={"ceremony_date": None},
    ),
    "a party twice in the same role": duplicate(
        DealParty,
        "deal_party_role_once",
        DealPartyFactory,
        copy=lambda first: {"deal": first.deal, "party": first.party},
        bad={"role": DealParty.Role.BUYER},
        good={"role": DealParty.Role.INVESTOR},
    ),
    "a source cited twice for a deal": duplicate(
        DealSource,
        "deal_source_cited_once",
        deal_citation,
        copy=lambda first: {"deal": first.deal},
        bad={"source": lambda first: first.source},
        good={"source": lambda _: SourceFactory()},
    ),
    # Kept figures
    "a deal twice in one scope's figures": duplicate(
        FigureRow,
        "figure_row_once_per_scope",
        kept_figure_row,
        copy=lambda first: {
            "deal": first.deal,
            "outcome": first.outcome,
            "value_qualifier": first.value_qualifier,
            "is_converted": False,
            "is_open": True,
        },
        bad={"scope": "all"},
        good={"scope": "party:1"},
    ),
    "an empty kept sum": check(
        FigureSum,
        "figure_sum_not_empty",
        kept_figure_sum,
        bad={"n": 0},
        good={"n": 2},
    ),
    # Ceremony
    "a negative announced value": check(
        Ceremony,
        "ceremony_announced_value_not_negative",
        disclosed_ceremony,
        bad={"announced_value_amount": Decimal("-1")},
        good={"announced_value_amount": Decimal("0")},
    ),
    "an announced amount while the value is undisclosed": check(
        Ceremony,
        "ceremony_announced_value_amount_matches_qualifier",
        CeremonyFactory,
        bad={"announced_value_amount": Decimal("9000000000")},
        good={
            "announced_value_amount": Decimal("9000000000"),
            "announced_value_qualifier": Qualifier.ABOUT,
        },
    ),
    "an announced qualifier without an amount": check(
        Ceremony,
        "ceremony_announced_value_amount_matches_qualifier",
        CeremonyFactory,
        bad={"announced_value_qualifier": Qualifier.ABOUT},
        good={"announced_value_qualifier": Qualifier.UNDISCLOSED},
    ),
    "an announced currency in lower case": check(
        Ceremony,
        "ceremony_announced_value_currency_iso",
        disclosed_ceremony,
        bad={"announced_value_currency": "usd"},
        good={"announced_value_currency": "CNY"},
    ),
    "an announced currency with a symbol": check(
        Ceremony,
        "ceremony_announced_value_currency_iso",
        disclosed_ceremony,
        bad={"announced_value_currency": "U$D"},
        good={"announced_value_currency": "CNY"},
    ),
    # Occasion: the visit's own headline, under the ceremony's rules
    "a negative announced visit value": check(
        Occasion,
        "occasion_announced_value_not_negative",
        disclosed_occasion,
        bad={"announced_value_amount": Decimal("-1")},
        good={"announced_value_amount": Decimal("0")},
    ),
    "an announced visit amount while the value is undisclosed": check(
        Occasion,
        "occasion_announced_value_amount_matches_qualifier",
        OccasionFactory,
        bad={"announced_value_amount": Decimal("9000000000")},
        good={
            "announced_value_amount": Decimal("9000000000"),
            "announced_value_qualifier": Qualifier.ABOUT,
        },
    ),
    "an announced visit currency in lower case": check(
        Occasion,
        "occasion_announced_value_currency_iso",
        disclosed_occasion,
        bad={"announced_value_currency": "usd"},
        good={"announced_value_currency": "CNY"},
    ),
    # Readers' correction reports
    "a correction report in a status that does not exist": check(
        CorrectionReport,
        "correction_status_valid",
        correction_report,
        bad={"status": "pending"},
        good={"status": "closed"},
    ),
    "a dignitary twice in the same role": duplicate(
        Dignitary,
        "dignitary_unique_role_per_ceremony",
        dignitary,
        copy=lambda first: {"ceremony": first.ceremony, "person": first.person, "title": "Host"},
        bad={"role": Dignitary.Role.HOST},
        good={"role": Dignitary.Role.SPEAKER},
    ),
    "a source cited twice for a ceremony": duplicate(
        CeremonySource,
        "ceremony_source_cited_once",
        ceremony_citation,
        copy=lambda first: {"ceremony": first.ceremony},
        bad={"source": lambda first: first.source},
        good={"source": lambda _: SourceFactory()},
    ),
    # Occasion, party, sector
    "an occasion that ends before it starts": check(
        Occasion,
        "occasion_end_date_not_before_start_date",
        OccasionFactory,
        bad={"end_date": datetime.date(2017, 11, 7)},
        good={"end_date": datetime.date(2017, 11, 8)},
    ),
    "a party's name key held twice for the same field": duplicate(
        PartyNameKey,
        "party_name_key_once",
        lambda: PartyFactory(name="Boeing").name_keys_held.get(),
        copy=lambda first: {"party": first.party, "field": "name"},
        bad={"key": "boeing"},
        good={"key": "boeing commercial"},
    ),
    "an identifier held by two parties": duplicate(
        PartyIdentifier,
        "party_identifier_once",
        lambda: PartyIdentifier.objects.create(party=PartyFactory(), scheme="qid", value="Q66"),
        copy=lambda first: {"party": PartyFactory(), "scheme": "qid"},
        bad={"value": "Q66"},
        good={"value": "Q67"},
    ),
    "a second QID for one party": duplicate(
        PartyIdentifier,
        "party_one_qid_and_lei",
        lambda: PartyIdentifier.objects.create(party=PartyFactory(), scheme="qid", value="Q66"),
        copy=lambda first: {"party": first.party},
        bad={"scheme": "qid", "value": "Q7"},
        good={"scheme": "ticker", "value": "NYSE:BA"},
    ),
    "an identifier off its scheme's pattern": check(
        PartyIdentifier,
        "party_identifier_pattern",
        lambda: PartyIdentifier.objects.create(party=PartyFactory(), scheme="qid", value="Q66"),
        bad={"value": "Q066"},
        good={"value": "Q1"},
    ),
    "a party that is its own parent": check(
        Party,
        "party_not_own_parent",
        PartyFactory,
        bad={"parent_id": own_pk},
        good={"parent_id": lambda _: PartyFactory().pk},
    ),
    "a sector that is its own parent": check(
        Sector,
        "sector_not_own_parent",
        SectorFactory,
        bad={"parent_id": own_pk},
        good={"parent_id": lambda _: SectorFactory().pk},
    ),
    "a sector code used twice (two empty codes are fine)": duplicate(
        Sector,
        "sector_code_unique",
        coded_sector_beside_one_without_code,
        copy=lambda _: {"name": "Another sector", "slug": "another-sector"},
        bad={"code": "ZZ1"},
        good={"code": ""},
    ),
    # Exchange rates
    "two rates for a currency on one day": duplicate(
        ExchangeRate,
        "exchange_rate_one_per_day",
        ExchangeRateFactory,
        copy=lambda first: {"currency": first.currency, "rate_to_usd": Decimal("0.15")},
        bad={"date": lambda first: first.date},
        good={"date": lambda first: first.date + DAY},
    ),
    "a rate of zero": check(
        ExchangeRate,
        "exchange_rate_positive",
        ExchangeRateFactory,
        bad={"rate_to_usd": Decimal("0")},
        good={"rate_to_usd": Decimal("0.0000000001")},
    ),
    "a negative rate": check(
        ExchangeRate,
        "exchange_rate_positive",
        ExchangeRateFactory,
        bad={"rate_to_usd": Decimal("-0.1512")},
        good={"rate_to_usd": Decimal("0.1512")},
    ),
    "a rate's currency in lower case": check(
        ExchangeRate,
        "exchange_rate_currency_iso",
        ExchangeRateFactory,
        bad={"currency": "cny"},
        good={"currency": "EUR"},
    ),
    # Unique fields
    "an occasion slug used twice": duplicate_slug(OccasionFactory),
    "a venue slug used twice": duplicate_slug(VenueFactory),
    # Readers' follows (deals/models/follows.py)
    "a follow of two things at once": check(
        Follow,
        "follow_exactly_one_target",
        lambda: follow_of("party"),
        bad={"sector": lambda _: SectorFactory()},
        good={"sector": None},
    ),
    "a follow of nothing": check(
        Follow,
        "follow_exactly_one_target",
        lambda: follow_of("party"),
        bad={"party": None},
        good={"party": lambda _: PartyFactory()},
    ),
    **{
        f"an address following a {kind} twice": duplicate(
            Follow,
            f"follow_one_per_address_and_{kind}",
            lambda kind=kind: follow_of(kind),
            copy=lambda first, kind=kind: {kind: getattr(first, kind)},
            bad={"email": lambda first: first.email},
            good={"email": "another-reader@example.net"},
        )
        for kind in ("party", "sector", "ceremony", "occasion", "country")
    },
    "two digests for one address on one day": duplicate(
        DigestSent,
        "digest_once_per_address_and_day",
        lambda: DigestSent.objects.create(
            email="reader@example.net", day=datetime.date(2026, 12, 2), event_count=1
        ),
        copy=lambda first: {"day": first.day, "event_count": 1},
        bad={"email": lambda first: first.email},
        good={"email": "another-reader@example.net"},
    ),
    "a person slug used twice": duplicate_slug(PersonFactory),
    "a ceremony slug used twice": duplicate_slug(CeremonyFactory),
    "a party slug used twice": duplicate_slug(PartyFactory),
    "a sector slug used twice": duplicate_slug(SectorFactory),
    "a deal slug used twice": duplicate_slug(DealFactory),
    "a source url used twice": duplicate_slug(
        SourceFactory, "url", taken="https://www.reuters.com/a", free="https://www.reuters.com/b"
    ),
}

CASES = [pytest.param(case, id=name) for name, case in CONSTRAINT_CASES.items()]


def expected_refusal(case):
    if case.longer_than_column and connection.vendor == "postgresql":
        return DataError
    return IntegrityError


def assert_refused_by(error, case):
    """The database names the case's constraint (or its columns) as the reason."""
    message = str(error)
    if isinstance(error, DataError):
        assert "value too long" in message
        return
    meta = case.model._meta
    if case.unique_field:
        columns = [meta.get_field(case.unique_field).column]
        postgresql_marker = f"Key ({columns[0]})="
    else:
        constraint = next(c for c in meta.constraints if c.name == case.constraint)
        columns = [meta.get_field(name).column for name in getattr(constraint, "fields", ())]
        postgresql_marker = f'constraint "{case.constraint}"'
    if connection.vendor == "postgresql":
        assert postgresql_marker in message
    elif columns:
        # SQLite names the columns of a unique constraint, not the constraint.
        qualified = ", ".join(f"{meta.db_table}.{column}" for column in columns)
        assert message == f"UNIQUE constraint failed: {qualified}"
    else:
        assert message == f"CHECK constraint failed: {case.constraint}"


# --- the tests -----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_the_database_refuses_a_row_that_breaks_a_constraint(db, case):
    arranged = case.arrange()
    before = case.model.objects.count()

    with pytest.raises(expected_refusal(case)) as refused, transaction.atomic():
        case.write(arranged, case.values(arranged, case.bad))

    assert_refused_by(refused.value, case)
    assert case.model.objects.count() == before
    # The arranged row is untouched and the connection still usable.
    assert case.model.objects.filter(pk=arranged.pk).exists()


@pytest.mark.parametrize("case", CASES)
def test_the_database_accepts_the_good_neighbour_of_a_refused_row(db, case):
    arranged = case.arrange()
    good = case.values(arranged, case.good)

    written = case.write(arranged, good)

    written.refresh_from_db()
    for name, value in good.items():
        stored = getattr(written, name)
        assert stored == value, name


def test_two_sectors_without_a_code_can_live_side_by_side(db):
    SectorFactory(code="")
    SectorFactory(code="")

    assert Sector.objects.filter(code="").count() == 2


def test_every_named_constraint_in_the_models_has_a_case():
    declared = {c.name for model in domain_models() for c in model._meta.constraints}
    covered = {case.constraint for case in CONSTRAINT_CASES.values() if case.constraint}

    assert covered == declared


def test_every_unique_field_in_the_models_has_a_case():
    declared = {
        (model, f.name)
        for model in domain_models()
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key
    }
    covered = {
        (case.model, case.unique_field) for case in CONSTRAINT_CASES.values() if case.unique_field
    }

    assert covered == declared


# --- PROTECT -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InUse:
    """`arrange` returns (the row still in use, the row that uses it)."""

    model: type[models.Model]
    field: str
    arrange: Callable


def party_in_a_group():
    child = PartyFactory(parent=PartyFactory(name="Textron"))
    return child.parent, child


def division_in_a_section():
    division = SectorFactory(parent=SectorFactory())
    return division.parent, division


def component_of_an_umbrella():
    component = DealFactory(umbrella=DealFactory())
    return component.umbrella, component


def follow_on_of_a_deal():
    follow_on = DealFactory(follows=DealFactory())
    return follow_on.follows, follow_on


def source_of_a_status_update():
    update = StatusUpdate.objects.create(
        deal=DealFactory(),
        status=Deal.Status.IN_PROGRESS,
        date=datetime.date(2018, 6, 1),
        source=SourceFactory(),
    )
    return update.source, update


def used_by(factory, attribute):
    def arrange():
        user = factory()
        return getattr(user, attribute), user

    return arrange


PROTECT_CASES = {
    "a venue that holds a ceremony": InUse(Ceremony, "venue", used_by(CeremonyFactory, "venue")),
    "an occasion that holds a ceremony": InUse(
        Ceremony, "occasion", used_by(CeremonyFactory, "occasion")
    ),
    "a person who appeared at a ceremony": InUse(Dignitary, "person", used_by(dignitary, "person")),
    "a source a ceremony cites": InUse(
        CeremonySource, "source", used_by(ceremony_citation, "source")
    ),
    "a party that heads a group": InUse(Party, "parent", party_in_a_group),
    "a section that holds a division": InUse(Sector, "parent", division_in_a_section),
    "a sector with deals": InUse(Deal, "sector", used_by(DealFactory, "sector")),
    "a ceremony with deals": InUse(Deal, "ceremony", used_by(DealFactory, "ceremony")),
    "an umbrella deal with a component": InUse(Deal, "umbrella", component_of_an_umbrella),
    "a deal that another follows": InUse(Deal, "follows", follow_on_of_a_deal),
    "a party to a deal": InUse(DealParty, "party", used_by(DealPartyFactory, "party")),
    "a source a deal cites": InUse(DealSource, "source", used_by(deal_citation, "source")),
    "a source of a status update": InUse(StatusUpdate, "source", source_of_a_status_update),
}


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=name) for name, case in PROTECT_CASES.items()]
)
def test_deleting_a_row_still_in_use_is_refused_until_it_is_no_longer_used(db, case):
    used, user = case.arrange()

    with pytest.raises(models.ProtectedError), transaction.atomic():
        used.delete()

    assert type(used).objects.filter(pk=used.pk).exists()
    user.refresh_from_db()
    assert getattr(user, f"{case.field}_id") == used.pk

    user.delete()
    used.delete()

    assert not type(used).objects.filter(pk=used.pk).exists()


def test_every_protected_relation_in_the_models_has_a_case():
    declared = {
        (model, f.name)
        for model in domain_models()
        for f in model._meta.concrete_fields
        if f.is_relation and f.remote_field.on_delete is models.PROTECT
    }
    covered = {(case.model, case.field) for case in PROTECT_CASES.values()}

    assert covered == declared
