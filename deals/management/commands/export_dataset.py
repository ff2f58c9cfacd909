"""Write the whole record (drafts included) to a folder: dataset.json and a CSV per table."""

from django.core.management.base import BaseCommand

from deals.backups import DATASET_FILE, export_dataset


class Command(BaseCommand):
    help = "Export every deals table to DIRECTORY as dataset.json plus one CSV per table."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        counts = export_dataset(directory)
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {sum(counts.values())} rows to {directory}/{DATASET_FILE}"
            )
        )
