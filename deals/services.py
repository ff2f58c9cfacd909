"""Work on the record that spans several models: merging duplicate parties, finding them."""

import bisect
import datetime
from dataclasses import dataclass

from django.db import transaction

from deals.models import (
    Ceremony,
    Deal,
    DealParty,
    DealSource,
    Party,
    PartyIdentifier,
    Sector,
    Source,
    StatusUpdate,
    party_name_key,
)
from deals.models.identifiers import SINGLE_VALUED

__all__ = [
    "DistinctParties",
    "likely_duplicate_parties",
    "merge_parties",
    "party_name_key",
    "restore_deal",
]


@dataclass(frozen=True)
class MergeResult:
    survivor: Party
    merged_names: tuple[str, ...]
    moved_links: int
    dropped_links: int  # links the survivor already had, in the same role on the same deal
    moved_subsidiaries: int
    added_aliases: tuple[str, ...]
    moved_identifiers: int = 0


@transaction.atomic
def merge_parties(survivor, others, *, user):
    """Fold `others` into `survivor`: every deal link and subsidiary moves to it, their
    names become its aliases, and they are deleted. All or nothing.

    History records each step with `user`: the moved links, the survivor saved with
    the names it took in, the others' deletion with the name of the survivor.
    """
    other_ids = sorted({party.pk for party in others} - {survivor.pk})
    if not other_ids:
        raise ValueError("Choose at least one party other than the one that stays.")
    # Lock every party involved, so a concurrent edit or merge waits for this one.
    locked = {
        party.pk: party
        for party in Party.objects.select_for_update().filter(pk__in=[survivor.pk, *other_ids])
    }
    survivor = locked[survivor.pk]
    doomed = [locked[pk] for pk in other_ids]
    names = ", ".join(party.name for party in doomed)
    reason = f"Merged {names} into {survivor.name}"

    moved = dropped = 0
    held = {
        (link.deal_id, link.role): link
        for link in DealParty.objects.select_for_update().filter(party=survivor)
    }
    for link in DealParty.objects.select_for_update().filter(party_id__in=other_ids):
        _attribute(link, user, reason)
        kept = held.get((link.deal_id, link.role))
        if kept is not None:
            # The survivor signed this deal in this role already: keep one link, and
            # whatever the duplicate knew of the signatory that the kept one lacks.
            if _fill_blanks(kept, link, ["signatory_name", "signatory_title"]):
                _attribute(kept, user, reason)
                kept.save()
            link.delete()
            dropped += 1
        else:
            link.party = survivor
            link.save()
            held[(link.deal_id, link.role)] = link
            moved += 1

    subsidiaries = Party.objects.filter(parent_id__in=other_ids).exclude(pk=survivor.pk)
    moved_subsidiaries = 0
    for child in subsidiaries:
        child.parent = survivor
        _attribute(child, user, reason)
        child.save()
        moved_subsidiaries += 1
    if survivor.parent_id in other_ids:
        # It belonged to one of its duplicates: it now belongs where that one did.
        parent_id = locked[survivor.parent_id].parent_id
        survivor.parent_id = None if parent_id in {survivor.pk, *other_ids} else parent_id

    moved_identifiers = _move_identifiers(survivor, other_ids, user, reason)
    added = _merge_aliases(survivor, doomed)
    _fill_blanks(survivor, doomed, ["native_name", "country", "website"])
    _attribute(survivor, user, reason)
    survivor.save()

    for party in doomed:
        _attribute(party, user, f"Merged into {survivor.name} (id {survivor.pk})")
        party.delete()
    return MergeResult(
        survivor=survivor,
        merged_names=tuple(party.name for party in doomed),
        moved_links=moved,
        dropped_links=dropped,
        moved_subsidiaries=moved_subsidiaries,
        added_aliases=tuple(added),
        moved_identifiers=moved_identifiers,
    )


