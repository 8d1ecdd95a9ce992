"""Excel workbooks for the organization department.

Every kind of workbook is a function registered here by the app that owns its data. They all
write through `SheetWriter`, which makes them safe and printable by construction:
- free text that would start a formula is written as text (formula injection);
- a title row names the camp and the period, the Chinese header row is frozen and repeated on
  every printed page, and the page is A4 landscape;
- openpyxl's write-only mode streams rows, so a large workbook never sits in memory whole;
- numbers show one decimal (20.0) and dates show as dates, at about the cost of plain values
  (see `SheetWriter._values_to_row`).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .access import can_see_personal_data

# What a registered kind writes, by its `media`: a workbook, or a Word document (camp.documents).
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Characters that make a spreadsheet program read a cell as a formula or command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class NoDataError(Exception):
    """The requested period or object has nothing to export; the message says what."""


def safe_text(value: str) -> str:
    """User-entered text, defused: a leading formula character gets a quote in front, which
    spreadsheet programs show as plain text and never evaluate."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# What a sheet's name may not hold (Excel refuses the file otherwise), and its longest length.
SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
SHEET_TITLE_LENGTH = 31


def safe_cell(value: object) -> object:
    """The one path every cell's value takes, whatever row it is in (title, header, data):
    numbers, dates and empty stay as they are; everything else is written as defused text.
    A header comes from a name someone typed (an assessment item's) as often as data does."""
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return value
    return safe_text(str(value))


def safe_sheet_title(value: object) -> str:
    """A sheet's name: no character Excel forbids, no quote at either end (Excel refuses it),
    no leading formula character, and at most 31 characters."""
    leading = "".join(FORMULA_TRIGGERS) + "' "
    title = str(value).translate(SHEET_TITLE_FORBIDDEN).lstrip(leading)
    title = title[:SHEET_TITLE_LENGTH].rstrip("' ")
    return title or "Sheet"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


@dataclass
class Column:
    header: str
    width: int = 12
    number_format: str | None = None


TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


# The period of the workbook being built (set by build_export), so that every title row names
# the camp and the period without each kind having to remember it.
current_period: ContextVar[str] = ContextVar("workbook_period", default="")


def period_label(request: ExportRequest) -> str:
    """A month ("2026年3月"), or else the camp's year so far ("2026年1月—2026年11月27日")."""
    if request.month is not None:
        return f"{request.month.year}年{request.month.month}月"
    camp = request.camp
    if camp is None:
        return _("历届")
    start = camp.start_date
    end = min(timezone.localdate(), camp.end_date)
    return f"{start.year}年{start.month}月—{end.year}年{end.month}月{end.day}日"


class _FormattedCell(Cell):
    """One of SheetWriter's formatted cells. Its format is set once, when it is made, and never
    changes (see `_date_format`), so its style's id in the workbook is looked up then: openpyxl's
    own `style_id` looks it up again, hashing the style, for every cell it writes."""

    __slots__ = ("style_id",)


def _date_format(column: Column, default: str) -> str:
    """The column's number format for a date if it is a date format, else the default. A date
    must show as a date; and given a date in a cell without a date format, openpyxl would put
    its own format on the cell, which SheetWriter reuses for the column's later values."""
    if column.number_format and is_date_format(column.number_format):
        return column.number_format
    return default


