"""The after-camp workbook (训后跟踪导入): its columns, the downloadable template, and checking
every row's cells before anything is looked up or written (services/after_camp_import.py
matches the rows to graduates and records).

The file is read as the candidate list is (trainees.candidate_file.read_table over
camp.uploads: size and zip-bomb limits, formulas kept as the text typed), and a refused file
answers with every problem at once, row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook

from trainees.candidate_file import (
    ImportRejected,
    RowError,
    append_row,
    cell_text,
    parse_date,
    parse_rank,
    read_table,
    template_workbook,
)
from trainees.selectors import rank_lookup
from trainees.validators import normalize_id_number, normalize_number_text

from .models import AppraisalGrade

COLUMNS = (
    "届次",
    "姓名",
    "身份证号",
    "类型",
    "日期",
    "年度",
    "新任职务",
    "职级",
    "是否提拔",
    "考核等次",
    "奖励名称",
    "授予机关",
    "备注",
)
KINDS = {"任职变动": "post", "年度考核": "appraisal", "奖励表彰": "award", "备注": "note"}
GRADES = {str(label): value for value, label in AppraisalGrade.choices}
YES_NO = {"是": True, "否": False}
LENGTHS = {"新任职务": 100, "奖励名称": 200, "授予机关": 100, "备注": 2000, "姓名": 50}
MAX_CELL_CHARS = 200


@dataclass(frozen=True)
class AfterCampRow:
    """One checked row: whose record (edition, name, ID number if given), what kind, and the
    record's fields as the model names them."""

    number: int
    camp_code: str
    name: str
    id_number: str | None
    kind: str
    fields: dict


def read_after_camp_rows(content: bytes) -> tuple[list[AfterCampRow], list[RowError]]:
    """The rows of the workbook whose cells are right, and the problems of the others (the
    import adds what it finds in the good rows, and refuses the file with all of them). Raises
    ImportRejected for a file it cannot read as a table."""
    raw_rows = read_table(
        content,
        columns=COLUMNS,
        no_rows=_("文件中没有训后跟踪数据：第2行起每行填写一条记录。"),
    )
    errors: list[RowError] = []
    rows: list[AfterCampRow] = []
    lookup = rank_lookup()
    for number, cells in raw_rows:
        row_errors: list[RowError] = []

        def problem(column: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        texts = {column: cell_text(value) for column, value in cells.items()}
        for column, text in texts.items():
            limit = LENGTHS.get(column, MAX_CELL_CHARS)
            if len(text) > limit:
                problem(column, _("内容过长（最多%(n)d字）。") % {"n": limit})
        for column in ("届次", "姓名"):
            if not texts[column]:
                problem(column, _("必填，请填写。"))
        kind = KINDS.get(texts["类型"])
        fields: dict = {}
        if kind is None:
            problem("类型", _("请填写“任职变动”“年度考核”“奖励表彰”或“备注”。"))
        elif kind == "appraisal":
            fields = _appraisal(texts, problem)
        else:
            fields = {"date": parse_date(cells["日期"], problem, "日期")}
            fields.update(_KIND_FIELDS[kind](texts, problem, lookup))
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            AfterCampRow(
                number=number,
                camp_code=texts["届次"],
                name=texts["姓名"],
                id_number=normalize_id_number(normalize_number_text(texts["身份证号"])) or None,
                kind=kind,
                fields=fields,
            )
        )
    return rows, errors


def _required(texts: dict, problem, column: str) -> str:
    if not texts[column]:
        problem(column, _("必填，请填写。"))
    return texts[column]


def _post(texts: dict, problem, lookup) -> dict:
    rank = parse_rank(texts["职级"], problem, lookup)
    promotion = YES_NO.get(texts["是否提拔"])
    if promotion is None:
        problem("是否提拔", _("请填写“是”或“否”。"))
    return {
        "post": _required(texts, problem, "新任职务"),
        "rank": rank,
        "promotion": promotion,
    }


def _appraisal(texts: dict, problem) -> dict:
    year = normalize_number_text(texts["年度"])
    if not re.fullmatch(r"[0-9]{4}", year):
        problem("年度", _("请填写四位年份，如 2025。"))
    grade = GRADES.get(texts["考核等次"])
    if grade is None:
        problem("考核等次", _("请填写“优秀”“称职”“基本称职”或“不称职”。"))
    return {"year": int(year) if re.fullmatch(r"[0-9]{4}", year) else None, "grade": grade}


def _award(texts: dict, problem, lookup) -> dict:
    return {
        "name": _required(texts, problem, "奖励名称"),
        "body": _required(texts, problem, "授予机关"),
    }


def _note(texts: dict, problem, lookup) -> dict:
    return {"text": _required(texts, problem, "备注")}


_KIND_FIELDS = {"post": _post, "award": _award, "note": _note}

EXAMPLES = (
    ("2024", "王小明", "", "任职变动", "2025-06-18", "", "某某镇党委副书记", "副处级", "是"),
    ("2024", "王小明", "", "年度考核", "", "2025", "", "", "", "优秀"),
    ("2024", "王小明", "", "奖励表彰", "2025-09-30", "", "", "", "", "", "全市优秀共产党员"),
)


def after_camp_template_workbook() -> tuple[Workbook, str]:
    """The import template: the header row and a sheet that explains each column and kind. The
    ID-number and date columns are text so Excel keeps every digit and a date typed as text."""
    workbook, notes = template_workbook(
        title="训后跟踪",
        columns=COLUMNS,
        text_columns=("C", "E"),
        wide_columns=("C", "E"),
        column_notes=(
            ("届次", "必填，届次代码，如 2024"),
            ("姓名", "必填，该届结业学员的姓名"),
            ("身份证号", "可空；同届有同名学员时必填"),
            ("类型", "任职变动 / 年度考核 / 奖励表彰 / 备注"),
            ("日期", "任职变动、奖励表彰、备注必填：YYYY-MM-DD，不早于结业日期、不晚于今天"),
            ("年度", "年度考核必填：四位年份，不早于结业年度"),
            ("新任职务", "任职变动必填"),
            (
                "职级",
                "任职变动必填：正厅级/副厅级/正处级/副处级/正科级/副科级/科员，或职级对照中的名称",
            ),
            ("是否提拔", "任职变动必填：是 / 否"),
            ("考核等次", "年度考核必填：优秀 / 称职 / 基本称职 / 不称职"),
            ("奖励名称", "奖励表彰必填"),
            ("授予机关", "奖励表彰必填"),
            ("备注", "类型为“备注”时必填"),
        ),
    )
    append_row(notes, [])
    append_row(
        notes,
        [
            "说明",
            "第1行列名请勿修改，第2行起每行一条记录。任一行有误则整个文件不导入；"
            "会修改已有记录的行先列出变更，确认后才写入。",
        ],
    )
    for example in EXAMPLES:
        append_row(notes, ["示例", "　".join(value for value in example if value)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    return workbook, "训后跟踪导入模板.xlsx"


__all__ = ["COLUMNS", "AfterCampRow", "ImportRejected", "RowError", "read_after_camp_rows"]
