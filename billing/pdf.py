"""Pages as PDF files, through WeasyPrint. PDF templates carry their own CSS, so nothing is fetched over the network."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string

# WeasyPrint reports every rendering step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_response(template_name: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    import weasyprint  # loaded on first use: it is slow to import and only PDF views need it

    html = render_to_string(template_name, context, request=request)
    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
