"""The house rules page: add a rule, revise one, or give a house its own version of an organization default."""

from django import forms

from residents.models import RuleCategory

SCOPES = [("house", "Only this house"), ("organization", "Every house (an organization-wide default)")]


class RuleForm(forms.Form):
    category = forms.ChoiceField(label="Category", choices=[("", "Choose a category"), *RuleCategory.choices])
    text = forms.CharField(label="Rule", max_length=2000, widget=forms.Textarea({"rows": 3}))
    consequence = forms.CharField(
        label="Consequence",
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text="What happens when it is broken.",
    )
    note = forms.CharField(
        label="What changed", max_length=300, required=False,
        help_text="One line residents see with the new version they are asked to sign.",
    )  # fmt: skip

    @classmethod
    def for_version(cls, version, *args, **kwargs):
        """A form holding a rule's current wording, to revise it or to copy it into a house's own version."""
        kwargs.setdefault(
            "initial", {"category": version.category, "text": version.text, "consequence": version.consequence}
        )
        return cls(*args, **kwargs)


class RuleAddForm(RuleForm):
    scope = forms.ChoiceField(label="Applies to", choices=SCOPES, initial="house", widget=forms.RadioSelect)

    field_order = ["scope", "category", "text", "consequence", "note"]

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
        label="Why it goes", max_length=300, required=False,
        help_text="One line residents see with the new version they are asked to sign.",
    )  # fmt: skip

    def __init__(self, *args, rule, **kwargs):
        self.rule = rule
        kwargs.setdefault("prefix", f"retire-{rule.pk}")
        super().__init__(*args, **kwargs)
