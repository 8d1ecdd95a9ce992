"""Forms of the curriculum screens. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from camp.forms import MonthField
from camp.widgets import PersonSelect
from trainees.models import StudyGroup, Trainee

from .models import (
    ActivityKind,
    AttendanceStatus,
    CalendarArrangement,
    ChiefProject,
    ClassroomType,
    HalfDay,
    Instructor,
    ResearchTopic,
    Session,
    TrainingDay,
)

# A day's journey at most: a longer one is a typo.
MAX_TRAVEL_MINUTES = 24 * 60
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a posted id no database key can be before asking the database: SQLite raises
    OverflowError (a 500) for one past 64 bits instead of finding nothing."""

    def clean(self, value):
        for pk in value or []:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class TrainingDayMoveForm(forms.Form):
    """The move, and once the checks flagged it, staff's confirmation of what they saw
    (`flags`, the codes shown) with their reason."""

    to_date = forms.DateField(label=_("新日期"), widget=DATE)
    reason = forms.CharField(label=_("调整原因"), max_length=200)
    flags = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("已知晓以上提示，仍按此日期调整"), required=False)
    override_reason = forms.CharField(label=_("仍予调整的理由"), max_length=200, required=False)

    def confirmed_flags(self) -> list[str]:
        if not self.cleaned_data.get("confirm"):
            return []
        return [code for code in self.cleaned_data.get("flags", "").split(",") if code]


class TrainingDayConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("确认依据"),
        max_length=200,
        help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知，该日为正常周末"),
    )


class ArrangementForm(forms.ModelForm):
    class Meta:
        model = CalendarArrangement
        fields = ["date", "kind", "name"]
        widgets = {"date": DATE}
        help_texts = {"name": _("例如：春节、国庆节")}


class ArrangementDeleteForm(forms.Form):
    delete = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "training_day",
            "date",
            "half_day",
            "start_time",
            "end_time",
            "place",
            "activity_kind",
            "topic",
            "instructors",
            "presenters",
            "group",
            "off_site",
            "location",
            "assembly_time",
            "assembly_place",
            "travel_minutes",
            "counts_as_half_days",
            "attendance_required",
        ]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "assembly_time": TIME,
            "instructors": forms.CheckboxSelectMultiple,
        }
        field_classes = {"instructors": PkMultipleChoiceField, "presenters": PkMultipleChoiceField}
        help_texts = {
            "date": _("培训日以外的活动（圆桌会、辩论赛等）填写；选了培训日则按培训日"),
        }

    reason = forms.CharField(
        label=_("修改原因"),
        max_length=100,
        help_text=_("记入变更历史，如“授课教师临时调整”"),
    )

    def __init__(self, *args, camp, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["reason"]  # a new session needs no reason to exist
        self.fields["training_day"].queryset = TrainingDay.objects.filter(camp=camp)
        self.fields["training_day"].required = False
        self.fields["date"].required = False
        self.fields["group"].queryset = StudyGroup.objects.filter(camp=camp)
        self.fields["instructors"].queryset = Instructor.objects.all()
        self.fields["presenters"].queryset = (
            Trainee.objects.filter(camp=camp).select_related("person").order_by("person__name")
        )
        self.fields["presenters"].help_text = _("经验分享交流会（我的项目我领衔）等活动的发言学员")
        self.fields["activity_kind"].queryset = ActivityKind.objects.all()
        # The model's check constraints would refuse these with their bare names: say it here.
        self.fields["counts_as_half_days"] = forms.TypedChoiceField(
            label=self.fields["counts_as_half_days"].label,
            choices=[(1, _("1（半天）")), (2, _("2（全天，如异地教学）"))],
            coerce=int,
            initial=1,
        )
        self.fields["travel_minutes"].max_value = MAX_TRAVEL_MINUTES
        self.fields["travel_minutes"].validators.append(MaxValueValidator(MAX_TRAVEL_MINUTES))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间须晚于开始时间。"))
        return data


class AttendanceSheetForm(forms.Form):
    """One status field per trainee, all posted at once. `unmarked_as` fills every trainee left
    blank (and not yet recorded), so that staff only touch the exceptions."""

    unmarked_as = forms.ChoiceField(
        label=_("未选择的学员记为"),
        choices=[("", _("不记录")), *AttendanceStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )

    def __init__(self, *args, trainees, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *AttendanceStatus.choices]
        labels = dict(AttendanceStatus.choices)
        self._rows = []
        for trainee in trainees:
            name = f"t{trainee.pk}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                initial=current.get(trainee.pk, ""),
                # The name stands in the row's first cell; a screen reader needs it on the select.
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm grid-input",
                        "aria-label": trainee.person.name,
                    }
                ),
            )
            self._rows.append((trainee, name, labels.get(current.get(trainee.pk), "—")))

    @property
    def rows(self):
        """(trainee, bound field, current status label) for each trainee."""
        return [(trainee, self[name], label) for trainee, name, label in self._rows]

    def marks(self) -> dict[int, str]:
        fill = self.cleaned_data.get("unmarked_as", "")
        marks = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("t") and name[1:].isdigit() and (value or fill):
                marks[int(name[1:])] = value or fill
        return marks


