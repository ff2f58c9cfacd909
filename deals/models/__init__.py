"""The domain of Deal Tracker: who signed what with whom, where, for how much.

Names follow ../shared/DESIGN.md. Invariants live in the database as named
constraints; rules that span fields also live in `clean()` so the admin and the
API report them as form errors instead of integrity errors.

The package is cut by subdomain (CONTRIBUTING.md has the map); everything is
importable from here, as `from deals.models import Deal, Qualifier`:

- record: `deals` (Deal) with its query vocabulary `deal_queries` (DealQuerySet),
  `parties` (Party, DealParty), `identifiers` (PartyIdentifier),
  `ceremonies` (Occasion, Venue, Person, Ceremony,
  Dignitary), `sectors` (Sector);
- values and money: `money` (currencies, amounts, Qualifier, ExchangeRate) and
  `totals` (Totals, GroupTotals, Reconciliation);
- status and sources: `status` (StatusUpdate), `sources` (Source and citations);
- figures kept for reading: `figures` (FigureRow per scope and deal, StaleDeal marks);
- readers' follows: `follows` (Follow, DigestSent: e-mail alerts, never public).
"""

from deals.models.base import PUBLISHED, OrderingIndex, TimeStamped
from deals.models.ceremonies import (
    Ceremony,
    CeremonyQuerySet,
    Dignitary,
    Occasion,
    OccasionQuerySet,
    Person,
    ReconciledCeremonyIterable,
    Venue,
)
from deals.models.corrections import CorrectionReport
from deals.models.deal_queries import DealQuerySet
from deals.models.deals import Deal
from deals.models.figure_sums import FigureSum
from deals.models.figures import FigureRow, StaleDeal
from deals.models.follows import BadLink, DigestSent, Follow, FollowQuerySet
from deals.models.identifiers import (
    PartyIdentifier,
    PartyIdentifierQuerySet,
    lei_check_digits,
    normalise_identifier,
    parse_identifier,
)
from deals.models.money import (
    ABOUT_TOLERANCE,
    CURRENCY_PATTERN,
    ISO_4217_CODES,
    MARKET_RATE_VALIDITY,
    MAX_AMOUNT,
    MAX_AMOUNT_USD,
    USD,
    ExchangeRate,
    ExchangeRateQuerySet,
    Qualifier,
    amount_field,
    amount_matches_qualifier,
    check_amount_matches_qualifier,
    convert_to_usd,
    currency_field,
    currency_validators,
    rate_in_timeline,
    usable_rate,
    validate_currency,
)
from deals.models.parties import (
    DealParty,
    DuplicateCandidate,
    Party,
    PartyNameKey,
    PartyQuerySet,
    party_name_key,
)
from deals.models.sectors import Sector, SectorQuerySet
from deals.models.sources import CeremonySource, DealSource, Source
from deals.models.status import OPEN_STATUSES, Outcome, Status, StatusUpdate
from deals.models.totals import (
    GroupTotals,
    OutcomeTotals,
    Reconciliation,
    Scorecard,
    StatedFigure,
    Totals,
    sum_figures,
)

__all__ = [
    "ABOUT_TOLERANCE",
    "BadLink",
    "CURRENCY_PATTERN",
    "ISO_4217_CODES",
    "MARKET_RATE_VALIDITY",
    "MAX_AMOUNT",
    "MAX_AMOUNT_USD",
    "OPEN_STATUSES",
    "PUBLISHED",
    "USD",
    "Ceremony",
    "CorrectionReport",
    "CeremonyQuerySet",
    "CeremonySource",
    "Deal",
    "DealParty",
    "DealQuerySet",
    "DealSource",
    "DigestSent",
    "Dignitary",
    "ExchangeRate",
    "ExchangeRateQuerySet",
    "FigureRow",
    "FigureSum",
    "Follow",
    "FollowQuerySet",
    "GroupTotals",
    "Occasion",
    "OccasionQuerySet",
    "OrderingIndex",
    "Outcome",
    "OutcomeTotals",
    "DuplicateCandidate",
    "Party",
    "PartyIdentifier",
    "PartyIdentifierQuerySet",
    "PartyNameKey",
    "PartyQuerySet",
    "lei_check_digits",
    "normalise_identifier",
    "parse_identifier",
    "party_name_key",
    "Person",
    "Qualifier",
    "Reconciliation",
    "ReconciledCeremonyIterable",
    "Scorecard",
    "Sector",
    "SectorQuerySet",
    "Source",
    "StaleDeal",
    "StatedFigure",
    "Status",
    "StatusUpdate",
    "TimeStamped",
    "Totals",
    "Venue",
    "amount_field",
    "amount_matches_qualifier",
    "check_amount_matches_qualifier",
    "convert_to_usd",
    "currency_field",
    "currency_validators",
    "rate_in_timeline",
    "sum_figures",
    "usable_rate",
    "validate_currency",
]
