from django.http import FileResponse, Http404
from rest_framework.renderers import BaseRenderer, JSONRenderer

from .models import Report


class PDFRenderer(BaseRenderer):
    """Lets an API view that answers with a PDF file accept ``Accept: application/pdf``: DRF picks a renderer before
    the view runs and refuses (406) a type no renderer offers. The views return the file themselves; this renderer
    only writes what DRF itself answers (an error such as a 404), as JSON a client can still read."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


# For a PDF download action: the PDF first, so "Accept: */*" keeps getting the file as it always did.
PDF_RENDERERS = [PDFRenderer, JSONRenderer]


def report_file(report: Report) -> FileResponse:
    """A finished report's PDF as an attachment, for the reports page and the API alike."""
    if report.status != Report.Status.DONE or not report.file:
        raise Http404("The report is not ready yet.")
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.filename, content_type="application/pdf"
    )
