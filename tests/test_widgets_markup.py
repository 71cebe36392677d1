"""Our select and input templates (templates/django/forms/widgets/) write options and attributes
inline for speed; they must produce the markup Django's own templates do."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting


class Sample(forms.Form):
    stage = forms.ChoiceField(
        choices=[("", "Any"), ("a", "Alpha & <b>"), ("Group", [("b", "Beta"), ("c", "Gamma")])]
    )
    stages = forms.MultipleChoiceField(
        choices=[("a", "Alpha"), ("b", "Beta")], widget=forms.CheckboxSelectMultiple
    )
    many = forms.MultipleChoiceField(choices=[("a", "Alpha"), ("b", "Beta")])
    name = forms.CharField(
        widget=forms.TextInput(attrs={"placeholder": 'Say "hi"', "required": True})
    )
    ok = forms.BooleanField()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("field", ["stage", "stages", "many", "name", "ok"])
def test_our_widget_templates_render_what_django_s_do(field):
    data = {"stage": "b", "stages": ["b"], "many": ["a", "b"], "name": "x<y", "ok": "on"}
    ours = Sample(data, renderer=TemplatesSetting())[field].as_widget()
    django_s = Sample(data, renderer=DjangoTemplates())[field].as_widget()
    assert squeeze(str(ours)) == squeeze(str(django_s))
    assert "{%" not in ours and "comment" not in ours