class LeaveRequestForm(forms.Form):
    training_day = forms.ModelChoiceField(label=_("培训日"), queryset=TrainingDay.objects.none())
    half_day = forms.ChoiceField(
        label=_("时段"),
        choices=[("", _("全天")), (HalfDay.MORNING, _("上午")), (HalfDay.AFTERNOON, _("下午"))],
        required=False,
    )
    last_training_day = forms.ModelChoiceField(
        label=_("最后一个培训日"),
        queryset=TrainingDay.objects.none(),
        required=False,
        help_text=_("连续请多个培训日时填写；留空表示只请一天"),
    )
    last_half_day = forms.ChoiceField(
        label=_("最后一天时段"),
        choices=[("", _("全天")), (HalfDay.MORNING, _("上午"))],
        required=False,
    )
    reason = forms.CharField(
        label=_("请假事由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("证明材料"),
        required=False,
        help_text=_("如病假证明：PDF、JPG 或 PNG"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_day"].queryset = days
        self.fields["last_training_day"].queryset = days


class StaffLeaveForm(LeaveRequestForm):
    """Staff enter a leave on a trainee's behalf, approved at once or left pending."""

    trainee = forms.ModelChoiceField(
        label=_("学员"), queryset=Trainee.objects.none(), widget=PersonSelect
    )
    approve = forms.BooleanField(
        label=_("直接批准"),
        required=False,
        initial=True,
        help_text=_("不勾选则进入待审批"),
    )
    field_order = [
        "trainee",
        "training_day",
        "half_day",
        "last_training_day",
        "last_half_day",
        "reason",
        "approve",
    ]

    def __init__(self, *args, days, trainees, **kwargs):
        super().__init__(*args, days=days, **kwargs)
        self.fields["trainee"].queryset = trainees


class LeaveDecisionForm(forms.Form):
    approve = forms.ChoiceField(choices=[("1", _("批准")), ("0", _("不批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


class TalkForm(forms.Form):
    trainee = forms.ModelChoiceField(label=_("学员"), queryset=None, widget=PersonSelect)
    held_on = forms.DateField(label=_("谈话日期"), widget=DATE)
    topics = forms.CharField(label=_("谈话主题"), max_length=200)
    summary = forms.CharField(
        label=_("谈话摘要"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees


class EvaluationForm(forms.Form):
    SCORES = [(n, str(n)) for n in range(5, 0, -1)]
    session_score = forms.TypedChoiceField(label=_("课程评分"), choices=SCORES, coerce=int)
    instructor = forms.ModelChoiceField(label=_("授课教师"), queryset=None, required=False)
    instructor_score = forms.TypedChoiceField(
        label=_("教师评分"),
        choices=[("", "—"), *SCORES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = session.instructors.all()


class InstructorForm(forms.ModelForm):
    class Meta:
        model = Instructor
        fields = ["name", "unit", "title", "source"]


class ActivityKindForm(forms.Form):
    name = forms.CharField(label=_("活动类型名称"), max_length=50)
    classroom = forms.ChoiceField(label=_("课堂类型"), choices=ClassroomType.choices)


class ResearchTopicForm(forms.ModelForm):
    class Meta:
        model = ResearchTopic
        fields = ["title", "description", "adviser"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ResearchMemberForm(forms.Form):
    trainee = forms.ModelChoiceField(label=_("学员"), queryset=None, widget=PersonSelect)
    leader = forms.BooleanField(label=_("设为课题组长"), required=False)

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=100)
    due_on = forms.DateField(label=_("计划完成"), widget=DATE)


class MilestoneDoneForm(forms.Form):
    done = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].queryset = milestones


class ReportUploadForm(forms.Form):
    report = forms.FileField(label=_("调研报告（PDF/Word/Excel）"))


class ChiefProjectForm(forms.ModelForm):
    class Meta:
        model = ChiefProject
        fields = ["title", "goal", "milestones"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "milestones": forms.Textarea(attrs={"rows": 3}),
        }


class ProgressNoteForm(forms.Form):
    month = MonthField(label=_("月份"))
    text = forms.CharField(
        label=_("本月进展"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("辅导员点评"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TaskForceForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("派驻地点"), max_length=100)
    task = forms.CharField(
        label=_("任务"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    members = PkMultipleChoiceField(label=_("队员"), queryset=None, required=False)

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = trainees


class LogEntryForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(
        label=_("工作记录"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TargetCountForm(forms.Form):
    count = forms.IntegerField(label=_("计划数量"), min_value=0, max_value=500)
