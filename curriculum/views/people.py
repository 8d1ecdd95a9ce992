"""Counselors' talks and research topics."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.listing import listing
from camp.roles import Role

from ..access import (
    can_download_report,
    can_edit_curriculum,
    can_see_topic_members,
    can_upload_report,
    get_research_topic_for,
    get_talk_for,
    require_talk_access,
    talk_groups_for,
    visible_talks,
)
from ..filters import TalkFilter
from ..forms import (
    MilestoneDoneForm,
    MilestoneForm,
    ReportUploadForm,
    ResearchMemberForm,
    ResearchTopicForm,
    TalkForm,
)
from ..selectors import trainees_without_talk
from ..services.research import (
    research_member_add,
    research_milestone_add,
    research_milestone_done,
    research_report_upload,
    research_topic_create,
)
from ..services.talks import talk_record
from .feedback import submit_and_tell


@role_required(Role.STAFF, Role.COUNSELOR)
def talks(request, code):
    """Staff read every group's talks; a counselor reads and writes their current group's, and
    sees who has had no talk this month."""
    require_talk_access(request.user)
    camp = get_camp_for(request.user, code)
    today = timezone.localdate()
    form = None
    gaps = []
    groups = talk_groups_for(request.user, camp)
    if groups:
        trainees = (
            camp.trainees.active()
            .filter(group__in=groups)
            .select_related("person")
            .order_by("person__name")
        )
        form = TalkForm(request.POST or None, trainees=trainees, initial={"held_on": today})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                talk_record(
                    trainee=data["trainee"],
                    by=request.user,
                    held_on=data["held_on"],
                    topics=data["topics"],
                    summary=data["summary"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已记录谈心谈话。"))
                return redirect("curriculum-talks", camp.code)
        gaps = [(group, list(trainees_without_talk(group, today))) for group in groups]
    elif request.method == "POST":
        raise PermissionDenied  # staff read every group's talks; only counselors record them
    return render(
        request,
        "curriculum/talks.html",
        {
            "camp": camp,
            "listing": listing(request, _talk_filters(request, camp)),
            "form": form,
            "gaps": gaps,
            "month": today,
        },
    )


def _talk_filters(request, camp) -> TalkFilter:
    talks = visible_talks(request.user, camp)
    talks = talks.select_related("trainee__person", "group", "counselor")
    return TalkFilter(request.GET, talks, camp=camp, request=request)


@role_required(Role.STAFF, Role.COUNSELOR)
def talk_detail(request, pk):
    talk = get_talk_for(request.user, pk)
    return render(request, "curriculum/talk_detail.html", {"camp": talk.group.camp, "talk": talk})


@role_required(*Role.values)
def research(request, code):
    camp = get_camp_for(request.user, code)
    can_edit = can_edit_curriculum(request.user)
    form = ResearchTopicForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        get_camp_for(request.user, code, edit=True)
        if form.is_valid():
            try:
                topic = research_topic_create(camp=camp, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("curriculum-research-topic", topic.pk)
    topics = camp.research_topics.select_related("adviser").prefetch_related("milestones")
    return render(
        request, "curriculum/research.html", {"camp": camp, "topics": topics, "form": form}
    )


@role_required(*Role.values)
def research_topic(request, pk):
    topic = get_research_topic_for(request.user, pk)
    user = request.user
    can_edit = can_edit_curriculum(user)
    can_upload = can_upload_report(user, topic)
    context = {
        "camp": topic.camp,
        "topic": topic,
        "milestones": topic.milestones.all(),
        "show_members": can_see_topic_members(user, topic),
        "can_edit": can_edit,
        "can_upload": can_upload,
        "can_download": bool(topic.report) and can_download_report(user, topic),
    }
    if context["show_members"]:
        context["members"] = topic.members.select_related("trainee__person", "trainee__group")
    if can_edit:
        context["member_form"] = ResearchMemberForm(
            trainees=topic.camp.trainees.active().select_related("person").order_by("person__name")
        )
        context["milestone_form"] = MilestoneForm()
    if can_upload:
        context["upload_form"] = ReportUploadForm()
    return render(request, "curriculum/research_topic.html", context)


@require_POST
@role_required(Role.STAFF)
def research_member(request, pk):
    topic = get_research_topic_for(request.user, pk, edit=True)
    submit_and_tell(
        request,
        ResearchMemberForm(request.POST, trainees=topic.camp.trainees.active()),
        lambda data: research_member_add(
            topic=topic, trainee=data["trainee"], leader=data["leader"]
        ),
        done=_("已更新课题组成员。"),
        invalid=_("请选择学员。"),
    )
    return redirect("curriculum-research-topic", topic.pk)


@require_POST
@role_required(Role.STAFF)
def research_milestone(request, pk):
    topic = get_research_topic_for(request.user, pk, edit=True)
    if "done" in request.POST:
        done = MilestoneDoneForm(request.POST, milestones=topic.milestones.all())
        if done.is_valid():
            research_milestone_done(milestone=done.cleaned_data["done"])
            messages.success(request, _("已标记节点完成。"))
        else:
            messages.error(request, _("该节点不存在，请刷新页面后重试。"))
        return redirect("curriculum-research-topic", topic.pk)
    submit_and_tell(
        request,
        MilestoneForm(request.POST),
        lambda data: research_milestone_add(topic=topic, **data),
        done=_("已新增课题节点。"),
        invalid=_("请填写节点名称和计划完成日期。"),
    )
    return redirect("curriculum-research-topic", topic.pk)


@require_POST
@role_required(Role.STAFF, Role.TRAINEE)
def research_report(request, pk):
    topic = get_research_topic_for(request.user, pk, report=True)
    submit_and_tell(
        request,
        ReportUploadForm(request.POST, request.FILES),
        lambda data: research_report_upload(topic=topic, upload=data["report"], by=request.user),
        done=_("已上传调研报告。"),
        invalid=_("请选择要上传的报告文件。"),
    )
    return redirect("curriculum-research-topic", topic.pk)


@role_required(*Role.values)
def research_report_download(request, pk):
    """The report, streamed from storage after the permission check: never a public URL."""
    topic = get_research_topic_for(request.user, pk)
    if not topic.report or not can_download_report(request.user, topic):
        raise Http404
    ext = topic.report.name.rsplit(".", 1)[-1]
    return FileResponse(
        topic.report.open("rb"),
        as_attachment=True,
        filename=f"{topic.title}-调研报告.{ext}",
    )


urlpatterns = [
    path("camps/<str:code>/talks/", talks, name="curriculum-talks"),
    path("curriculum/talks/<int:pk>/", talk_detail, name="curriculum-talk"),
    path("camps/<str:code>/research/", research, name="curriculum-research"),
    path("curriculum/research/<int:pk>/", research_topic, name="curriculum-research-topic"),
    path(
        "curriculum/research/<int:pk>/members/",
        research_member,
        name="curriculum-research-member",
    ),
    path(
        "curriculum/research/<int:pk>/milestones/",
        research_milestone,
        name="curriculum-research-milestone",
    ),
    path(
        "curriculum/research/<int:pk>/report/", research_report, name="curriculum-research-report"
    ),
    path(
        "curriculum/research/<int:pk>/report/download/",
        research_report_download,
        name="curriculum-research-download",
    ),
]
