"""Work done once when a transaction commits, however many rows it writes."""

from django.db import transaction


def on_commit_once(name, func, *, using=None, robust=False):
    """Run `func` when the current transaction commits, once per transaction for this
    `name` however often it is asked for (an import writes thousands of rows). Outside
    a transaction nothing is registered: a statement in autocommit may be one of
    several that belong together (a script's), so the caller's work for it is done at
    once or left for later. Django starts a new list of commit hooks with each
    transaction, and after a rollback to a savepoint, so a hook lost with a rollback is
    registered again."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    hooks = connection.__dict__.setdefault("_once_on_commit", {})
    if hooks.get(name) is not connection.run_on_commit:
        hooks[name] = connection.run_on_commit
        transaction.on_commit(func, using=using, robust=robust)
