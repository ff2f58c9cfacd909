"""What every staff import shares: the resource base, its fields, and the result and diff
classes that list every problem on its row and style the preview for the admin."""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from import_export import fields, resources
from import_export.results import Result

from deals.admin.resources.lookups import LookupWidget
from deals.admin.resources.widgets import TextWidget, cell_text

SLUG_LENGTH = 200


class ImportResult(Result):
    # The columns the file has (set by StaffResource.after_import); the preview shows
    # those and what they fill, not every column the resource knows.
    shown_columns = None

    def _shown(self):
        shown = self.shown_columns
        return [i for i, h in enumerate(self.diff_headers) if shown is None or h in shown]

    def preview_headers(self):
        return [self.diff_headers[i] for i in self._shown()]

    def preview_rows(self):
        """[(row, import type, cells)], rows numbered as in a spreadsheet."""
        shown = self._shown()
        return [
            (number, row.import_type, [row.diff[i] for i in shown])
            for number, row in enumerate(self.valid_rows(), start=2)
        ]

    def problems(self):
        """[(row, column, message)], rows numbered as in a spreadsheet (header = row 1)."""
        found = [(None, "", str(error.error)) for error in self.base_errors]
        for row in self.invalid_rows:
            for column, messages in row.error_dict.items():
                column = "" if column == NON_FIELD_ERRORS else column
                found.extend((row.number + 1, column, message) for message in messages)
        for row in self.error_rows:
            found.extend((row.number + 1, "", str(error.error)) for error in row.errors)
        return sorted(found, key=lambda p: (p[0] is not None, p[0] or 0, p[1]))


class StyledDiff(resources.Diff):
    """The preview's changes marked with <ins> and <del> styled by the admin's stylesheet:
    the library writes inline styles, which the Content-Security-Policy refuses."""

    TAGS = {
        '<ins style="background:#e6ffe6;">': "<ins>",
        '<del style="background:#ffe6e6;">': "<del>",
    }

    def as_html(self):
        cells = []
        for html in super().as_html():
            for styled, plain in self.TAGS.items():
                html = html.replace(styled, plain)
            # diff_prettyHtml escaped the values; only its own tags are left as markup.
            cells.append(mark_safe(html))
        return cells


class StaffResource(resources.ModelResource):
    """What every staff import shares: slugs made from names, lookups read once,
    history that names who imported which file, and every error on its row."""

    # the field a missing slug is made from
    slug_source = "name"
    # one illustrative row for the template file
    example = {}
    # {column: columns it fills}: shown in the preview in its place
    fills = {}
    # {column: fields whose model errors a problem with the column makes redundant}
    covers = {}

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return StyledDiff

    def lookups(self):
        return [
            field.widget.lookup
            for field in self.fields.values()
            if isinstance(field.widget, LookupWidget)
        ]

    def before_import(self, dataset, **kwargs):
        for lookup in self.lookups():
            lookup.reset()
        if dataset.headers and "slug" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="slug")

    def after_import(self, dataset, result, **kwargs):
        columns = set(dataset.headers or [])
        for column in list(columns):
            columns |= set(self.fills.get(column, []))
        result.shown_columns = columns - set(self.fills)

    def before_import_row(self, row, **kwargs):
        if not cell_text(row.get("slug")):
            row["slug"] = slugify(cell_text(row.get(self.slug_source)))[:SLUG_LENGTH]
        else:
            row["slug"] = cell_text(row["slug"])

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug:
            errors.setdefault("slug", []).append(
                f"Give a slug: none can be made from the {self.slug_source} alone."
            )
        self.check_row(instance, row, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors, **kwargs):
        """Add to `errors` what this kind of record forbids beyond its form's rules."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks as well, but a column that could not be read reports only
        that: "not a number" needs no "give the amount" after it."""
        read_errors = ValidationError(import_validation_errors or {}).error_dict
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.error_dict
            for column, messages in read_errors.items():
                errors[column] = messages
                for covered in self.covers.get(column, []):
                    errors.pop(covered, None)
            raise ValidationError(errors) from None

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        instance._history_user = user
        file_name = kwargs.get("file_name") or "a file"
        instance._change_reason = f"Imported from {file_name}"

    @classmethod
    def template_dataset(cls):
        """A file to start from: the columns, and one example row."""
        columns = [field.column_name for field in cls().get_import_fields()]
        dataset = tablib.Dataset(headers=columns)
        dataset.append([cls.example.get(column, "") for column in columns])
        return dataset


def staff_field(attribute, widget=None, **kwargs):
    # saves_null_values=False: an empty cell keeps the record's value (or its default)
    # instead of writing None over it.
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widget or TextWidget(),
        saves_null_values=False,
        **kwargs,
    )


class TextField(fields.Field):
    """A text column: an empty cell means empty text."""

    def __init__(self, attribute):
        super().__init__(attribute=attribute, column_name=attribute, widget=TextWidget())
