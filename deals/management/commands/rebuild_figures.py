"""`manage.py rebuild_figures`: make every kept figure row again from the record.

Nothing needs it in normal use (writes keep the rows current, deals/models/figures.py);
it is for repairs, and for loads that write the record without the ORM (COPY, SQL).
"""

import time

from django.core.management.base import BaseCommand

from deals.models.figures import rebuild


class Command(BaseCommand):
    help = "Make every kept figure row (deals.FigureRow) again from the published record."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        started = time.monotonic()
        count = rebuild(using=database)
        elapsed = time.monotonic() - started
        self.stdout.write(f"{count} figure rows made in {elapsed:.1f} s.")
