"""The automatic placement's rules (services/grouping.py places): which of the six themes a
trainee's fields point to, through a keyword table per theme, and how many trainees each group
should end with, within the balance band. Pure functions of the data they are given."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Theme

# Keywords per theme. When several match one field the longest wins, so "农业农村" (乡村振兴)
# beats "农业" and "党的建设" beats "建设". Kept as data so that staff-facing wording can grow.
# fmt: off
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    Theme.PARTY_BUILDING: (
        "党的建设", "组织部", "组织", "党建", "宣传", "统战", "纪检", "纪委", "监委", "监察",
        "巡察", "机关党委", "机关工委", "党委办", "党校", "团委", "团市委", "妇联", "工会",
        "编办", "老干部", "政研", "意识形态",
    ),
    Theme.ECONOMIC_DEVELOPMENT: (
        "经济", "发改", "发展和改革", "商务", "招商", "金融", "财政", "税务", "经信",
        "经济和信息化", "科技", "统计", "审计", "市场监管", "国资", "开发区", "产业", "工业",
        "数字经济", "投资", "外贸", "企业", "营商环境",
    ),
    Theme.URBAN_CONSTRUCTION: (
        "住建", "住房和城乡建设", "城乡建设", "建设", "规划", "交通", "城管", "综合执法",
        "自然资源", "生态环境", "环保", "城投", "市政", "公用事业", "水务", "工程", "城市更新",
    ),
    Theme.SOCIAL_WELFARE: (
        "民生", "教育", "卫健", "卫生健康", "医院", "疾控", "民政", "人社",
        "人力资源和社会保障", "社会保障", "社会事务", "救助", "就业", "文旅", "文化", "旅游",
        "体育", "医保", "残联", "退役军人", "养老",
    ),
    Theme.RURAL_REVITALIZATION: (
        "农业农村", "乡村振兴", "乡村", "农村", "农业", "林业", "水利", "农办", "三农",
        "共同富裕", "农经", "村级", "渔业", "供销",
    ),
    Theme.GRASSROOTS_GOVERNANCE: (
        "基层治理", "社会治理", "乡镇", "街道", "社区", "政法", "信访", "应急", "公安",
        "派出所", "司法", "网格", "镇长", "乡长", "矛盾调解", "平安",
    ),
}
# fmt: on

# The fields read, strongest evidence first; the label is what the reason shows.
MATCH_FIELDS = (
    ("work_field", "工作经历领域"),
    ("specialty", "专业特长"),
    ("position", "现任职务"),
)

GROUP_BAND = 2  # group sizes may differ by at most this much
GROUP_COUNT = len(Theme.values)


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    field_label: str
    keyword: str
    value: str  # the field as the trainee's unit wrote it, which the reason quotes

    def reason(self) -> str:
        value = self.value if len(self.value) <= 30 else self.value[:29] + "…"
        return _("%(field)s：%(value)s → %(theme)s") % {
            "field": _(self.field_label),
            "value": value,
            "theme": Theme(self.theme).label,
        }


def _best_keyword(text: str) -> tuple[str, str] | None:
    """The theme and keyword that best explain one field: the longest keyword found, then the
    earliest in the text, then the theme listed first."""
    best = None
    for order, (theme, keywords) in enumerate(THEME_KEYWORDS.items()):
        for keyword in keywords:
            at = text.find(keyword)
            if at < 0:
                continue
            rank = (-len(keyword), at, order)
            if best is None or rank < best[0]:
                best = (rank, theme, keyword)
    return (best[1], best[2]) if best else None


def work_field_theme(text: str | None) -> str | None:
    """The theme a 工作经历领域 points to (the same keywords as the placement), None when it
    fits none (the editions side by side count those as 其他)."""
    found = _best_keyword((text or "").strip())
    return found[0] if found else None


def theme_matches(person) -> list[ThemeMatch]:
    """The themes a person's fields point to, strongest first, each theme once."""
    matches: list[ThemeMatch] = []
    for attribute, label in MATCH_FIELDS:
        text = (getattr(person, attribute) or "").strip()
        if not text:
            continue
        found = _best_keyword(text)
        if found and all(m.theme != found[0] for m in matches):
            matches.append(
                ThemeMatch(theme=found[0], field_label=label, keyword=found[1], value=text)
            )
    return matches


def target_sizes(
    *, total: int, fixed: dict[int, int], demand: dict[int, int], group_ids: list[int]
) -> dict[int, int]:
    """How many trainees each group should end with.

    Start every group at one below the even share (or at what it already holds), then hand out
    the rest one place at a time to the group whose theme is most in demand, never past the
    band. With no fixed members the sizes always differ by at most GROUP_BAND."""
    level = 0
    while sum(max(fixed.get(g, 0), level + 1) for g in group_ids) <= total:
        level += 1
    floor = max(level - 1, 0)
    sizes = {g: max(fixed.get(g, 0), floor) for g in group_ids}
    remaining = total - sum(sizes.values())
    ceiling = floor + GROUP_BAND
    while remaining > 0:
        open_groups = [g for g in group_ids if sizes[g] < ceiling] or group_ids
        chosen = min(
            open_groups,
            key=lambda g: (-(demand.get(g, 0) + fixed.get(g, 0) - sizes[g]), sizes[g], g),
        )
        sizes[chosen] += 1
        remaining -= 1
    return sizes
