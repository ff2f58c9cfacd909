"""Quick entry: the deal form reads the value as the press words it.

Staff paste "more than $2 billion over three years" into "value as reported"; the
value and term fields are filled for them to confirm, never saved unseen:

- With JavaScript (static/admin-extra/quick_entry.js), a staff-only JSON endpoint
  reads the wording as it is typed and fills the fields on the page.
- Without it, saving with the wording and no amount fills the fields on the server
  and shows the form again, asking the editor to check them and save once more.

Wording that cannot be read with certainty is an error on the field, never a guess.
"""

from django import forms
from django.http import JsonResponse
from django.urls import reverse

from deals.models import Qualifier
from deals.presentation import format_term, format_value
from deals.wording import WordingError, parse_value_wording

WORDING_FIELD = "value_wording"

# The form fields the wording fills, and the ParsedValue attribute each comes from.
FILLED_FIELDS = {
    "value_amount": "amount",
    "value_currency": "currency",
    "value_qualifier": "qualifier",
    "value_basis": "basis",
    "term_months": "term_months",
}


def describe(parsed):
    """ "more than US$2 billion, 3 years": what the wording was read as, in the site's words."""
    text = format_value(parsed.amount, parsed.currency or "USD", parsed.qualifier, parsed.basis)
    if parsed.term_months:
        text += f", {format_term(parsed.term_months)}"
    return text


def filled_values(parsed):
    """The form's field values for a reading: what the fields will show."""
    values = {}
    for field, attribute in FILLED_FIELDS.items():
        value = getattr(parsed, attribute)
        if value is None and field in {"value_currency", "term_months"}:
            continue  # an undisclosed value has no currency; no term was given
        values[field] = "" if value is None else str(value)
    return values


class QuickEntryFormMixin(forms.ModelForm):
    value_wording = forms.CharField(
        required=False,
        max_length=300,
        label="Value as reported",
        help_text=(
            "Paste the source's words, e.g. “more than $2 billion over three years”, "
            "“RMB 5 billion”, “undisclosed”. The amount, currency, qualifier, basis and "
            "term below are filled in for you to check."
        ),
        widget=forms.TextInput(attrs={"class": "vLargeTextField", "data-quick-entry": "value"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if WORDING_FIELD in self.fields:
            widget = self.fields[WORDING_FIELD].widget
            widget.attrs["data-quick-entry-url"] = reverse("admin:deals_deal_parse_wording")

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get(WORDING_FIELD, "").strip()
        if not text:
            return cleaned
        try:
            parsed = parse_value_wording(text)
        except WordingError as error:
            self.add_error(WORDING_FIELD, str(error))
            return cleaned
        if not self._value_is_empty():
            # The editor confirmed (or typed) the value: the fields stand as submitted.
            return cleaned
        self._fill(parsed, cleaned)
        notes = " ".join(parsed.assumptions)
        self.add_error(
            WORDING_FIELD,
            f"Read as “{describe(parsed)}”. The value and term fields are filled in: "
            f"check them, then save again. {notes}".strip(),
        )
        return cleaned

    def _value_is_empty(self):
        data = self.data
        amount = data.get(self.add_prefix("value_amount"), "").strip()
        qualifier = data.get(self.add_prefix("value_qualifier"), "")
        return not amount and qualifier != Qualifier.UNDISCLOSED

    def _fill(self, parsed, cleaned):
        """Put the reading into the submitted data, so that the form shows it filled in,
        and into the cleaned data, so that the model checks the reading itself."""
        data = self.data.copy()
        for field, value in filled_values(parsed).items():
            if field == "term_months" and cleaned.get(field):
                continue  # a term the editor typed stands
            data[self.add_prefix(field)] = value
            cleaned[field] = getattr(parsed, FILLED_FIELDS[field])
        self.data = data


def parse_wording_response(text):
    """The JSON the quick entry script reads: the fields to fill, or the error."""
    try:
        parsed = parse_value_wording(text)
    except WordingError as error:
        return JsonResponse({"ok": False, "error": str(error)})
    return JsonResponse(
        {
            "ok": True,
            "fields": filled_values(parsed),
            "reading": describe(parsed),
            "assumptions": list(parsed.assumptions),
        }
    )
