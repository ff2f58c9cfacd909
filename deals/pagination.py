"""Deep pages that cost what the first page costs: ids from the index first.

`?page=500` of a list read with OFFSET makes the database build, join and throw away
24,950 full rows (with their sector, ceremony, venue and occasion) to return 50. Reading
only the ids of the page first, in the list's order, walks the same OFFSET over narrow
rows (often the index alone); the rows themselves, with everything the list shows, are
then fetched by id, 50 of them, and put back in the page's order. One query more per
page (the ids), whatever the page number.
"""

from django.db.models import F, OrderBy, Q
from django.db.models.query import QuerySet

from deals.caching import RememberedCountPaginator


class IdsFirstPaginator(RememberedCountPaginator):
    """A Paginator over a QuerySet that reads a page's ids first, then its rows by id.

    The rows keep everything the queryset asked for (select_related, prefetches,
    annotations); only the ordering and slicing move to the ids query. Any other
    object list (a plain list) is paged as Django's Paginator does.
    """

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_by_ids_first(self.object_list, bottom, top), number, self)


def rows_by_ids_first(queryset, bottom, top):
    """queryset[bottom:top] as a list: two queries (ids, then rows) and its prefetches;
    one (the ids) for a queryset that loads the pk alone (`only("pk")`)."""
    if top <= bottom:
        return []
    # values_list drops select_related on its own; prefetches must go, or Django would
    # try to prefetch onto the ids. Annotations stay: an ordering may read one.
    ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
    if not ids:
        return []
    if queryset.query.deferred_loading == ({queryset.model._meta.pk.attname}, False):
        # A list that reads its rows elsewhere (the API's readers, from values): the
        # ids are all it asked for, so no second query.
        return [queryset.model(pk=pk) for pk in ids]
    # The rows' own query needs no order (the ids give it) and no DISTINCT over
    # the ordering's joins.
    by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


# Keyset (cursor) pages: the rows after (or before) a position in the list's order,
# found through the order's index with no OFFSET at all, so the millionth row costs
# what the first does. A position is the boundary row's value of every key of the
# order, the id last: ids are unique, so a position falls between two rows, never
# on a tie.


class Key:
    """One key of an order: an expression, its direction, and where rows without a
    value go (always said outright, so both databases put them in the same place)."""

    def __init__(self, expression, *, descending, nulls_first):
        self.expression = expression
        self.descending = descending
        self.nulls_first = nulls_first

    def reversed(self):
        return Key(
            self.expression, descending=not self.descending, nulls_first=not self.nulls_first
        )

    def order_by(self, name):
        where = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return F(name).desc(**where) if self.descending else F(name).asc(**where)

    def after(self, name, value):
        """Rows strictly after `value` in this key, or None when no row can be."""
        if value is None:
            return Q(**{f"{name}__isnull": False}) if self.nulls_first else None
        beyond = Q(**{f"{name}__{'lt' if self.descending else 'gt'}": value})
        return beyond if self.nulls_first else beyond | Q(**{f"{name}__isnull": True})

    @staticmethod
    def equal(name, value):
        return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def order_keys(queryset):
    """The keys of the queryset's order, up to and including the id (added when absent).

    A key after the id could never break a tie, so it is left out.
    """
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    pk_names = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    keys = []
    for item in ordering:
        if isinstance(item, str):
            if item == "?":
                raise ValueError("A random order has no positions.")
            name = item.removeprefix("-")
            key = Key(F(name), descending=item.startswith("-"), nulls_first=False)
        elif isinstance(item, OrderBy):
            name = item.expression.name if isinstance(item.expression, F) else None
            key = Key(
                item.expression, descending=item.descending, nulls_first=bool(item.nulls_first)
            )
        else:
            name = item.name if isinstance(item, F) else None
            key = Key(item, descending=False, nulls_first=False)
        keys.append(key)
        if name in pk_names:
            return keys
    keys.append(Key(F("pk"), descending=False, nulls_first=False))
    return keys


def key_name(index):
    return f"cursor_key_{index}"


def keyset_rows(queryset, position, *, backwards, size):
    """Up to `size` rows after `position` in the queryset's order (before it, when
    `backwards`), in that order; `position` None starts at the first row (the last).

    Answers (rows, positions of the first and last row, whether more rows lie beyond).
    One query, and the queryset's prefetches.
    """
    keys = order_keys(queryset)
    if backwards:
        keys = [key.reversed() for key in keys]
    names = [key_name(index) for index in range(len(keys))]
    named = list(zip(names, keys, strict=True))
    rows = queryset.annotate(**{name: key.expression for name, key in named})
    rows = rows.order_by(*(key.order_by(name) for name, key in named))
    if position is not None:
        rows = rows.filter(after_position(keys, names, position))
    rows = list(rows[: size + 1])
    beyond = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    positions = (
        [[getattr(row, name) for name in names] for row in (rows[0], rows[-1])] if rows else []
    )
    return rows, positions, beyond


def after_position(keys, names, position):
    """The rows after `position`: equal on the first keys and after it on the next one,
    for some number of first keys (the id, last, is never equal for another row)."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, name, value in zip(keys, names, position, strict=True):
        after = key.after(name, value)
        if after is not None:
            condition |= equal & after
        equal &= Key.equal(name, value)
    return condition
