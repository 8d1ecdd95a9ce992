"""The training record (培训档案): everything about one trainee's year on one page, for those
who may see the trainee's scores."""

from django.shortcuts import render
from django.urls import path

from assessment.access import get_trainee_scores_for, may_see_rank
from camp.access import role_required
from camp.roles import Role

from ..training_record import training_record


@role_required(*Role.values)
def record(request, pk):
    trainee = get_trainee_scores_for(request.user, pk)
    context = training_record(request.user, trainee)
    context["show_rank"] = may_see_rank(request.user, trainee)
    return render(request, "oversight/training_record.html", context)


urlpatterns = [
    path("records/<int:pk>/", record, name="assessment-training-record"),
]