class DistinctParties(ValueError):
    """Parties with different Wikidata QIDs or LEIs: distinct organisations, not merged."""


def _move_identifiers(survivor, other_ids, user, reason):
    """Give the survivor the others' identifiers (deleting a party deletes its own). Two
    different QIDs or LEIs among them say they are distinct: DistinctParties, and the
    transaction leaves everything as it was."""
    identifiers = PartyIdentifier.objects.select_for_update().select_related("party")
    single = {i.scheme: i for i in identifiers.filter(party=survivor, scheme__in=SINGLE_VALUED)}
    moved = 0
    for identifier in identifiers.filter(party_id__in=other_ids).order_by("pk"):
        if identifier.scheme in SINGLE_VALUED:
            held = single.setdefault(identifier.scheme, identifier)
            if held.value != identifier.value:
                raise DistinctParties(
                    f"{held.party.name} and {identifier.party.name} have different "
                    f"{identifier.get_scheme_display()}s ({held.value}, {identifier.value}): "
                    "they are distinct organisations, so they were not merged."
                )
        identifier.party = survivor
        _attribute(identifier, user, reason)
        identifier.save()
        moved += 1
    return moved


def _attribute(obj, user, reason):
    """Make the history row of obj's next save or delete name `user` and `reason`."""
    obj._history_user = user
    obj._change_reason = reason


def _fill_blanks(target, sources, fields):
    """Copy into `target` the first non-blank value of each empty field; True if any."""
    if not isinstance(sources, list | tuple):
        sources = [sources]
    filled = False
    for field in fields:
        if getattr(target, field):
            continue
        for source in sources:
            value = getattr(source, field)
            if value:
                setattr(target, field, value)
                filled = True
                break
    return filled


def _merge_aliases(survivor, others):
    """Add the others' names, native names and aliases to survivor.aliases; return the new ones."""
    known = {
        name.casefold() for name in [survivor.name, survivor.native_name, *survivor.alias_list]
    }
    added = []
    for other in others:
        for name in [other.name, other.native_name, *other.alias_list]:
            if name and name.casefold() not in known:
                known.add(name.casefold())
                added.append(name)
    if added:
        survivor.aliases = "\n".join([*survivor.alias_list, *added])
    return added


# --- parties that look like duplicates ---------------------------------------------


def likely_duplicate_parties(rows=None):
    """Groups of party ids that look like one organisation, largest groups first.

    Two parties look alike when their names are equal once case, punctuation and
    corporate suffixes are set aside; when one's name, of two words or more, begins
    the other's ("Bell Helicopter" / "Bell Helicopter Textron"); or when a name or
    alias of one is a name or alias of the other. A party and its declared parent are
    not duplicates. The same names make a new or renamed party a likely duplicate of
    one already held (PartyQuerySet.likely_duplicates_of(), which the admin, the API
    and the import ask before saving, by an indexed lookup). `rows` are (id, name,
    native name, aliases, parent id); by default the whole table, read in one query
    and compared in Python: a sort and a binary search per name, fine for tens of
    thousands of parties.
    """
    if rows is None:
        rows = Party.objects.values_list("pk", "name", "native_name", "aliases", "parent_id")
    rows = list(rows)
    parents = {pk: parent for pk, _, _, _, parent in rows}
    by_key = {}
    names = {}
    for pk, name, native_name, aliases, _ in rows:
        keys = {party_name_key(name), party_name_key(native_name)}
        keys |= {party_name_key(alias) for alias in aliases.splitlines()}
        for key in keys - {""}:
            by_key.setdefault(key, set()).add(pk)
        names[pk] = party_name_key(name)

    groups = _UnionFind()
    for members in by_key.values():
        _join_all(groups, members, parents)

    # A name of two words or more that begins a longer one: compare each name key with
    # the keys sorted after it that start with it.
    sorted_keys = sorted(by_key)
    for pk, key in names.items():
        if len(key.split()) < 2:
            continue
        index = bisect.bisect_right(sorted_keys, key)
        while index < len(sorted_keys) and sorted_keys[index].startswith(key + " "):
            _join_all(groups, {pk, *by_key[sorted_keys[index]]}, parents)
            index += 1
    return sorted(
        (sorted(group) for group in groups.groups() if len(group) > 1),
        key=lambda group: (-len(group), group),
    )


