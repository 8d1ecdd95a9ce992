"""The default scheme of the scheme document (assessment-scheme.md): 26 items, 300 points.

Each new camp gets a copy (see `scheme_create_default`), which its staff may then edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models.scheme import Category, Frequency, Kind, Recorder

T, P, C = Category.THEORY, Category.PARTY_SPIRIT, Category.CAPABILITY
DED, GRA, BON = Kind.DEDUCTION, Kind.GRADED, Kind.BONUS
DAY, WEEK, MONTH, EVENT, ONCE = (
    Frequency.PER_TRAINING_DAY,
    Frequency.WEEKLY,
    Frequency.MONTHLY,
    Frequency.PER_EVENT,
    Frequency.ONCE,
)
STAFF, COUNSELOR, JUDGES = Recorder.STAFF, Recorder.COUNSELOR, Recorder.JUDGES

# Items whose deductions come from attendance and leave records.
ATTENDANCE_ITEM = 1
LEAVE_ITEM = 12
# The item contests grade.
CONTEST_ITEM = 20
# Items graded on work the trainees hand in.
SUBMISSION_ITEMS = (3, 4, 9, 18)


@dataclass(frozen=True)
class DefaultItem:
    number: int
    category: str
    name: str
    max_points: Decimal
    kind: str
    frequency: str
    recorded_by: tuple[str, ...]
    description: str = ""

    @property
    def once_only(self) -> bool:
        return self.frequency == Frequency.ONCE


def _item(number, category, name, max_points, kind, frequency, recorder, description=""):
    return DefaultItem(
        number, category, name, Decimal(max_points), kind, frequency, (recorder,), description
    )


DEFAULT_ITEMS: tuple[DefaultItem, ...] = (
    _item(1, T, "集中培训出勤", "20", DED, DAY, STAFF, "由考勤记录自动扣分"),
    _item(2, T, "课堂纪律", "10", DED, DAY, STAFF),
    _item(3, T, "学习笔记", "10", GRA, MONTH, COUNSELOR),
    _item(4, T, "学习心得", "20", GRA, MONTH, STAFF),
    _item(5, T, "党课与论坛研讨发言", "10", GRA, EVENT, STAFF),
    _item(6, T, "读书分享", "10", GRA, EVENT, COUNSELOR),
    _item(7, T, "在线学习与线上交流", "10", GRA, MONTH, STAFF),
    _item(8, T, "理论测试", "20", GRA, ONCE, STAFF),
    _item(9, P, "党性分析材料", "20", GRA, ONCE, COUNSELOR),
    _item(10, P, "个人修养要则践行", "10", GRA, MONTH, COUNSELOR),
    _item(11, P, "遵规守纪", "15", DED, WEEK, STAFF),
    _item(12, P, "请假销假规范", "10", DED, EVENT, STAFF, "由请假记录自动扣分"),
    _item(13, P, "廉洁自律", "10", DED, EVENT, STAFF),
    _item(14, P, "现场教学表现", "10", GRA, EVENT, STAFF),
    _item(15, P, "圆桌会与谈心谈话", "10", GRA, MONTH, COUNSELOR),
    _item(16, P, "小组活动", "10", GRA, MONTH, COUNSELOR),
    _item(17, P, "志愿服务与主题活动", "5", BON, EVENT, STAFF),
    _item(18, C, "调研报告", "20", GRA, ONCE, STAFF),
    _item(19, C, "项目首席负责", "15", GRA, MONTH, COUNSELOR),
    _item(20, C, "擂台比拼", "15", GRA, EVENT, JUDGES, "由擂台比拼评委打分生成"),
    _item(21, C, "主题辩论赛", "5", GRA, EVENT, STAFF),
    _item(22, C, "课上主持分享", "5", GRA, EVENT, STAFF),
    _item(23, C, "经验分享交流", "5", GRA, EVENT, STAFF),
    _item(24, C, "担任班委或组长", "5", BON, ONCE, STAFF),
    _item(25, C, "成果发表或被采纳", "5", BON, EVENT, STAFF),
    _item(26, C, "岗位实绩反馈", "15", GRA, ONCE, STAFF),
)
