"""The candidate list's file: its columns, the downloadable template, and reading and checking
every row of an uploaded .xlsx before anything is written (see candidate_import for the write).
Its table reading (`read_table`, `RowError`, `ImportRejected`, `cell_text`, `parse_date`) is
shared with the after-camp import (oversight/after_camp_file.py).

A refused file answers with every problem at once: the row as the spreadsheet shows it, the
column and the reason, so the organization department fixes it in one pass.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook

from camp.uploads import UNREADABLE, bounded_lines, upload_content, upload_workbook
from camp.workbooks import safe_cell

from .models import CadreType, Gender
from .selectors import rank_lookup
from .validators import (
    id_number_problem,
    normalize_id_number,
    normalize_number_text,
    recruitment_year_problem,
)

COLUMNS = (
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "工作单位",
    "现任职务",
    "职级",
    "干部类别",
    "录用年份",
    "乡镇(街道)党政正职经历",
    "工作经历领域",
    "专业特长",
    "联系电话",
)
# The Person field each column fills (birth date, gender, rank... are parsed first).
MAX_ROWS = 5000
# Blank lines between rows are allowed, up to as many as the rows themselves.
BLANK_LINES_PER_ROW = 1
MAX_CELL_CHARS = 500
# A zip bomb is small on the wire and huge unpacked: refuse before openpyxl unpacks it.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
NUMBER_COLUMNS = ("身份证号", "联系电话", "录用年份")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")
GENDERS = {str(label): value for value, label in Gender.choices}
CADRE_TYPES = {str(label): value for value, label in CadreType.choices}
YES_NO = {"是": True, "否": False}
FIELD_LENGTHS = {"姓名": 50, "工作单位": 100, "现任职务": 100, "工作经历领域": 200, "专业特长": 200}


@dataclass(frozen=True)
class RowError:
    """One problem: `row` as the spreadsheet numbers it (header = 1), None for the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("第%(row)d行 %(column)s：%(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ParsedRow:
    number: int
    data: dict  # Person field -> value


def read_rows(file) -> list[ParsedRow]:
    """Every row of the file (a path or a binary file object), checked. Raises ImportRejected
    with every problem found."""
    return parse_content(read_content(file))


def read_content(file) -> bytes:
    """The file's bytes, within the upload limit (the import keeps their hash)."""
    return _read_limited(file)


def parse_content(content: bytes) -> list[ParsedRow]:
    return _parse_rows(content)


def _reject(message: str) -> ImportRejected:
    return ImportRejected([RowError(None, "", message)])


def _not_xlsx_message() -> str:
    return _("文件不是 Excel .xlsx 格式。请在 Excel 中“另存为”.xlsx 后再导入，或下载模板填写。")


def _not_xlsx() -> ImportRejected:
    return _reject(_not_xlsx_message())


def _read_limited(file) -> bytes:
    return upload_content(
        file,
        reject=_reject,
        too_big=_("文件超过%(mb)d MB，请拆分后分批导入。"),
        empty=_("文件是空的，请选择填好的候选人名单（.xlsx）。"),
    )


def _open_workbook(content: bytes):
    return upload_workbook(
        content,
        reject=_reject,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
        not_xlsx=_not_xlsx_message(),
        too_large=_("文件解压后过大，可能已损坏，请检查后重新导出。"),
    )


def _normalize_header(value) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def _parse_rows(content: bytes) -> list[ParsedRow]:
    raw_rows = read_table(
        content,
        columns=COLUMNS,
        no_rows=_("文件中没有候选人数据：第2行起每行填写一人。"),
    )
    return _check_rows(raw_rows)


def read_table(
    content: bytes, *, columns: tuple[str, ...], no_rows: str, max_rows: int | None = None
) -> list[tuple[int, dict]]:
    """The first sheet of an import workbook as [(row number, {column: cell})]: its first row
    names exactly `columns` (in any order), blank lines are skipped, and the limits above hold.
    Every importer of a one-sheet table (the candidate list, the after-camp record) reads here
    and checks its own cells. Raises ImportRejected; `no_rows` when the sheet holds no data."""
    max_rows = max_rows or MAX_ROWS  # read when called: tests lower the module's limit
    workbook = _open_workbook(content)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _reject(_("文件中没有工作表，请下载模板填写。"))
        # The sheet's declared size is not trusted: "A1:XFD1048576" in a 5 KB file would make
        # openpyxl pad a billion cells. Rows are read as wide as the header, no wider.
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None or not any(cell not in (None, "") for cell in header):
            raise _reject(_("文件是空的：第1行应为列名，请下载模板填写。"))
        positions = _check_header(header, columns)
        lines = bounded_lines(
            sheet.iter_rows(min_row=2, max_col=len(header), values_only=True),
            limit=max_rows * (1 + BLANK_LINES_PER_ROW),
            reject=_reject,
            too_many=_("文件行数过多（含空行），一次最多读取%(n)d行。请删除多余的空行或拆分文件。")
            % {"n": max_rows * (1 + BLANK_LINES_PER_ROW)},
        )
        raw_rows = []
        for number, values in enumerate(lines, start=2):
            if not any(value not in (None, "") for value in values):
                continue  # blank lines between rows are harmless
            if len(raw_rows) >= max_rows:
                raise _reject(_("一次最多导入%(n)d行，请拆分文件后分批导入。") % {"n": max_rows})
            cells = {
                column: values[index] if index < len(values) else None
                for column, index in positions.items()
            }
            raw_rows.append((number, cells))
    except UNREADABLE as error:
        raise _not_xlsx() from error
    finally:
        workbook.close()
    if not raw_rows:
        raise _reject(no_rows)
    return raw_rows


def _check_header(header, columns: tuple[str, ...]) -> dict[str, int]:
    names = [_normalize_header(value) for value in header]
    positions = {name: index for index, name in enumerate(names) if name}
    missing = [column for column in columns if column not in positions]
    unknown = [name for name in names if name and name not in columns]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("无法识别的列：%(cols)s") % {"cols": "、".join(unknown)})
        message = "；".join(parts) + _("。第1行的列名须与模板一致，请下载模板对照修改。")
        raise ImportRejected([RowError(1, "", message)])
    return positions


