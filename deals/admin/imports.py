"""Bulk import and export in the admin, on django-import-export.

What this adds to the library's own flow (upload → preview → confirm):

- A file is written all or nothing. The preview runs the whole import in a
  transaction and rolls it back; the confirm button is offered only when no row has
  an error; and the confirmed import runs in one transaction that is rolled back if
  any row fails after all (say, a record was changed in the meantime), in which case
  the page shows the errors again instead of claiming success.
- Every problem is listed with its row, numbered as in a spreadsheet.
- Import needs the add and change permissions of the model (the library's default
  lets anyone who reaches the admin import); export needs the view permission.
- A template file with the columns and one example row, as CSV or XLSX.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

TEMPLATE_FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}


class StaffImportExportMixin(ImportExportMixin):
    import_template_name = "admin/deals/import.html"
    # CSV for anything, XLSX for what staff keep in spreadsheets.
    import_formats = [base_formats.CSV, base_formats.XLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_or_change_permission(request)

    def get_urls(self):
        return [
            path(
                "import-template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The library rolls back on errors but keeps rows that failed validation; a
        # partial import is not what the preview promised.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Nothing was imported: the file no longer passes the checks it passed in "
                "the preview. The problems are listed below.",
            )
            context = {
                **self.admin_site.each_context(request),
                "title": "Import",
                "opts": self.opts,
                "result": result,
                "form": self.create_import_form(request),
                "import_template_links": self.import_template_links(),
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"Imported: {totals['new']} new, {totals['update']} changed, "
            f"{totals['skip']} unchanged {self.opts.verbose_name_plural}. "
            "Each has a history entry naming you and the file.",
        )

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_template_links"] = self.import_template_links()
        return context

    def import_template_links(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            (extension.upper(), f"admin:{info[0]}_{info[1]}_import_template", extension)
            for extension in TEMPLATE_FORMATS
        ]

    def import_template_view(self, request, extension):
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = TEMPLATE_FORMATS.get(extension)
        if file_format is None:
            raise Http404("No template in that format.")
        resource_class = self.get_import_resource_classes(request)[0]
        data = file_format().export_data(resource_class.template_dataset())
        response = HttpResponse(data, content_type=file_format().get_content_type())
        filename = f"{self.opts.model_name}-import-template.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
