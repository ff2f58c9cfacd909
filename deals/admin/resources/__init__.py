"""How deals, parties and ceremonies are read from and written to CSV and XLSX files.

django-import-export does the work; these resources say what each column means and
refuse anything they cannot read with certainty, naming the row and the column:

- Records are found by slug. A row without a slug takes one made from its title (or
  name), so importing the same file twice updates rather than duplicates, and the
  preview shows each row as new, changed or unchanged.
- Related records are named by slug or by name (sectors also by ISIC code, parties
  also by an alias); an unknown or ambiguous name is an error, never a guess.
- Choices take their stored value or their label ("memorandum of understanding").
- Dates are YYYY-MM-DD; numbers have no currency signs or words. A deal's value may
  instead be given as press wording (`value_wording`, read by `deals.wording`).
- Every row is validated as the admin form would (`full_clean`), and who may publish
  is checked as in the admin: contributors import drafts only.

One module per kind of record (`deals`, `parties`, `ceremonies`), on `base` (what every
import shares), `lookups` (related records by name) and `widgets` (what a cell may say).
Import from here: the names below are the package's public face.
"""

from deals.admin.resources.base import (
    SLUG_LENGTH,
    ImportResult,
    StaffResource,
    StyledDiff,
    TextField,
    staff_field,
)
from deals.admin.resources.ceremonies import CeremonyResource
from deals.admin.resources.deals import VALUE_COLUMNS, DealResource, PartiesField, SourcesField
from deals.admin.resources.lookups import (
    DealSlugWidget,
    Lookup,
    LookupWidget,
    by_name,
    party_lookup,
    sector_lookup,
)
from deals.admin.resources.parties import PartyResource
from deals.admin.resources.widgets import (
    ChoiceWidget,
    CodeWidget,
    CountryWidget,
    FlagWidget,
    IsoDateWidget,
    LinesWidget,
    StrictDecimalWidget,
    StrictIntegerWidget,
    TextWidget,
)

__all__ = [
    "SLUG_LENGTH",
    "VALUE_COLUMNS",
    "CeremonyResource",
    "ChoiceWidget",
    "CodeWidget",
    "CountryWidget",
    "DealResource",
    "DealSlugWidget",
    "FlagWidget",
    "ImportResult",
    "IsoDateWidget",
    "LinesWidget",
    "Lookup",
    "LookupWidget",
    "PartiesField",
    "PartyResource",
    "SourcesField",
    "StaffResource",
    "StrictDecimalWidget",
    "StrictIntegerWidget",
    "StyledDiff",
    "TextField",
    "TextWidget",
    "by_name",
    "party_lookup",
    "sector_lookup",
    "staff_field",
]
