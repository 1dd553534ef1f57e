from django.http import FileResponse, Http404

from .models import Report


def report_file(report: Report) -> FileResponse:
    """A finished report's PDF as an attachment, for the reports page and the API alike."""
    if report.status != Report.Status.DONE or not report.file:
        raise Http404("The report is not ready yet.")
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.filename, content_type="application/pdf"
    )