def cell_text(value) -> str:
    """A cell as text. A formula (a string starting with "=") is kept as typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _check_rows(raw_rows) -> list[ParsedRow]:
    errors: list[RowError] = []
    lookup = rank_lookup()
    rows: list[ParsedRow] = []
    seen_ids: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []

        def problem(column: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        texts = {column: cell_text(value) for column, value in cells.items()}
        # Numbers typed with full-width digits are the same numbers (and the same person).
        for column in NUMBER_COLUMNS:
            texts[column] = normalize_number_text(texts[column])
        for column, text in texts.items():
            limit = FIELD_LENGTHS.get(column, MAX_CELL_CHARS)
            if len(text) > limit:
                problem(column, _("内容过长（最多%(n)d字）。") % {"n": limit})
        for column in ("姓名", "工作单位"):
            if not texts[column]:
                problem(column, _("必填，请填写。"))
        gender = GENDERS.get(texts["性别"])
        if gender is None:
            problem("性别", _("请填写“男”或“女”。"))
        birth_date = parse_date(cells["出生日期"], problem)
        rank = parse_rank(texts["职级"], problem, lookup)
        cadre_type = CADRE_TYPES.get(texts["干部类别"])
        if cadre_type is None:
            problem("干部类别", _("请填写“选调生”“选聘生”或“其他”。"))
        recruitment_year = _year(texts["录用年份"], problem)
        if (
            cadre_type in (CadreType.SELECTED_GRADUATE, CadreType.RECRUITED_GRADUATE)
            and recruitment_year is None
            and not texts["录用年份"]
        ):
            problem("录用年份", _("选调生、选聘生须填写录用年份（如 2024）。"))
        township = YES_NO.get(texts["乡镇(街道)党政正职经历"])
        if township is None:
            problem("乡镇(街道)党政正职经历", _("请填写“是”或“否”。"))
        id_number = normalize_id_number(texts["身份证号"]) or None
        if id_number is not None:
            if isinstance(cells["身份证号"], int | float):
                problem(
                    "身份证号",
                    _("身份证号被 Excel 存成了数字，末几位可能已丢失。请将该列设为文本后重填。"),
                )
            else:
                message = id_number_problem(id_number, birth_date=birth_date, gender=gender)
                if message:
                    problem("身份证号", message)
            if id_number in seen_ids:
                problem(
                    "身份证号",
                    _("与第%(row)d行的身份证号重复，同一人只能出现一次。")
                    % {"row": seen_ids[id_number]},
                )
            else:
                seen_ids[id_number] = number
        phone = texts["联系电话"]
        if phone and not PHONE_RE.match(phone):
            problem("联系电话", _("电话号码格式不正确，只能包含数字和“-”。"))
        person_key = (texts["姓名"], birth_date, texts["工作单位"])
        if id_number is None and birth_date is not None:
            if person_key in seen_people:
                problem(
                    "姓名",
                    _("与第%(row)d行的姓名、出生日期、工作单位相同，同一人只能出现一次。")
                    % {"row": seen_people[person_key]},
                )
            else:
                seen_people[person_key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            ParsedRow(
                number,
                {
                    "name": texts["姓名"],
                    "gender": gender,
                    "birth_date": birth_date,
                    "id_number": id_number,
                    "unit": texts["工作单位"],
                    "position": texts["现任职务"],
                    "rank": rank,
                    "rank_title": texts["职级"],
                    "cadre_type": cadre_type,
                    "recruitment_year": recruitment_year,
                    "township_chief_experience": township,
                    "work_field": texts["工作经历领域"],
                    "specialty": texts["专业特长"],
                    "phone": phone,
                },
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows


def parse_rank(title: str, problem, lookup) -> str | None:
    """The rank a 职级 cell names (through the rank aliases in `lookup`), or None with the
    cell's problem reported."""
    if not title:
        problem("职级", _("必填，请填写职务层次（如正科级、副科级）。"))
        return None
    rank = lookup.get(title)
    if rank is None:
        problem(
            "职级",
            _(
                "无法识别“%(title)s”。请填写正厅级/副厅级/正处级/副处级/正科级/副科级/科员，"
                "或请管理员在“职级对照”中添加该名称。"
            )
            % {"title": title},
        )
    return rank


