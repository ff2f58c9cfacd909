"""Record the demo data set of deals/demo/: the Great Hall signings of November 2017
and what became of them.

Idempotent, so `make run` can call it every time: objects are found again by slug
(sources by address, status updates by deal, date and status, other through rows by
their unique fields) and only missing ones are created, so a second run writes
nothing, not even a history record, and what staff changed in the admin survives a
restart. `--reset` puts edited demo facts back (saving only rows that
differ); rows staff added (another party, source or status update) are left alone.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deals import demo
from deals.models import (
    Ceremony,
    CeremonySource,
    Deal,
    DealParty,
    DealSource,
    Dignitary,
    Occasion,
    Party,
    PartyIdentifier,
    Person,
    Sector,
    Source,
    StatusUpdate,
    Venue,
)

CREATED, UPDATED = "created", "updated"


def record(model, lookup, values, *, reset=False):
    """Make sure the row found by `lookup` exists (holding `values` if `reset`).

    Return it and what was done (or None).
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj, outcome = model(**lookup, **values), CREATED
    elif not reset:
        return obj, None
    else:
        changed = {name: value for name, value in values.items() if not holds(obj, name, value)}
        if not changed:
            return obj, None
        for name, value in changed.items():
            setattr(obj, name, value)
        outcome = UPDATED
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise CommandError(f"Demo {model._meta.verbose_name} {lookup}: {exc}") from exc
    obj.save()
    return obj, outcome


def holds(obj, name, value):
    field = obj._meta.get_field(name)
    if field.many_to_one:
        # Compare ids: reading the related object would cost a query per field.
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class Command(BaseCommand):
    help = (
        "Record the demo data set (the Great Hall signings of November 2017 and what "
        "became of them); safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put demo facts edited since they were loaded back to the demo values.",
        )

    def handle(self, *, reset, **options):
        self.reset = reset
        self.outcomes = Counter()
        with transaction.atomic():
            self.load()
        self.stdout.write(self.style.SUCCESS(self.summary()))

    def record(self, model, lookup, values):
        obj, outcome = record(model, lookup, values, reset=self.reset)
        if outcome:
            self.outcomes[outcome] += 1
        return obj

    def load(self):
        sources = {
            key: self.record(Source, {"url": facts["url"]}, without(facts, "url"))
            for key, facts in demo.SOURCES.items()
        }
        places = {
            "occasion": self.record_by_slug(Occasion, demo.OCCASION),
            "venue": self.record_by_slug(Venue, demo.VENUE),
        }
        people = {facts["slug"]: self.record_by_slug(Person, facts) for facts in demo.PEOPLE}
        ceremonies = {
            facts["slug"]: self.record_ceremony(facts, sources, places, people)
            for facts in demo.CEREMONIES
        }
        parties = {}
        for facts in demo.PARTIES:
            parent = parties[facts["parent"]] if facts["parent"] else None
            parties[facts["slug"]] = self.record_by_slug(Party, {**facts, "parent": parent})
        for slug, identifiers in demo.IDENTIFIERS.items():
            for scheme, value in identifiers:
                lookup = {"scheme": scheme, "value": value}
                self.record(PartyIdentifier, lookup, {"party": parties[slug]})
        # Umbrellas and followed deals come before the deals that name them.
        deals = {}
        for facts in demo.DEALS:
            deals[facts["slug"]] = self.record_deal(facts, sources, ceremonies, parties, deals)

    def record_by_slug(self, model, facts):
        return self.record(model, {"slug": facts["slug"]}, without(facts, "slug"))

    def record_ceremony(self, facts, sources, places, people):
        # The demo has one occasion and one venue, which every ceremony names by slug.
        for name, place in places.items():
            if facts[name] != place.slug:
                raise CommandError(f"Demo ceremony {facts['slug']}: unknown {name}")
        ceremony = self.record_by_slug(
            Ceremony, {**without(facts, "dignitaries", "sources"), **places}
        )
        for order, dignitary in enumerate(facts["dignitaries"]):
            self.record(
                Dignitary,
                {
                    "ceremony": ceremony,
                    "person": people[dignitary["person"]],
                    "role": dignitary["role"],
                },
                {"title": dignitary["title"], "order": order},
            )
        for citation in facts["sources"]:
            self.record(
                CeremonySource,
                {"ceremony": ceremony, "source": named(sources, citation["source"], facts)},
                {"quote": citation["quote"]},
            )
        return ceremony

    def record_deal(self, facts, sources, ceremonies, parties, deals):
        """Record a deal with its parties, sources and status updates, then publish it.

        A new deal is saved as a draft and published only once its parties and sources
        are recorded (a published deal names a party and cites a source); its status then
        follows its latest dated update, as after any other write.
        """
        values = {
            **without(facts, "slug", "parties", "sources", "status_updates", "is_published"),
            "sector": sector(facts["sector"]),
            "ceremony": named(ceremonies, facts["ceremony"], facts),
            "umbrella": named(deals, facts["umbrella"], facts),
            "follows": named(deals, facts["follows"], facts),
        }
        deal, outcome = record(Deal, {"slug": facts["slug"]}, values, reset=self.reset)
        if outcome:
            self.outcomes[outcome] += 1
        for order, party in enumerate(facts["parties"]):
            self.record(
                DealParty,
                {
                    "deal": deal,
                    "party": named(parties, party["party"], facts),
                    "role": party["role"],
                },
                {"order": order},
            )
        for citation in facts["sources"]:
            self.record(
                DealSource,
                {"deal": deal, "source": named(sources, citation["source"], facts)},
                {"quote": citation["quote"]},
            )
        for update in facts["status_updates"]:
            self.record(
                StatusUpdate,
                {"deal": deal, "date": update["date"], "status": update["status"]},
                {
                    "note": update["note"],
                    "quote": update["quote"],
                    "source": named(sources, update["source"], facts),
                },
            )
        if deal.is_published != facts["is_published"] and (outcome == CREATED or self.reset):
            self.publish(deal, facts["is_published"])
            if outcome is None:
                self.outcomes[UPDATED] += 1
        deal.sync_status()
        return deal

    def publish(self, deal, is_published):
        if is_published:
            try:
                deal.check_publishable()
            except ValidationError as exc:
                raise CommandError(f"Demo deal {deal.slug} cannot be published: {exc}") from exc
        deal.is_published = is_published
        deal.save()

    def summary(self):
        updates = sum(len(facts["status_updates"]) for facts in demo.DEALS)
        counted = (
            f"1 occasion, 1 venue, {len(demo.CEREMONIES)} ceremonies, {len(demo.PEOPLE)} people, "
            f"{len(demo.PARTIES)} parties, {len(demo.DEALS)} deals, {len(demo.SOURCES)} sources, "
            f"{updates} status updates"
        )
        if not self.outcomes:
            return f"Demo data: {counted}; nothing changed."
        created, updated = self.outcomes[CREATED], self.outcomes[UPDATED]
        return f"Demo data: {counted}; {created} rows created, {updated} updated."


def sector(code):
    try:
        return Sector.objects.get(code=code)
    except Sector.DoesNotExist:
        raise CommandError(
            f"No sector has the ISIC code {code}; run `manage.py migrate`, which seeds them."
        ) from None


def named(objects, key, facts):
    """The demo object `key` names (None for none), or a CommandError naming the fact."""
    if key is None:
        return None
    try:
        return objects[key]
    except KeyError:
        raise CommandError(f"Demo {facts.get('slug', facts)}: nothing named {key!r}") from None


def without(facts, *keys):
    return {key: value for key, value in facts.items() if key not in keys}
