import uuid

import pytest

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


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
    DealParty.objects.create(deal=beef, party=jd, role=DealParty.Role.BUYER)
    helicopters = DealFactory(
        title="Reignwood buys Bell helicopters",
        slug="reignwood-helicopters",
        ceremony=ceremony,
        sector=transport,
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )
    DealParty.objects.create(deal=helicopters, party=reignwood, role=DealParty.Role.BUYER)
    DealParty.objects.create(deal=helicopters, party=bell, role=DealParty.Role.SELLER)
    fair = DealFactory(
        title="Boeing engines at the fair",
        slug="boeing-fair",
        ceremony=other_ceremony,
        sector=transport,
        value_amount=Decimal("50000000"),
    )
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