class SheetWriter:
    """One worksheet in write-only mode: title row, frozen header, print set-up, safe cells."""

    def __init__(self, workbook: Workbook, title: str, sheet_title: str, columns: Sequence[Column]):
        if not workbook.write_only:
            # A normal sheet keeps the cell objects it is given: the reused cells below would
            # leave every row holding the last row's values.
            raise ValueError("SheetWriter writes to a write-only workbook (new_workbook())")
        period = current_period.get()
        if period and period not in title:
            title = f"{title}（{period}）"
        self.ws = workbook.create_sheet(title=safe_sheet_title(sheet_title))
        self.columns = list(columns)
        self.rows_written = 0
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.ws.freeze_panes = "A3"
        self.ws.print_title_rows = "2:2"
        self.ws.page_setup.orientation = "landscape"
        # A write-only sheet lacks the PAPERSIZE_* constants of a normal Worksheet.
        self.ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        # One cell per column and number format, styled once and refilled on every row, and one
        # plain cell for everything else: see _values_to_row.
        self._formatted: list[dict[str, Cell]] = [{} for _column in self.columns]
        self._plain = WriteOnlyCell(self.ws)
        self.ws._values_to_row = self._values_to_row
        title_cell = WriteOnlyCell(self.ws, value=safe_cell(title))
        title_cell.font = TITLE_FONT
        self.ws.append([title_cell])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.ws, value=safe_cell(column.header))
            cell.font = HEADER_FONT
            header.append(cell)
        self.ws.append(header)

    def append(self, values: Sequence[object]) -> None:
        row = []
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            row.append(self._cell(index, column, value))
        self.ws.append(row)
        self.rows_written += 1

    def extend(self, rows: Iterable[Sequence[object]]) -> None:
        for values in rows:
            self.append(values)

    def _cell(self, index: int, column: Column, value: object):
        """What the row carries for one value: None, defused text, a plain value, or this
        column's cell for the value's number format, holding the value."""
        if value is None:
            return None
        if isinstance(value, decimal.Decimal):  # most cells of most workbooks
            number_format = column.number_format or "0.0"
        elif isinstance(value, str):
            return safe_text(value)
        elif isinstance(value, datetime.datetime):
            # Excel has no time zones: show the camp's local time.
            value = (
                timezone.localtime(value).replace(tzinfo=None)
                if timezone.is_aware(value)
                else value
            )
            number_format = _date_format(column, "yyyy-mm-dd hh:mm")
        elif isinstance(value, datetime.date):
            number_format = _date_format(column, "yyyy-mm-dd")
        elif column.number_format and isinstance(value, int | float):
            number_format = column.number_format
        else:
            return safe_cell(value)
        formatted = self._formatted[index]
        cell = formatted.get(number_format)
        if cell is None:
            cell = formatted[number_format] = _FormattedCell(self.ws, row=1, column=1)
            cell.number_format = number_format
            cell.style_id = Cell.style_id.fget(cell)
        cell.value = value
        return cell

    def _values_to_row(self, values, row_idx):
        """The cells of one appended row, in place of openpyxl's own
        `WriteOnlyWorksheet._values_to_row` (openpyxl 3.1) for this sheet.

        openpyxl's version takes a costly path for every cell object it is given (its value
        setter raises and catches a ValueError, then a new cell is made for the next value),
        so a styled number cost about as much as the rest of the row. Here a cell object
        (this writer's formatted cells, the title and header cells) is written as it is, and
        every other value goes through one plain cell: with the number formats kept, a row
        costs about what plain values cost. Reusing cells is safe because `ws.append` writes
        the whole row out before it returns. If openpyxl stops calling this method, its own
        path still writes the same cells, only slower (tests/camp/test_workbooks.py)."""
        plain = self._plain
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = plain
                cell.value = value
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell
            if cell is plain and plain._style is not None:
                # openpyxl formatted a value itself (a time of day, a duration): the next value
                # gets a fresh plain cell, as on openpyxl's own path.
                plain = self._plain = WriteOnlyCell(self.ws)


def labels_by_pk(objects: Iterable) -> dict[object, str]:
    """Each object's label (`str()`) by primary key, made once per workbook and looked up per
    row by the foreign key's id. Meant for study groups: `StudyGroup.__str__` formats a lazy
    translation with the theme's display name, which per row cost more than writing the row."""
    return {obj.pk: str(obj) for obj in objects}


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


@dataclass
class ExportRequest:
    """What was asked for: the camp (None for a kind that spans editions), and the options the
    kind understands."""

    camp: object | None
    user: object | None = None  # None for the command line, which runs as the operator
    month: datetime.date | None = None
    trainee: object | None = None
    round_id: int | None = None
    unmasked: bool = False
    group: object | None = None
    # Told (done, total) as a kind builds one part after another (a document's trainees), so
    # that a background job shows its progress; None where nobody watches.
    progress: Callable[[int, int], None] | None = None

    def report_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass
