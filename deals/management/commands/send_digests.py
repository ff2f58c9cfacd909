"""`manage.py send_digests`: e-mail every confirmed follower the day's events (deals/follows.py).

Meant for cron, once a day after midnight: by default it sends the digest of yesterday
(in TIME_ZONE), a day whose events are all in. It records every digest it sends
(deals.DigestSent), so running it again for the same day sends nothing twice.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deals.follows import Day, addresses_due, send_digest


def read_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a day written YYYY-MM-DD; got {value!r}") from None


class Command(BaseCommand):
    help = "E-mail each confirmed follower the digest of a day (default: yesterday), once."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day, YYYY-MM-DD (default: yesterday).")

    def handle(self, *args, date=None, **options):
        if not settings.SITE_URL:
            raise CommandError("SITE_URL must be set: digests link to the site's pages.")
        day = read_day(date) if date else timezone.localdate() - datetime.timedelta(days=1)
        day_events = Day(day)
        sent = quiet = 0
        for email in addresses_due(day):
            if send_digest(email, day_events):
                sent += 1
            else:
                quiet += 1
        self.stdout.write(
            f"{day.isoformat()}: {sent} digest(s) sent, {quiet} address(es) with nothing to send."
        )
