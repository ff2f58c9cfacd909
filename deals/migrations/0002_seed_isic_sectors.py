"""Seed the sector taxonomy from ISIC Rev. 4 sections and divisions.

The CSV is a copy kept inside the project (deals/data/) so a deployment never
reads anything outside its own tree.
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

ISIC_CSV = Path(__file__).resolve().parent.parent / "data" / "isic-rev4-sections-divisions.csv"


def seed_sectors(apps, schema_editor):
    Sector = apps.get_model("deals", "Sector")
    with ISIC_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code, used_slugs = {}, set(Sector.objects.values_list("slug", flat=True))
    # Sections first, so every division finds its parent.
    for row in sorted(rows, key=lambda r: r["level"] != "section"):
        slug = slugify(row["name"])[:190]
        if slug in used_slugs:
            slug = f"{slug}-{row['code'].lower()}"
        used_slugs.add(slug)
        sector, _ = Sector.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": slug,
                "parent": by_code.get(row["parent_code"]),
            },
        )
        by_code[row["code"]] = sector


def remove_sectors(apps, schema_editor):
    Sector = apps.get_model("deals", "Sector")
    Sector.objects.filter(parent__isnull=False, deals__isnull=True).delete()
    Sector.objects.filter(children__isnull=True, deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [migrations.RunPython(seed_sectors, remove_sectors)]
