"""Spreadsheet entry: the fast-entry grid as an .xlsx to download (assessment/grid_download.py),
fill in and upload.

The workbook carries what it saw: each row's 版本 is the version of the cell's entry when the
workbook was downloaded (0 for an empty cell). A workbook filled in the morning and uploaded in
the evening is refused, whole, if a cell changed on screen in between, naming who changed it.

The upload is as strict as the candidate import: it must be a real .xlsx under the size limit,
made for this very grid (its title row names the group, item and day), with the columns as
downloaded; a formula is read as the text typed, never evaluated, and so is refused as a
number. Every problem is reported by row at once, and the grid is saved all or nothing through
`grid_save`, with the same checks as the on-screen grid.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from camp.uploads import UNREADABLE, bounded_lines, upload_content, upload_workbook
from trainees.models import StudyGroup

from ..grid_download import COLUMNS, NOTE_COLUMN, grid_title
from ..grid_selectors import grid_day, grid_trainees
from ..models import AssessmentItem, Source
from .grid import GridError, GridResult, grid_save

MAX_ROWS = 500
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
FIRST_DATA_ROW = 3  # row 1 is the title, row 2 the header (camp.workbooks.SheetWriter)


class UploadRejected(Exception):
    """Nothing was saved; `errors` lists every problem, each naming its row when it has one."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def grid_upload(
    *, group: StudyGroup, item: AssessmentItem, day: datetime.date, file, by, reason: str
) -> GridResult:
    """Save an uploaded grid, all or nothing. Raises UploadRejected with row-level errors."""
    content = _read_limited(file)
    rows = _parse(content, expected_title=grid_title(group=group, item=item, day=day))
    members = set(grid_trainees(group=group, day=grid_day(item, day)).values_list("pk", flat=True))
    trainee_rows = {}
    errors = []
    values: dict[int, str] = {}
    versions: dict[int, int | None] = {}
    for number, trainee_id, points, version in rows:
        if trainee_id in trainee_rows:
            errors.append(
                _("第%(row)d行：学员编号 %(id)s 与第%(first)d行重复。")
                % {"row": number, "id": trainee_id, "first": trainee_rows[trainee_id]}
            )
            continue
        if trainee_id not in members:
            errors.append(
                _("第%(row)d行：学员编号 %(id)s 不是本组学员，请保留下载时的编号。")
                % {"row": number, "id": trainee_id}
            )
            continue
        trainee_rows[trainee_id] = number
        values[trainee_id] = points
        versions[trainee_id] = version
    if errors:
        raise UploadRejected(errors)
    try:
        return grid_save(
            group=group,
            item=item,
            day=day,
            values=values,
            versions=versions,
            by=by,
            reason=reason,
            source=Source.UPLOAD,
        )
    except GridError as error:
        messages = list(error.general)
        for trainee_id, problems in error.cells.items():
            messages.append(
                _("第%(row)d行：%(problems)s")
                % {"row": trainee_rows[trainee_id], "problems": "；".join(problems)}
            )
        raise UploadRejected(messages) from error
    except ValidationError as error:
        raise UploadRejected(error.messages) from error


def _reject(message: str) -> UploadRejected:
    return UploadRejected([message])


def _not_xlsx_message() -> str:
    return _("文件不是 Excel .xlsx 格式。请下载录入表，填好后按 .xlsx 格式保存再上传。")


def _not_xlsx() -> UploadRejected:
    return _reject(_not_xlsx_message())


def _read_limited(file) -> bytes:
    return upload_content(
        file,
        reject=_reject,
        too_big=_("文件超过%(mb)d MB，请确认上传的是下载的录入表。"),
        empty=_("文件是空的，请上传填好的录入表（.xlsx）。"),
    )


def _open(content: bytes):
    return upload_workbook(
        content,
        reject=_reject,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
        not_xlsx=_not_xlsx_message(),
        too_large=_("文件解压后过大，可能已损坏，请重新下载录入表填写。"),
    )


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", str(value))


