"""What a cell may say: strict readers of text, codes, numbers, dates, choices, flags,
countries and lines. Each refuses what it cannot read with certainty, saying how to write it."""

import datetime
from decimal import Decimal, InvalidOperation

from django_countries import countries
from import_export import widgets


def cell_text(value):
    """A cell as stripped text; numbers from XLSX as they read ("36", not "36.0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(widgets.Widget):
    """A currency code: "usd" is USD; an empty cell keeps the record's own."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value).upper() or None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class StrictDecimalWidget(widgets.Widget):
    """Digits, with an optional decimal point and thousands commas; nothing else."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(",", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"“{value}” is not a number; write it in digits (2000000000), or give the "
                "whole value as wording in value_wording."
            ) from None
        if not number.is_finite():
            raise ValueError(f"“{value}” is not a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class StrictIntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"“{value}” is not a whole number.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IsoDateWidget(widgets.Widget):
    """YYYY-MM-DD only: 08/11/2017 is 8 November in Beijing and 11 August in Washington."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):  # an XLSX date cell
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"“{value}” is not a date; write YYYY-MM-DD, e.g. 2017-11-08."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label, in any case: "MoU" is not either."""

    def __init__(self, choices):
        super().__init__()
        self.by_text = {}
        for stored, label in choices:
            for text in (stored, str(label)):
                self.by_text[self._key(text)] = stored
        self.values = [stored for stored, _ in choices]

    @staticmethod
    def _key(text):
        return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self.by_text[self._key(text)]
        except KeyError:
            raise ValueError(f"“{text}” is not one of: {', '.join(self.values)}.") from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class FlagWidget(widgets.Widget):
    TRUE = {"1", "true", "yes", "y"}
    FALSE = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{value}” is not yes or no; write 1 or 0.")

    def render(self, value, obj=None, **kwargs):
        return "1" if value else "0"


class CountryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        if text.upper() in countries:
            return text.upper()
        code = countries.by_name(text)
        if code:
            return code
        raise ValueError(f"“{text}” is not a country; write its ISO code, e.g. CN or US.")

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class LinesWidget(widgets.Widget):
    """One value per line in the record; in a cell, lines or "; " between them."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(";", "\n")
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def render(self, value, obj=None, **kwargs):
        return "; ".join(line.strip() for line in (value or "").splitlines() if line.strip())
