"""The staff's admin: one module per area, registered on import.

Roles (see migration 0003): Editors may do everything, publishing included;
Contributors add and change drafts and may not publish by any path. The guards
that hold that line are in `deals.admin.deals.DealAdmin` and
`deals.admin.base.HistoryAdmin`.

Rows that only mean something inside their parent (DealParty, DealSource,
StatusUpdate, Dignitary, CeremonySource) are edited as inlines only: a page of
their own would let a contributor change the parties or sources of a published
deal, which its change form refuses them.
"""

from deals.admin import (  # noqa: F401  (registers the admins)
    ceremonies,
    corrections,
    deals,
    follows,
    records,
)
