"""The live roll call (点名): the projector page with its rotating code, the board staff watch,
and closing the roll call. Staff only."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from camp.access import role_required
from camp.roles import Role

from ..access import get_session_for
from ..check_in_codes import WINDOW_SECONDS, current_code
from ..roll_call_selectors import roll_call_board, roll_call_closed
from ..services.attendance import check_in_token, check_in_window
from ..services.roll_call import roll_call_close

# How often the board asks for its figures; each ask is one small query.
BOARD_POLL_SECONDS = 5


def _code_payload(request, session) -> dict:
    code, seconds_left = current_code(session.pk)
    url = (
        request.build_absolute_uri(reverse("curriculum-check-in", args=[check_in_token(session)]))
        + "?"
        + urlencode({"code": code})
    )
    qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2)
    return {"code": code, "seconds_left": seconds_left, "url": url, "qr": qr}


@role_required(Role.STAFF)
@never_cache
def session_qr(request, pk):
    """The page shown on the venue's projector: the current code in big digits and as a QR
    code leading to the check-in page, refreshed by static/js/check_in_code.js."""
    session = get_session_for(request.user, pk, edit=True)
    opens, closes = check_in_window(session)
    return render(
        request,
        "curriculum/session_qr.html",
        {
            "camp": session.camp,
            "session": session,
            "opens": opens,
            "closes": closes,
            "window_seconds": WINDOW_SECONDS,
            "closed": roll_call_closed(session),
            **_code_payload(request, session),
        },
    )


@role_required(Role.STAFF)
@never_cache
def session_code(request, pk):
    """The projector's current code (JSON), asked for each time the code is about to change."""
    session = get_session_for(request.user, pk, edit=True)
    return JsonResponse(_code_payload(request, session))


@role_required(Role.STAFF)
def session_board(request, pk):
    session = get_session_for(request.user, pk, edit=True)
    return render(
        request,
        "curriculum/roll_call_board.html",
        {
            "camp": session.camp,
            "session": session,
            "board": roll_call_board(session),
            "closed": roll_call_closed(session),
            "poll_seconds": BOARD_POLL_SECONDS,
        },
    )


@role_required(Role.STAFF)
@never_cache
def session_board_data(request, pk):
    """The board's figures, polled every few seconds: the session, then one query."""
    session = get_session_for(request.user, pk, edit=True)
    return JsonResponse(roll_call_board(session))


@require_POST
@role_required(Role.STAFF)
def session_roll_call_close(request, pk):
    session = get_session_for(request.user, pk, edit=True)
    try:
        roll_call_close(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已结束点名，本节课考勤已锁定。之后修改须填写原因。"))
    return redirect("curriculum-session-board", session.pk)


urlpatterns = [
    path("curriculum/sessions/<int:pk>/qr/", session_qr, name="curriculum-session-qr"),
    path("curriculum/sessions/<int:pk>/code/", session_code, name="curriculum-session-code"),
    path("curriculum/sessions/<int:pk>/board/", session_board, name="curriculum-session-board"),
    path(
        "curriculum/sessions/<int:pk>/board/data/",
        session_board_data,
        name="curriculum-session-board-data",
    ),
    path(
        "curriculum/sessions/<int:pk>/roll-call/close/",
        session_roll_call_close,
        name="curriculum-session-roll-call-close",
    ),
]
