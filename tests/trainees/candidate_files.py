"""Candidate workbooks built in code for the import tests (no binary fixtures in the repo)."""

import datetime
import io

from openpyxl import Workbook

from trainees.candidate_file import COLUMNS

W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: datetime.date, serial: int = 1, *, male: bool = True) -> str:
    """A valid GB 11643 number for a Huzhou birth on `birth`."""
    sequence = serial * 2 + (1 if male else 0)  # odd 3rd digit for men
    first_17 = f"330502{birth:%Y%m%d}{sequence:03d}"[:17]
    return first_17 + "10X98765432"[sum(int(d) * w for d, w in zip(first_17, W, strict=True)) % 11]


def row(**overrides) -> dict:
    birth = overrides.get("出生日期", datetime.date(1990, 5, 1))
    values = {
        "姓名": "陈一",
        "性别": "男",
        "出生日期": birth,
        "身份证号": None,
        "工作单位": "湖州市吴兴区人民政府",
        "现任职务": "科长",
        "职级": "正科级",
        "干部类别": "其他",
        "录用年份": None,
        "乡镇(街道)党政正职经历": "否",
        "工作经历领域": "农业农村",
        "专业特长": "乡村规划",
        "联系电话": "13800000000",
    }
    values.update(overrides)
    return values


def workbook_bytes(rows: list[dict], header=COLUMNS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(column) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
