"""The house rules page: add a rule, revise one, or give a house its own version of an organization default."""

from django import forms
from django.utils.translation import gettext_lazy as _

from residents.models import RuleCategory

SCOPES = [("house", _("Only this house")), ("organization", _("Every house (an organization-wide default)"))]


class RuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("Choose a category")), *RuleCategory.choices])
    text = forms.CharField(label=_("Rule"), max_length=2000, widget=forms.Textarea({"rows": 3}))
    consequence = forms.CharField(
        label=_("Consequence"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("What happens when it is broken."),
    )
    # The Spanish beside the English: residents who read Spanish sign it once every rule of the house has it.
    text_es = forms.CharField(
        label=_("Rule in Spanish"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3, "lang": "es"}),
        help_text=_("Optional. Residents who read Spanish read and sign this text once every rule has it."),
    )
    consequence_es = forms.CharField(
        label=_("Consequence in Spanish"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 2, "lang": "es"}),
        help_text=_("Give it with the Spanish rule, or leave both empty."),
    )
    note = forms.CharField(
        label=_("What changed"), max_length=300, required=False,
        help_text=_("One line residents see with the new version they are asked to sign."),
    )  # fmt: skip

    @classmethod
    def for_version(cls, version, *args, **kwargs):
        """A form holding a rule's current wording, to revise it or to copy it into a house's own version."""
        kwargs.setdefault(
            "initial",
            {
                "category": version.category,
                "text": version.text,
                "consequence": version.consequence,
                "text_es": version.text_es,
                "consequence_es": version.consequence_es,
            },
        )
        return cls(*args, **kwargs)


class RuleAddForm(RuleForm):
    scope = forms.ChoiceField(label=_("Applies to"), choices=SCOPES, initial="house", widget=forms.RadioSelect)

    field_order = ["scope", "category", "text", "consequence", "text_es", "consequence_es", "note"]

    def __init__(self, *args, can_add_default: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_add_default:
            del self.fields["scope"]

    @property
    def for_every_house(self) -> bool:
        return self.cleaned_data.get("scope") == "organization"


class RuleRetireForm(forms.Form):
    """Retiring one rule; each rule on the page has its own, prefixed with the rule's id."""

    note = forms.CharField(
        label=_("Why it goes"), max_length=300, required=False,
        help_text=_("One line residents see with the new version they are asked to sign."),
    )  # fmt: skip

    def __init__(self, *args, rule, **kwargs):
        self.rule = rule
        kwargs.setdefault("prefix", f"retire-{rule.pk}")
        super().__init__(*args, **kwargs)
