"""The resident's "Idioma / Language" page: they choose the language Hearth speaks to them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.exceptions import DomainError
from accounts.pages import show_domain_error
from residents.portal.forms import LanguageForm
from residents.portal.services import resident_language_set
from residents.portal.views.sections import portal_page


@portal_page
def portal_language(request, resident):
    form = LanguageForm(request.POST or None, initial={"language": resident.preferred_language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            resident_language_set(viewer=request.viewer, language=language)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # Said in the language just chosen: the next page is in it too.
            with translation.override(language):
                messages.success(request, _("Saved. Hearth speaks to you in English from now on."))
            return redirect("portal-language")
    status = 400 if form.errors else 200
    return render(request, "residents/portal/language.html", {"section": "language", "form": form}, status=status)
