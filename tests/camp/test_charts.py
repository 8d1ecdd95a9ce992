"""Charts drawn on the server (camp/charts.py) with the one font the app ships: every label the
documents use and a sample of names draw without a single missing glyph (matplotlib's warning
is an error here), the font's own character map holds every character drawn, and no system
font is ever asked for."""

from __future__ import annotations

import io
import os
import warnings

import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image

from assessment.models import Category
from camp import charts
from trainees import demo_data
from trainees.models import CadreType, Rank, Theme

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(charts.FONT_PATH).getBestCmap()


def _sample_names() -> list[str]:
    """Names as the demo makes them, plus characters common in names that GB 2312 lacks."""
    names = [
        surname + male + female
        for surname, male, female in zip(
            demo_data.SURNAMES, demo_data.GIVEN_MALE, demo_data.GIVEN_FEMALE, strict=False
        )
    ]
    extras = "喆堃昇玥珺琍旻赟翀镕犇垚燚祎璟瑄"
    return [*names, "王" + extras[:8], "李" + extras[8:]]


def _labels() -> list[str]:
    """What the charts of the documents write: titles, axis and legend labels, categories,
    groups and their themes, composition, bands and months, figures and signs."""
    from oversight.annual_report import ISSUER

    labels = [
        "学员年龄结构（按出生年份）",
        "1985—1989年生",
        "各月出勤率（%）",
        "出勤率（%）",
        "总分分布",
        "分数段",
        "人数",
        "各小组类别平均分",
        "各小组平均总分",
        "分",
        "全班",
        "乡镇(街道)党政正职经历",
        "有",
        "无",
        "0–30",
        "270–300",
        "2026-03",
        "−12.5",
        "98.5%",
        ISSUER,
    ]
    labels += [str(label) for _key, label in Category.choices]
    labels += [str(label) for _key, label in CadreType.choices]
    labels += [str(label) for _key, label in Rank.choices]
    labels += [f"第{number}组·{label}" for number, (_key, label) in enumerate(Theme.choices, 1)]
    return labels


def test_the_shipped_font_is_the_subset_under_its_licence():
    assert charts.FONT_PATH.is_file()
    assert charts.FONT_PATH.stat().st_size < 5 * 1024 * 1024
    assert (charts.FONT_PATH.parent / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    assert charts.FONT_NAME == "Noto Sans SC Camp Subset"


def test_the_font_holds_gb2312_ascii_and_punctuation(cmap):
    from camp.fonts.make_subset import gb2312

    hanzi = [c for c in gb2312() if "\u4e00" <= c <= "\u9fff"]
    assert len(hanzi) == 6763
    wanted = {*hanzi, *map(chr, range(0x20, 0x7F)), *"，。、：；！？（）《》“”‘’—…·％－０９"}
    assert not sorted(c for c in wanted if ord(c) not in cmap)


def test_charts_ask_for_the_shipped_font_and_nothing_else():
    with charts.matplotlib.rc_context(charts.STYLE):
        for family in ("sans-serif", "serif", "monospace", charts.FONT_NAME):
            found = font_manager.findfont(
                font_manager.FontProperties(family=[family]), fallback_to_default=False
            )
            assert os.path.samefile(found, charts.FONT_PATH), family


def test_every_label_and_name_draws_without_a_missing_glyph(cmap):
    labels = _labels()
    names = _sample_names()
    drawn = "".join(labels + names)
    assert not sorted({c for c in drawn if not c.isspace() and ord(c) not in cmap})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s) …" fails the test
        charts.bar_chart(labels, list(range(len(labels))), title=labels[0], horizontal=True)
        charts.bar_chart(names, [1] * len(names), title="学员姓名", horizontal=True)
        charts.grouped_bar_chart(
            labels[:6], [(name, [1, 2, 3, 4, 5, 6]) for name in names[:3]], title=labels[1]
        )
        charts.line_chart(labels[:4], [(labels[5], [95.5, None, 97, -1])], title=labels[2])


def test_a_character_outside_the_font_is_reported_never_drawn_in_another_font(cmap):
    """The check above can fail: no system font steps in for a character the subset lacks."""
    missing = "\u2603"  # ☃, which DejaVu Sans (matplotlib's default) would have drawn
    assert ord(missing) not in cmap
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="missing from font"):
            charts.bar_chart([missing], [1], title="新" + missing)


def test_a_chart_is_a_png_that_fits_the_page_and_is_kept_for_the_same_figures():
    png = charts.grouped_bar_chart(
        ["第1组", "第2组"], [("理论教育", [60.5, 70]), ("党性锻炼", [None, 80])], title="类别"
    )
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    width_px = round(charts.WIDTH_CM / 2.54 * charts.STYLE["savefig.dpi"])
    assert abs(image.width - width_px) <= 2
    # Drawn again from the cache, byte for byte; other figures make another picture.
    assert (
        charts.grouped_bar_chart(
            ["第1组", "第2组"], [("理论教育", [60.5, 70]), ("党性锻炼", [None, 80])], title="类别"
        )
        == png
    )
    assert charts.bar_chart(["第1组"], [1]) != charts.bar_chart(["第1组"], [2])


def test_matplotlib_gets_a_private_config_dir_without_a_writable_home(tmp_path, monkeypatch):
    monkeypatch.setattr(charts.tempfile, "tempdir", str(tmp_path))
    path = charts._private_config_dir()
    assert path == str(tmp_path / f"camp-matplotlib-{os.getuid()}")
    assert os.stat(path).st_mode & 0o777 == 0o700
    # A directory others may write into is never used: a fresh one is made instead.
    os.chmod(path, 0o777)
    other = charts._private_config_dir()
    assert other != path
    assert os.stat(other).st_mode & 0o777 == 0o700