def parse_date(value, problem, column: str = "出生日期") -> datetime.date | None:
    """A date cell: an Excel date, or text YYYY-MM-DD (full-width digits too); `problem(column,
    message)` hears what is wrong, and None comes back."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = normalize_number_text(cell_text(value))
    if not text:
        problem(column, _("必填，请填写日期，如 1990-05-01。"))
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        problem(
            column,
            _("“%(text)s”不是有效日期，请写成 YYYY-MM-DD，如 1990-05-01。") % {"text": text},
        )
        return None


def _year(text: str, problem) -> int | None:
    if not text:
        return None
    message = recruitment_year_problem(int(text) if re.fullmatch(r"[0-9]{4}", text) else text)
    if message:
        problem("录用年份", message)
        return None
    return int(text)


EXAMPLE_ROW = (
    "王小明",
    "男",
    "1990-03-07",
    "330502199003070010",
    "湖州市吴兴区某某街道",
    "党工委副书记",
    "正科级",
    "其他",
    "",
    "否",
    "基层治理",
    "社区治理",
    "13800000000",
)


def append_row(sheet, values) -> None:
    # Even fixed text takes the one safe path every workbook cell takes (camp.workbooks).
    sheet.append([safe_cell(value) for value in values])


def template_workbook(
    *, title: str, columns, text_columns, wide_columns, column_notes
) -> tuple[Workbook, object]:
    """An import template: the header row on the first sheet (frozen), `text_columns` formatted
    as text for 500 rows so Excel keeps every digit of an ID number or a phone, and a 填写说明
    sheet with a line per column. Returns the workbook and that sheet, for the caller's own
    closing lines."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    append_row(sheet, columns)
    for column in wide_columns:
        sheet.column_dimensions[column].width = 20
    for column in text_columns:
        for row in range(2, 502):
            sheet[f"{column}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    append_row(notes, ["列名", "填写要求"])
    for column, note in column_notes:
        append_row(notes, [column, note])
    return workbook, notes


def candidate_template_workbook() -> tuple[Workbook, str]:
    """The import template: the header row, an example row to overwrite, and a sheet that
    explains each column. The ID-number and phone columns are text so Excel keeps every digit."""
    workbook, notes = template_workbook(
        title="候选人名单",
        columns=COLUMNS,
        text_columns=("D", "M"),
        wide_columns=("C", "D", "M"),
        column_notes=(
            ("姓名", "必填"),
            ("性别", "男 / 女"),
            ("出生日期", "Excel 日期，或文本 YYYY-MM-DD，如 1990-05-01"),
            ("身份证号", "可空；填写时须为18位有效号码，并与出生日期、性别一致（请设为文本格式）"),
            ("工作单位", "必填"),
            ("现任职务", "可空"),
            ("职级", "正厅级/副厅级/正处级/副处级/正科级/副科级/科员，或“职级对照”中的名称"),
            ("干部类别", "选调生 / 选聘生 / 其他"),
            ("录用年份", "选调生、选聘生必填，四位年份；其他可空"),
            ("乡镇(街道)党政正职经历", "是 / 否"),
            ("工作经历领域", "可空，用于分组，如 农业农村、城市建设"),
            ("专业特长", "可空"),
            ("联系电话", "可空"),
        ),
    )
    append_row(notes, [])
    append_row(notes, ["说明", "第1行列名请勿修改，第2行起每行一人。任一行有误则整个文件不导入。"])
    append_row(notes, [])
    append_row(notes, ["示例", "　".join(EXAMPLE_ROW)])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 80
    return workbook, "候选人导入模板.xlsx"
