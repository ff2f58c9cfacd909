"""Dates and names in the reader's language: {{ ceremony.date|long_day }} ("8 November 2017",
"2017年11月8日"), {{ party|name_first }} and {{ party|name_second }} (the native name
first to a Chinese reader, where the record holds one). Dates are written by
deals/presentation.py, as every figure is."""

from django import template

from deals.presentation import format_day

register = template.Library()


@register.filter
def long_day(value):
    """A date written out: "8 November 2017", "2017年11月8日"; "" for none."""
    return format_day(value, "long") if value else ""


@register.filter
def short_day(value):
    """A date with the month abbreviated: "8 Nov 2017", "2017年11月8日"; "" for none."""
    return format_day(value, "short") if value else ""


@register.filter
def name_first(record):
    """The name to show first (deals.models.base.NativeNamed.reader_name)."""
    return getattr(record, "reader_name", None) or getattr(record, "name", record)


@register.filter
def name_second(record):
    """The other name, shown second, or ""."""
    return getattr(record, "reader_other_name", "")


@register.filter
def weekday_day(value):
    """A date with its weekday: "Wednesday 8 November 2017", "2017年11月8日星期三"."""
    return format_day(value, "weekday") if value else ""
