"""What every model of the record shares: timestamps, list-order indexes, the published filter."""

import copy

from django.db import models
from django.db.models import Q
from django.db.models.expressions import OrderBy

PUBLISHED = Q(is_published=True)


class OrderingIndex(models.Index):
    """An index in a list's order, rows without a value last.

    SQLite cannot say NULLS LAST in an index: it gets the same columns in plain order
    (the order PostgreSQL is asked for is what the index is for).
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.copy(self)
        plain.expressions = tuple(
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        )
        return super(OrderingIndex, plain).create_sql(model, schema_editor, using=using, **kwargs)


class NativeNamed:
    """A record named in English (`name`) and, where the record holds one, in its own
    script (`native_name`, e.g. 人民大会堂): pages name it in the reader's language, the
    other name second. Read in the language Django has active."""

    def _has_native(self):
        # A list that read only some fields (only()/defer()) costs no query per row here.
        return "native_name" not in self.get_deferred_fields() and bool(self.native_name)

    def _reads_native(self):
        from django.utils.translation import get_language  # the active language only

        return (get_language() or "").startswith("zh") and self._has_native()

    @property
    def reader_name(self):
        """The name to show first: the native name to a Chinese reader, if any."""
        return self.native_name if self._reads_native() else self.name

    @property
    def reader_other_name(self):
        """The name to show second, or "": the English one to a Chinese reader."""
        if not self._has_native():
            return ""
        return self.name if self._reads_native() else self.native_name


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