class ExportKind:
    name: str
    label: str
    # Returns what it built (anything with `.save(file)`: a Workbook or a docx Document) and
    # the file name to offer.
    build: Callable[[ExportRequest], tuple[object, str]]
    allows: Callable[[object], bool]  # an access helper: may this user have the workbook?
    needs_month: bool = False
    needs: frozenset[str] = field(default_factory=frozenset)
    media: str = "xlsx"  # a key of CONTENT_TYPES
    needs_camp: bool = True  # False: the kind spans every edition (export_report without --camp)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.media]


registry: dict[str, ExportKind] = {}
# Kinds that are not one registered workbook (a zip of many), named by the app that builds them,
# so that a background job's record can say what it was.
other_kind_labels: dict[str, str] = {}


def kind_label(name: str) -> str:
    """What a kind of export is called: a registered kind's label, or another named kind's."""
    if name in registry:
        return str(registry[name].label)
    return str(other_kind_labels.get(name, name))


def register(
    name: str,
    *,
    label: str,
    allowed: Callable[[object], bool],
    needs_month: bool = False,
    needs: Iterable[str] = (),
    media: str = "xlsx",
    needs_camp: bool = True,
):
    """`allowed(user)` is the access helper that says who may have the workbook; `needs` names
    what the kind cannot do without besides the camp ("trainee", "round"), so that pages offer
    it only where that is chosen. `media="docx"` registers a Word document kind; a kind with
    `needs_camp=False` spans the editions and is asked for without a camp."""
    if media not in CONTENT_TYPES:
        raise ValueError(f"unknown media {media!r}")

    def decorator(build):
        registry[name] = ExportKind(
            name=name,
            label=label,
            build=build,
            allows=allowed,
            needs_month=needs_month,
            needs=frozenset(needs),
            media=media,
            needs_camp=needs_camp,
        )
        return build

    return decorator


def may_export(user, export_kind: ExportKind) -> bool:
    """The kind's access helper lets this user have it (superusers get everything)."""
    return user.is_superuser or export_kind.allows(user)


def may_export_anything(user) -> bool:
    """Some registered kind serves this user (the export pages are theirs)."""
    return any(may_export(user, kind) for kind in registry.values())


def camp_page_exports(user) -> list[ExportKind]:
    """The kinds a camp page offers this user: those needing nothing chosen beyond the camp."""
    return [
        kind
        for kind in registry.values()
        if may_export(user, kind)
        and kind.needs_camp
        and kind.media == "xlsx"
        and not kind.needs_month
        and not kind.needs
    ]


def export_filename(
    camp, what: str, *, made: datetime.date | None = None, media: str = "xlsx"
) -> str:
    """Say what it is and when it was made, e.g. `2026届_2026年3月小结_20260402.xlsx`
    (`历届对比_20260402.xlsx` for a kind without a camp)."""
    made = made or timezone.localdate()
    prefix = f"{camp.code}届_" if camp is not None else ""
    return f"{prefix}{what}_{made:%Y%m%d}.{media}"


def build_export(kind: str, request: ExportRequest) -> tuple[object, str]:
    """Build one workbook, checking the requester's role first.

    Raises KeyError for an unknown kind, PermissionDenied for a role the kind does not serve,
    and NoDataError when there is nothing to export."""
    export_kind = registry[kind]
    if export_kind.needs_camp and request.camp is None:
        raise ValueError(f"the kind {kind!r} needs a camp")
    user = request.user
    if user is not None and not may_export(user, export_kind):
        raise PermissionDenied(_("您没有导出该报表的权限。"))
    if request.unmasked and user is not None and not can_see_personal_data(user):
        raise PermissionDenied(_("只有党校管理员和组织部可以导出未脱敏数据。"))
    token = current_period.set(period_label(request))
    try:
        return export_kind.build(request)
    finally:
        current_period.reset(token)