def _join_all(groups, members, parents):
    members = sorted(members)
    for first, second in zip(members, members[1:], strict=False):
        if parents.get(first) == second or parents.get(second) == first:
            continue
        groups.union(first, second)


class _UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first, second):
        self.parent[self.find(first)] = self.find(second)

    def groups(self):
        result = {}
        for item in self.parent:
            result.setdefault(self.find(item), set()).add(item)
        return list(result.values())


# --- restoring a deleted deal ------------------------------------------------------

# The rows deleted with a deal (by the cascade) are recorded just before it; a row's
# deletion recorded this close before the deal's counts as part of it.
DELETED_WITH_DEAL = datetime.timedelta(seconds=10)


class RestoreError(Exception):
    """A deleted deal that cannot be restored as it was; nothing was written."""


def _rows_at_deletion(model, deal_record):
    """The deal's rows of `model` as they were when the deal was deleted."""
    records = model.history.filter(
        deal_id=deal_record.id, history_date__lte=deal_record.history_date
    ).order_by("id", "history_date", "history_id")
    latest = {}
    for record in records:
        latest[record.id] = record
    since = deal_record.history_date - DELETED_WITH_DEAL
    return [
        record
        for record in latest.values()
        if record.history_type != "-" or record.history_date >= since
    ]


def _missing(model, pk, what):
    if pk is not None and not model.objects.filter(pk=pk).exists():
        raise RestoreError(f"The deal's {what} (id {pk}) no longer exists.")


@transaction.atomic
def restore_deal(history_id, *, user):
    """Bring back a deleted deal, with its parties, sources and status updates, from
    its history: same id and slug, each row as it was when the deal was deleted.

    A user who may not publish gets the deal back as a draft. All or nothing:
    RestoreError says why it cannot be restored, and nothing is written.
    """
    record = Deal.history.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise RestoreError("There is no deleted deal with that history record.")
    if Deal.objects.filter(pk=record.id).exists():
        raise RestoreError(f"The deal “{record.title}” exists already.")
    if Deal.objects.filter(slug=record.slug).exists():
        raise RestoreError(
            f"Another deal has taken the slug “{record.slug}” since “{record.title}” was "
            "deleted: change that deal's slug first."
        )
    _missing(Sector, record.sector_id, "sector")
    _missing(Ceremony, record.ceremony_id, "signing ceremony")
    _missing(Deal, record.umbrella_id, "umbrella deal")
    _missing(Deal, record.follows_id, "earlier deal it follows")
    parties = _rows_at_deletion(DealParty, record)
    sources = _rows_at_deletion(DealSource, record)
    updates = _rows_at_deletion(StatusUpdate, record)
    for row in parties:
        _missing(Party, row.party_id, "party")
    for row in sources:
        _missing(Source, row.source_id, "source")
    for row in updates:
        _missing(Source, row.source_id, "status update's source")

    reason = f"Restored from history (deleted {record.history_date:%Y-%m-%d %H:%M})"
    deal = record.instance
    if not Deal.can_be_published_by(user):
        deal.is_published = False
        deal.published_at = None
    deal.updated_by = user
    deal._history_user = user
    deal._change_reason = reason
    deal.save(force_insert=True)
    # Saving as new stamps it created now; it was created when it first was.
    Deal.objects.filter(pk=deal.pk).update(created_at=record.created_at)
    deal.created_at = record.created_at
    for row in [*parties, *sources, *updates]:
        obj = row.instance
        obj._history_user = user
        obj._change_reason = reason
        obj.save(force_insert=True)
    return deal
