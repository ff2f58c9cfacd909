"""Public reads from the read replica; everything else from the primary.

In use only when DATABASE_REPLICA_URL is set: dealtracker/settings.py then adds the
"replica" database alias and this router. ReadReplicaMiddleware
(dealtracker/middleware.py) decides per request:

- an anonymous reader's GET, HEAD or OPTIONS reads from the replica. Anonymous means
  neither a session cookie nor an Authorization header, as for the public cache
  (deals/caching.py). DRF checks an API token in the view, after every middleware,
  so the header alone decides; a session cookie goes to the primary without looking
  the session up, so that deciding costs no query.
- every other request reads from the primary: writes (POST, PUT, PATCH, DELETE) and
  anything a signed-in user (staff in the admin, clients with a token) asks for.
- so does everything outside a request: management commands, the shell, migrations.

Why per request and not per query: a request that writes must read its own writes.
Writes come only from non-safe methods and signed-in users, whose requests read the
primary from start to end, so no read after a write in the same request (or the same
transaction.atomic block) can meet a replica that has not caught up yet, and an
editor sees their own edit on the next page.

Not covered: an anonymous reader just after an edit may be answered by a replica that
lags behind the primary (docs/deploy.md, "Replication lag").
"""

from contextlib import contextmanager
from contextvars import ContextVar

from deals.caching import is_anonymous

PRIMARY = "default"
REPLICA = "replica"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# False by default, so that anything outside a request reads from the primary.
_replica_allowed = ContextVar("replica_allowed", default=False)


def may_read_replica(request):
    """Whether this request is an anonymous read that a replica may answer."""
    return request.method in SAFE_METHODS and is_anonymous(request)


@contextmanager
def replica_reads():
    """Reads inside this block go to the replica (when the router is in use)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def replica_reads_for(chunks):
    """A streamed answer (the CSV download) runs its queries as it is sent, after the
    middleware has returned: produce each chunk with replica reads on. Set and reset
    around each chunk, not across the yields, so the caller never runs with them on."""
    iterator = iter(chunks)
    while True:
        with replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _replica_allowed.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema by replication.
        return db == PRIMARY
