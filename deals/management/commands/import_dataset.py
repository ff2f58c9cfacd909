"""Restore an export_dataset folder into an empty database, ids and values unchanged."""

from django.core.management.base import BaseCommand, CommandError

from deals.backups import DatasetError, import_dataset


class Command(BaseCommand):
    help = "Restore DIRECTORY/dataset.json (from export_dataset) into a database with no record."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            counts, orphaned = import_dataset(directory)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows}")
        if orphaned:
            self.stdout.write(
                self.style.WARNING(
                    f"{orphaned} deals named a staff account that does not exist here; "
                    "their created_by/updated_by were left empty."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {sum(counts.values())} rows"))