def _typed(value) -> str:
    """A points cell as typed. Spaces around it go; spaces inside stay, for parse_points to
    refuse: stripping them all read "0 5" as 5."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _shown(value) -> str:
    """A cell quoted in a message: a 100,000-character cell would bury the message."""
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _parse(content: bytes, *, expected_title: str) -> list[tuple[int, int, str, int | None]]:
    """[(row number, trainee id, points as typed, version seen)] from the first sheet."""
    workbook = _open(content)
    try:
        if not workbook.worksheets:
            raise UploadRejected([_("文件中没有工作表，请重新下载录入表填写。")])
        sheet = workbook.worksheets[0]
        # The sheet's declared size is not trusted: "A1:XFD1048576" in a 5 KB file would make
        # openpyxl pad a billion cells. Data rows are read three columns wide, no wider.
        sheet.reset_dimensions()
        lines = sheet.iter_rows(max_row=FIRST_DATA_ROW - 1, values_only=True)
        title_row = next(lines, None) or ()
        title = _clean(title_row[0] if title_row else None)
        if title != _clean(expected_title):
            raise UploadRejected(
                [
                    _("第1行：这不是本页面的录入表（应为“%(want)s”）。请在本页面下载录入表后填写。")
                    % {"want": expected_title}
                ]
            )
        header = [_clean(value) for value in (next(lines, None) or ())]
        while header and header[-1] == "":
            header.pop()
        if tuple(header) == COLUMNS[:3]:
            raise UploadRejected(
                [_("第2行：这是旧版录入表（没有“版本”列），请在本页面重新下载录入表后填写。")]
            )
        if tuple(header[: len(COLUMNS)]) != COLUMNS or header[len(COLUMNS) :] not in (
            [],
            [NOTE_COLUMN],
        ):
            raise UploadRejected(
                [
                    _("第2行：列名应为“%(want)s”，请不要增删或移动列。")
                    % {"want": "、".join(COLUMNS)}
                ]
            )
        rows, errors = [], []
        # Bounded by the rows read, blank ones included: blank rows cost as much to parse.
        lines = bounded_lines(
            sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(COLUMNS), values_only=True),
            limit=MAX_ROWS * 2,
            reject=_reject,
            too_many=_("文件行数过多（含空行），一张录入表最多读取 %(n)d 行，请删除多余的空行。")
            % {"n": MAX_ROWS * 2},
        )
        for number, values in enumerate(lines, start=FIRST_DATA_ROW):
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            if not any(value not in (None, "") for value in values[: len(COLUMNS)]):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise UploadRejected([_("行数过多：一张录入表最多 %(n)d 行。") % {"n": MAX_ROWS}])
            raw_id, points = values[0], values[2]
            # ASCII digits only: int() would also read "1 2" (after _clean), "1_2" or "١٢" as
            # 12, putting the points on another trainee.
            if not re.fullmatch(r"[0-9]{1,12}", _typed(raw_id)):
                errors.append(
                    _("第%(row)d行：学员编号“%(v)s”无效，请保留下载时的编号。")
                    % {"row": number, "v": _shown(raw_id)}
                )
                continue
            trainee_id = int(_typed(raw_id))
            if isinstance(points, str) and points.strip().startswith("="):
                errors.append(
                    _("第%(row)d行：分值是公式（%(v)s），请直接填写数字。")
                    % {"row": number, "v": _shown(points.strip())}
                )
                continue
            version = _typed(values[3])
            if not re.fullmatch(r"[0-9]{1,9}", version):
                errors.append(
                    _("第%(row)d行：“版本”列被修改或清空（%(v)s），请重新下载录入表后填写。")
                    % {"row": number, "v": _shown(values[3])}
                )
                continue
            rows.append((number, trainee_id, _typed(points), int(version)))
    except UNREADABLE as error:
        raise _not_xlsx() from error
    finally:
        workbook.close()
    if errors:
        raise UploadRejected(errors)
    return rows
