"""Operator pages: upload a sheet, map its columns and check it, import it; past imports listed with what each
created. Thin: the services read, check and write."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.pages import paginate, refuse
from accounts.views import operator_required

from . import services
from .forms import DeleteFileForm, ImportForm, MappingForm, UploadForm
from .kinds import columns_of
from .selectors import import_in_scope, imports_for


@operator_required
def imports(request):
    viewer = request.viewer
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_upload(
                actor=viewer,
                name=upload.name,
                data=upload.read(),
                kind=form.cleaned_data["kind"],
                sheet_name=form.cleaned_data["sheet"],
            )
        except DomainError as error:
            refuse(form, error)
        else:
            return redirect("spreadsheets:run", run.pk)
    context = {
        "section": "houses",
        "form": form,
        "page_obj": paginate(request, imports_for(viewer=viewer)),
        "kinds": [(kind, columns_of(kind)) for kind in ("houses", "beds", "residents")],
    }
    return render(request, "spreadsheets/imports.html", context, status=400 if form.errors else 200)


def _detail(request, run, *, mapping_form=None, import_form=None, delete_form=None, status=200):
    context = {
        "section": "houses",
        "run": run,
        "mapping_form": mapping_form or MappingForm(run=run),
        "import_form": import_form or ImportForm(),
        "delete_form": delete_form or DeleteFileForm(),
        "columns": columns_of(run.kind),
    }
    return render(request, "spreadsheets/run.html", context, status=status)


@operator_required
def run_detail(request, run_id):
    """GET: the mapping form (and the last check's result); POST: remember the mapping and check every row."""
    run = import_in_scope(viewer=request.viewer, run_id=run_id)
    if request.method != "POST":
        return _detail(request, run)
    form = MappingForm(request.POST, run=run)
    if form.is_valid():
        try:
            services.import_map(actor=request.viewer, run=run, mapping=form.cleaned_data)
            services.import_check(actor=request.viewer, run=run)
        except DomainError as error:
            refuse(form, error)
        else:
            return redirect("spreadsheets:run", run.pk)
    return _detail(request, run, mapping_form=form, status=409 if run.status == run.Status.DONE else 400)


@operator_required
@require_POST
def run_import(request, run_id):
    run = import_in_scope(viewer=request.viewer, run_id=run_id)
    form = ImportForm(request.POST)
    form.is_valid()
    try:
        run = services.import_apply(
            actor=request.viewer, run=run, only_good_rows=form.cleaned_data.get("only_good_rows", False)
        )
    except DomainError as error:
        refuse(form, error)
        return _detail(request, run, import_form=form, status=error.status_code)
    if run.status != run.Status.DONE:
        form.add_error(
            None,
            f"{run.bad_rows} of {run.counts['rows']} rows are bad, so nothing was imported. Fix them and upload the "
            "sheet again, or tick “Import only the good rows”.",
        )
        return _detail(request, run, import_form=form, status=400)
    messages.success(request, _("The sheet was imported."))
    return redirect("spreadsheets:run", run.pk)


@operator_required
@require_POST
def run_delete_file(request, run_id):
    """Deletes the stored upload of a finished import; the run's record stays."""
    run = import_in_scope(viewer=request.viewer, run_id=run_id)
    form = DeleteFileForm(request.POST)
    try:
        services.import_file_delete(actor=request.viewer, run=run)
    except DomainError as error:
        refuse(form, error)
        return _detail(request, run, delete_form=form, status=error.status_code)
    messages.success(request, _("The uploaded file was deleted; this import's record stays."))
    return redirect("spreadsheets:run", run.pk)
