"""export_dataset and import_dataset: the whole record out to files and back into an
empty database, with the same ids and values."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection

from deals.backups import record_models
from deals.models import Deal, DealParty, Party, Sector
from deals.models.figures import DERIVED
from deals.models.follows import READERS_ADDRESSES
from tests.factories import (
    DealFactory,
    ExchangeRateFactory,
    PartyFactory,
    SectorFactory,
    UserFactory,
)


def snapshot():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in record_models()
    }


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def remove_record():
    """Empty every record table and restart its ids, as on a fresh database (sectors
    stay: a migration seeds them)."""
    tables = [model._meta.db_table for model in record_models() if model is not Sector]
    tables += [model._meta.db_table for model in DERIVED]  # the kept figures go with them
    tables += [model._meta.db_table for model in READERS_ADDRESSES]  # and readers' follows
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    connection.check_constraints()  # PostgreSQL truncates no table with checks pending
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def record(db):
    """The demo record, a draft with a new party and a staff-added sector, and rates."""
    run("load_demo")
    editor = UserFactory(username="editor")
    parent = Party.objects.order_by("pk").first()
    subsidiary = PartyFactory(name="京东物流", slug="jd-logistics", parent=parent)
    sector = SectorFactory(name="Drones", slug="drones", code="3030X", parent=None)
    draft = DealFactory(
        title="<b>Draft</b> = 1+1",
        slug="draft-drones",
        sector=sector,
        is_published=False,
        ceremony=None,
        value_amount=Decimal("123456789.12"),
        value_currency="CNY",
        created_by=editor,
        umbrella=Deal.objects.filter(is_published=True).order_by("pk").first(),
    )
    DealParty.objects.create(deal=draft, party=subsidiary, role=DealParty.Role.BUYER)
    ExchangeRateFactory(currency="CNY", date=datetime.date(2017, 11, 8))
    ExchangeRateFactory(
        currency="EUR", date=datetime.date(2017, 11, 9), rate_to_usd=Decimal("1.16")
    )
    return draft


def test_export_writes_one_json_file_and_a_csv_per_table(record, tmp_path):
    output = run("export_dataset", str(tmp_path))
    dataset = json.loads((tmp_path / "dataset.json").read_text(encoding="utf-8"))
    exported = {item["model"] for item in dataset}
    assert {"deals.deal", "deals.dealparty", "deals.party", "deals.exchangerate"} <= exported
    assert not any(label.startswith("deals.historical") for label in exported)
    for model in record_models():
        with open(tmp_path / f"{model._meta.model_name}.csv", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert len(rows) == 1 + model._base_manager.count()
    assert f"Exported {len(dataset)} rows" in output


def test_export_includes_drafts_and_keeps_chinese_text(record, tmp_path):
    run("export_dataset", str(tmp_path))
    text = (tmp_path / "dataset.json").read_text(encoding="utf-8")
    assert "京东物流" in text
    with open(tmp_path / "deal.csv", encoding="utf-8") as f:
        titles = [row["title"] for row in csv.DictReader(f)]
    assert "<b>Draft</b> = 1+1" in titles


def test_a_round_trip_restores_every_row_with_the_same_ids_and_values(record, tmp_path):
    before = snapshot()
    run("export_dataset", str(tmp_path))
    remove_record()
    assert Deal.objects.count() == 0

    output = run("import_dataset", str(tmp_path))

    assert snapshot() == before
    assert "Imported" in output
    draft = Deal.objects.get(slug="draft-drones")
    assert draft.created_by.username == "editor"
    assert draft.is_published is False


def test_new_rows_after_an_import_get_fresh_ids(record, tmp_path):
    highest = Party.objects.order_by("-pk").first().pk
    run("export_dataset", str(tmp_path))
    remove_record()
    run("import_dataset", str(tmp_path))
    assert PartyFactory(slug="new-party").pk > highest


def test_import_refuses_a_database_that_already_holds_a_record(record, tmp_path):
    run("export_dataset", str(tmp_path))
    before = snapshot()
    with pytest.raises(CommandError, match="already holds a record"):
        run("import_dataset", str(tmp_path))
    assert snapshot() == before


def test_import_refuses_a_folder_without_an_export(db, tmp_path):
    with pytest.raises(CommandError, match="No dataset.json"):
        run("import_dataset", str(tmp_path))


def test_import_empties_created_by_when_the_account_is_missing(record, tmp_path):
    run("export_dataset", str(tmp_path))
    remove_record()
    record.created_by.delete()
    output = run("import_dataset", str(tmp_path))
    assert Deal.objects.get(slug="draft-drones").created_by is None
    assert "1 deals named a staff account that does not exist here" in output
