import datetime

from django import forms

from .models import Project, Stage


class StageChangeForm(forms.Form):
    """Move a project to another stage: where to, since when, and why."""

    to_stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    changed_on = forms.DateField(
        label="Date of the change",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="Note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What happened, and where it was reported.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault("initial", {"changed_on": datetime.date.today()})
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["to_stage"].choices = [
            (value, label) for value, label in Stage.choices if value != project.stage
        ]
        # Offer the likely move: back to where a paused project stopped, else the next rung.
        ladder = [s for s in Stage.values if s not in (Stage.PAUSED, Stage.CANCELLED)]
        if project.stage == Stage.PAUSED:
            self.fields["to_stage"].initial = project.stage_before_pause
        elif project.stage in ladder[:-1]:
            self.fields["to_stage"].initial = ladder[ladder.index(project.stage) + 1]

    def clean_changed_on(self):
        changed_on = self.cleaned_data["changed_on"]
        if changed_on > datetime.date.today():
            raise forms.ValidationError("The date cannot be in the future.")
        return changed_on
