from deals.models import Deal, Sector
from tests.factories import DealFactory


def test_isic_sectors_are_seeded_in_two_levels(db):
    assert Sector.objects.filter(parent=None).count() == 21
    assert Sector.objects.filter(parent__isnull=False).count() == 88
    assert Sector.objects.get(code="10").parent.code == "C"


def test_a_factory_deal_is_published_and_displays_its_value(db):
    deal = DealFactory()
    assert Deal.objects.published().get() == deal
    assert deal.value_display == "US$1 million"
