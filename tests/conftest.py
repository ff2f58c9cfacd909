import uuid

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Every test starts in the default language, as a management command does.

    LocaleMiddleware activates a request's language in the thread serving it and leaves
    it active after the answer (a streamed CSV is written after the middleware returns),
    so a test that requested a /zh-hans/ page would otherwise leave Chinese active for
    the next test of the same worker."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def contributor(db):
    return UserFactory(username="contributor", groups=["Contributors"])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


@pytest.fixture
def redis_cache(settings):
    """redis_cache(url) → the default cache on that Redis database (the machine's, as in
    CI), under a key prefix of this test's own, which it returns. The suite runs in
    several processes (pytest-xdist), maybe beside another checkout's run on the same
    Redis: no test there sees this one's keys, and none clears the database (a clear()
    would flush theirs too). The keys are deleted afterwards."""
    import redis

    used = []

    def use(url):
        prefix = f"tests-{uuid.uuid4().hex}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
        used.append((url, prefix))
        return prefix

    yield use
    for url, prefix in used:
        with redis.Redis.from_url(url) as client:
            keys = list(client.scan_iter(match=f"{prefix}:*"))
            if keys:
                client.delete(*keys)


# --- the API: clients signed in by token, as client programs are ---------------------


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def token_client():
    """token_client(user) → an APIClient sending that user's API token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api_record(db):
    """A small published record with a draft in it, for the API tests: the 8 November
    2017 ceremony with JD.com's pledge (an umbrella holding a beef deal), Reignwood's
    undisclosed helicopter purchase from Bell (a Textron company), and a draft that
    follows the pledge."""
    import datetime
    from decimal import Decimal
    from types import SimpleNamespace

    from deals.models import Deal, DealParty, DealSource, Qualifier, Sector
    from tests.factories import (
        CeremonyFactory,
        DealFactory,
        OccasionFactory,
        PartyFactory,
        SourceFactory,
        VenueFactory,
    )

    occasion = OccasionFactory(name="State visit to China", slug="state-visit", host_country="CN")
    venue = VenueFactory(name="Great Hall of the People", slug="great-hall", country="CN")
    ceremony = CeremonyFactory(
        name="Great Hall signings",
        slug="great-hall-signings",
        venue=venue,
        occasion=occasion,
        announced_value_amount=Decimal("9000000000"),
        announced_value_qualifier=Qualifier.ABOUT,
        announced_deal_count=19,
    )
    other_ceremony = CeremonyFactory(
        slug="trade-fair-signings", date=datetime.date(2018, 4, 10), occasion=None
    )
    food = Sector.objects.get(code="10")
    transport = Sector.objects.get(code="30")
    jd = PartyFactory(name="JD.com", slug="jd-com", country="CN", native_name="京东")
    textron = PartyFactory(name="Textron", slug="textron", country="US")
    bell = PartyFactory(name="Bell Helicopter", slug="bell", country="US", parent=textron)
    reignwood = PartyFactory(name="Reignwood", slug="reignwood", country="CN")
    boeing = PartyFactory(name="Boeing", slug="boeing", country="US", kind="company")
    report = SourceFactory(url="https://news.example.org/great-hall", publisher="Reuters")

    pledge = DealFactory(
        title="JD.com food purchases",
        slug="jd-food",
        ceremony=ceremony,
        sector=food,
        value_amount=Decimal("2000000000"),
        value_qualifier=Qualifier.MORE_THAN,
        value_basis=Deal.Basis.PURCHASE_COMMITMENT,
        term_months=36,
        instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING,
    )
    DealParty.objects.create(deal=pledge, party=jd, role=DealParty.Role.BUYER)
    DealSource.objects.create(deal=pledge, source=report, quote="more than $2 billion")
    pledge.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2018, 6, 1), source=report)
    beef = DealFactory(
        title="JD.com beef and pork",
        slug="jd-beef",
        ceremony=ceremony,
        sector=food,
        umbrella=pledge,
        value_amount=Decimal("1200000000"),
        instrument=Deal.Instrument.CONTRACT,
    )
    DealSource.objects.create(deal=beef, source=report)
    DealParty.objects.create(deal=beef, party=jd, role=DealParty.Role.BUYER)
    helicopters = DealFactory(
        title="Reignwood buys Bell helicopters",
        slug="reignwood-helicopters",
        ceremony=ceremony,
        sector=transport,
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )
    DealSource.objects.create(deal=helicopters, source=report)
    DealParty.objects.create(deal=helicopters, party=reignwood, role=DealParty.Role.BUYER)
    DealParty.objects.create(deal=helicopters, party=bell, role=DealParty.Role.SELLER)
    fair = DealFactory(
        title="Boeing engines at the fair",
        slug="boeing-fair",
        ceremony=other_ceremony,
        sector=transport,
        value_amount=Decimal("50000000"),
    )
    DealSource.objects.create(deal=fair, source=report)
    DealParty.objects.create(deal=fair, party=boeing, role=DealParty.Role.SELLER)
    draft = DealFactory(
        title="Boeing aircraft draft",
        slug="boeing-draft",
        ceremony=ceremony,
        sector=transport,
        follows=pledge,
        value_amount=Decimal("37000000000"),
        is_published=False,
    )
    DealSource.objects.create(deal=draft, source=report)
    DealParty.objects.create(deal=draft, party=boeing, role=DealParty.Role.SELLER)
    return SimpleNamespace(
        occasion=occasion,
        venue=venue,
        ceremony=ceremony,
        other_ceremony=other_ceremony,
        food=food,
        transport=transport,
        jd=jd,
        textron=textron,
        bell=bell,
        reignwood=reignwood,
        boeing=boeing,
        report=report,
        pledge=pledge,
        beef=beef,
        helicopters=helicopters,
        fair=fair,
        draft=draft,
    )


@pytest.fixture
def follow_through_record(db):
    """A ceremony whose deals came to every end, for the follow-through scorecard.

    Reckoned on 1 January 2020 (`today`), so evidence before 1 January 2019 is stale:

    | deal        | value                  | what became of it                             |
    |-------------|------------------------|-----------------------------------------------|
    | aircraft    | US$1 billion           | completed 2019-06-01                          |
    | pledge      | more than US$2 billion | in progress 2018-06-01 (stale); umbrella of:  |
    | beef        | US$1.2 billion         | completed 2018-09-01, within the pledge       |
    | gas         | about US$80 billion    | cancelled 2019-05-01                          |
    | mou         | up to US$500 million   | signed; a later contract (no ceremony) follows|
    | contract    | US$300 million         | in progress 2019-02-01, follows the mou       |
    | yuan        | CNY 1 billion, no rate | signed, nothing since (stale, unconverted)    |
    | expected    | undisclosed            | announced (stale)                             |
    | chips       | about US$100 million   | stalled 2018-01-01 (stale)                    |
    | draft       | US$9.999 billion       | a draft: completed 2019-12-01, follows chips  |
    """
    import datetime
    from decimal import Decimal
    from types import SimpleNamespace

    from deals.models import Deal, DealParty, DealSource, Qualifier
    from tests.factories import (
        CeremonyFactory,
        DealFactory,
        OccasionFactory,
        PartyFactory,
        SourceFactory,
    )

    occasion = OccasionFactory(slug="visit", start_date=datetime.date(2017, 11, 8))
    ceremony = CeremonyFactory(
        slug="signings",
        date=datetime.date(2017, 11, 8),
        occasion=occasion,
        announced_value_amount=Decimal("250000000000"),
        announced_value_qualifier=Qualifier.MORE_THAN,
        announced_deal_count=12,
    )
    report = SourceFactory(url="https://news.example.org/later", publisher="Later News")
    buyer = PartyFactory(name="Buyer Group", slug="buyer-group", country="CN")
    seller = PartyFactory(name="Seller Inc", slug="seller-inc", country="US")
    million = Decimal("1000000")

    def deal(slug, amount, qualifier=Qualifier.EXACT, *, updates=(), **fields):
        made = DealFactory(
            title=slug.capitalize(),
            slug=slug,
            ceremony=fields.pop("ceremony", ceremony),
            value_amount=None if amount is None else amount * million,
            value_qualifier=qualifier,
            **fields,
        )
        DealParty.objects.create(deal=made, party=buyer, role=DealParty.Role.BUYER)
        DealParty.objects.create(deal=made, party=seller, role=DealParty.Role.SELLER)
        DealSource.objects.create(deal=made, source=report)
        for status, day in updates:
            made.record_status(status, on=day, source=report, quote=f"{slug} {status}")
        made.refresh_from_db()
        return made

    S, day = Deal.Status, datetime.date
    aircraft = deal("aircraft", 1000, updates=[(S.COMPLETED, day(2019, 6, 1))])
    pledge = deal("pledge", 2000, Qualifier.MORE_THAN, updates=[(S.IN_PROGRESS, day(2018, 6, 1))])
    beef = deal("beef", 1200, umbrella=pledge, updates=[(S.COMPLETED, day(2018, 9, 1))])
    gas = deal("gas", 80000, Qualifier.ABOUT, updates=[(S.CANCELLED, day(2019, 5, 1))])
    mou = deal("mou", 500, Qualifier.UP_TO, instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING)
    contract = deal(
        "contract",
        300,
        ceremony=None,
        signed_on=day(2018, 3, 1),
        follows=mou,
        instrument=Deal.Instrument.CONTRACT,
        updates=[(S.IN_PROGRESS, day(2019, 2, 1))],
    )
    yuan = deal("yuan", 1000, value_currency="CNY")
    expected = deal("expected", None, Qualifier.UNDISCLOSED, signed_on=None, status=S.ANNOUNCED)
    chips = deal("chips", 100, Qualifier.ABOUT, updates=[(S.STALLED, day(2018, 1, 1))])
    draft = deal(
        "draft",
        9999,
        follows=chips,
        is_published=False,
        updates=[(S.COMPLETED, day(2019, 12, 1))],
    )
    return SimpleNamespace(
        today=day(2020, 1, 1),
        occasion=occasion,
        ceremony=ceremony,
        source=report,
        buyer=buyer,
        seller=seller,
        aircraft=aircraft,
        pledge=pledge,
        beef=beef,
        gas=gas,
        mou=mou,
        contract=contract,
        yuan=yuan,
        expected=expected,
        chips=chips,
        draft=draft,
    )


@pytest.fixture
def scope_record(db):
    """A hand-built record for the follow-through scorecard (issue 11).

    At the Great Hall ceremony (occasion: the state visit): a completed contract (Bell,
    US$100 million), a deal in progress (JD.com, about US$200 million), a cancelled one
    (Textron, US$50 million), an MoU (US$300 million) that a published contract signed
    at a later ceremony of the same visit follows (US$400 million), an umbrella (Bell
    Canada, more than US$1 billion, signed) with a component in progress (US$600 million,
    held in the umbrella's figure), a RMB 5 billion deal with no exchange rate (announced),
    and a completed US$37 billion draft that follows the cancelled deal and must never
    count. Textron holds Bell, which holds Bell Canada; JD.com is Chinese.
    """
    import datetime
    from decimal import Decimal
    from types import SimpleNamespace

    from deals.models import Deal, DealParty, DealSource, Qualifier
    from tests.factories import (
        CeremonyFactory,
        DealFactory,
        OccasionFactory,
        PartyFactory,
        SectorFactory,
        SourceFactory,
    )

    occasion = OccasionFactory(name="State visit to China", slug="state-visit")
    ceremony = CeremonyFactory(
        name="Great Hall signings",
        slug="great-hall",
        occasion=occasion,
        date=datetime.date(2017, 11, 8),
    )
    later = CeremonyFactory(
        name="Later signings", slug="later", occasion=occasion, date=datetime.date(2017, 11, 9)
    )
    section = SectorFactory(name="Test manufacturing", slug="test-manufacturing")
    division = SectorFactory(name="Test food", slug="test-food", parent=section)
    textron = PartyFactory(name="Textron", slug="textron", country="US")
    bell = PartyFactory(name="Bell", slug="bell", country="US", parent=textron)
    bell_canada = PartyFactory(name="Bell Canada", slug="bell-canada", country="US", parent=bell)
    jd = PartyFactory(name="JD.com", slug="jd-com", country="CN")
    report = SourceFactory(url="https://news.example.org/follow-up", title="A year on")

    def deal(slug, party, *, status=None, on=None, note="", quote="", **fields):
        fields.setdefault("sector", section)
        made = DealFactory(slug=slug, title=slug.replace("-", " ").capitalize(), **fields)
        DealParty.objects.create(deal=made, party=party, role=DealParty.Role.BUYER)
        DealSource.objects.create(deal=made, source=report)
        if status:
            update = made.record_status(status, on=on, note=note, source=report)
            if quote:
                update.quote = quote
                update.save()
        return made

    completed = deal(
        "completed-contract",
        bell,
        ceremony=ceremony,
        value_amount=Decimal("100000000"),
        instrument=Deal.Instrument.CONTRACT,
        status=Deal.Status.COMPLETED,
        on=datetime.date(2019, 3, 1),
        note="All helicopters delivered.",
        quote="The last of the helicopters was handed over in March.",
    )
    in_progress = deal(
        "jd-purchases",
        jd,
        ceremony=ceremony,
        value_amount=Decimal("200000000"),
        value_qualifier=Qualifier.ABOUT,
        status=Deal.Status.IN_PROGRESS,
        on=datetime.date(2018, 6, 1),
    )
    cancelled = deal(
        "cancelled-plant",
        textron,
        ceremony=ceremony,
        value_amount=Decimal("50000000"),
        status=Deal.Status.CANCELLED,
        on=datetime.date(2018, 2, 1),
        note="The plant was called off.",
    )
    memorandum = deal(
        "engine-memorandum",
        textron,
        ceremony=ceremony,
        value_amount=Decimal("300000000"),
        instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING,
    )
    contract = deal(
        "engine-contract",
        textron,
        ceremony=later,
        follows=memorandum,
        value_amount=Decimal("400000000"),
        instrument=Deal.Instrument.CONTRACT,
        status=Deal.Status.SIGNED,
        on=datetime.date(2018, 5, 1),
    )
    umbrella = deal(
        "canada-umbrella",
        bell_canada,
        ceremony=ceremony,
        value_amount=Decimal("1000000000"),
        value_qualifier=Qualifier.MORE_THAN,
    )
    component = deal(
        "canada-component",
        jd,
        ceremony=ceremony,
        umbrella=umbrella,
        value_amount=Decimal("600000000"),
        status=Deal.Status.IN_PROGRESS,
        on=datetime.date(2018, 7, 1),
    )
    unconverted = deal(
        "rmb-deal",
        jd,
        ceremony=ceremony,
        sector=division,
        value_amount=Decimal("5000000000"),
        value_currency="CNY",
        status=Deal.Status.ANNOUNCED,
        on=datetime.date(2017, 11, 8),
    )
    draft = deal(
        "secret-draft",
        bell,
        ceremony=ceremony,
        follows=cancelled,
        value_amount=Decimal("37000000000"),
        is_published=False,
        status=Deal.Status.COMPLETED,
        on=datetime.date(2020, 1, 1),
    )
    return SimpleNamespace(
        occasion=occasion,
        ceremony=ceremony,
        later=later,
        section=section,
        division=division,
        textron=textron,
        bell=bell,
        bell_canada=bell_canada,
        jd=jd,
        report=report,
        completed=completed,
        in_progress=in_progress,
        cancelled=cancelled,
        memorandum=memorandum,
        contract=contract,
        umbrella=umbrella,
        component=component,
        unconverted=unconverted,
        draft=draft,
    )
