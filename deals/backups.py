"""Export the record to files and restore it into an empty database: `export_dataset`
and `import_dataset`. For production backups use pg_dump (see the README); this is the
portable copy of the record itself: every deals table, drafts included, as one JSON file
(Django's serializer, restorable) and one CSV per table (for reading elsewhere).

Left out: the change history (historical tables), staff accounts, the kept figures
(deals/models/figures.py), which the import makes again from the record, and readers'
e-mail addresses (deals/models/follows.py): they are no part of the record, and a copy of
it kept or shared elsewhere must not carry them past an unsubscribe (pg_dump backups keep
them with the rest of the database). A deal's
created_by/updated_by survive a restore into the same site; where the account does not
exist they are emptied, and the import says how many.
"""

import csv
import datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from deals.models.figures import DERIVED
from deals.models.figures import rebuild as rebuild_figures
from deals.models.follows import READERS_ADDRESSES

DATASET_FILE = "dataset.json"


class DatasetError(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (as ECMA-262 does); a backup keeps
    every microsecond, or a restored timestamp would differ from the original."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def record_models():
    """The deals app's tables in an order where what a row refers to comes first
    (parents within a table are taken care of by deferred constraints). Kept figures
    are left out: they are made again from the record after a restore."""
    models = [
        model
        for model in apps.get_app_config("deals").get_models()
        if not model.__name__.startswith("Historical")
        and model not in DERIVED
        and model not in READERS_ADDRESSES
    ]
    return serializers.sort_dependencies([("deals", models)])


def export_dataset(directory):
    """Write dataset.json and <model>.csv files into directory; return {model: rows}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    objects = []
    for model in record_models():
        queryset = model._base_manager.order_by("pk")
        objects.extend(queryset)
        counts[model._meta.label] = write_csv(directory / f"{model._meta.model_name}.csv", model)
    with open(directory / DATASET_FILE, "w", encoding="utf-8") as out:
        serializers.serialize(
            "json", objects, stream=out, indent=1, ensure_ascii=False, cls=ExactJSONEncoder
        )
    return counts


def write_csv(path, model):
    # A faithful copy: cells are written as stored (the readers' CSV at /deals/csv/ is
    # the one that guards against spreadsheet formulas).
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.order_by("pk").values_list(*columns)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows.iterator():
            writer.writerow(row)
            count += 1
    return count


def occupied_tables():
    """Record tables that already hold rows. Sectors don't count: a migration seeds
    them, and the import replaces them with the exported ones."""
    Sector = apps.get_model("deals", "Sector")
    return [
        str(model._meta.verbose_name_plural)
        for model in record_models()
        if model is not Sector and model._base_manager.exists()
    ]


@transaction.atomic
def import_dataset(directory):
    """Restore an export into a database without a record; return ({model: rows},
    number of deals whose created_by/updated_by account was missing)."""
    path = Path(directory) / DATASET_FILE
    if not path.is_file():
        raise DatasetError(f"No {DATASET_FILE} in {directory}: is it an export_dataset folder?")
    occupied = occupied_tables()
    if occupied:
        raise DatasetError(
            "The database already holds a record ("
            + ", ".join(occupied)
            + "); import only into an empty one, e.g. a fresh `migrate`."
        )
    Sector = apps.get_model("deals", "Sector")
    Sector._base_manager.update(parent=None)
    Sector._base_manager.all().delete()

    user_ids = set(get_user_model()._base_manager.values_list("pk", flat=True))
    counts, orphaned = {}, 0
    with open(path, encoding="utf-8") as source:
        for item in serializers.deserialize("json", source):
            obj = item.object
            orphaned += forget_missing_accounts(obj, user_ids)
            date_deal_by_its_ceremony(obj)
            # raw: stored exactly as exported (timestamps kept, no history written).
            item.save()
            counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
    connection.check_constraints()
    reset_sequences()
    rebuild_figures()
    return counts, orphaned


def date_deal_by_its_ceremony(obj):
    """Exports made before deals kept their ceremony's date (Deal.ceremony_date) lack
    it; the ceremony, written before its deals, has it."""
    if obj._meta.label == "deals.Deal" and obj.ceremony_id and obj.ceremony_date is None:
        Ceremony = apps.get_model("deals", "Ceremony")
        obj.ceremony_date = Ceremony._base_manager.values_list("date", flat=True).get(
            pk=obj.ceremony_id
        )


def forget_missing_accounts(obj, user_ids):
    missing = 0
    for attname in ("created_by_id", "updated_by_id"):
        value = getattr(obj, attname, None)
        if value is not None and value not in user_ids:
            setattr(obj, attname, None)
            missing = 1
    return missing


def reset_sequences():
    """PostgreSQL hands out ids from sequences that explicit ids don't advance: move them
    past the imported rows (nothing to do on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), record_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
