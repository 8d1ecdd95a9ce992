"""Charts drawn on the server, as PNG images for the Word documents and their print pages.

They are drawn by matplotlib's Agg renderer with ONE font: the Noto Sans SC subset the app ships
(camp/fonts, see README "Dependencies"). No system font is ever asked for, so a fresh machine
without any CJK font draws Chinese all the same, and a character the font lacks shows as a
missing-glyph warning (which tests turn into failures) instead of silently drawing in another
font.

Figures are made with `matplotlib.figure.Figure`, never pyplot, so no global figure state is
kept between requests; a lock keeps two threads of one process from drawing at once (matplotlib
is not thread-safe).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import stat
import tempfile
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache

logger = logging.getLogger(__name__)

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-subset.otf"


def _private_config_dir() -> str:
    """A directory only this user can write, for matplotlib's font cache: the web server's user
    may have no writable home. A fixed name is reused (the cache survives restarts) only if it
    is ours and nobody else's; otherwise a fresh one is made."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(tempfile.gettempdir()) / f"camp-matplotlib-{uid}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(path)
        if (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == uid
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        ):
            return str(path)
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="camp-matplotlib-")


# Before matplotlib is imported: it reads MPLCONFIGDIR once, when it first loads.
if not os.environ.get("MPLCONFIGDIR"):
    os.environ["MPLCONFIGDIR"] = _private_config_dir()

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display on a server; set before anything draws

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

font_manager.fontManager.addfont(str(FONT_PATH))
FONT_NAME = font_manager.FontProperties(fname=str(FONT_PATH)).get_name()

# Every text element of every chart asks for the shipped font and nothing else: a family list
# with one entry leaves matplotlib no fallback to a system font (DejaVu Sans included).
STYLE = {
    "font.family": [FONT_NAME],
    "font.sans-serif": [FONT_NAME],
    "font.serif": [FONT_NAME],
    "font.monospace": [FONT_NAME],
    "mathtext.fontset": "custom",
    "mathtext.rm": FONT_NAME,
    "mathtext.it": FONT_NAME,
    "mathtext.bf": FONT_NAME,
    "mathtext.sf": FONT_NAME,
    # A "$" in a name or label is text, never the start of a formula.
    "text.parse_math": False,
    "axes.unicode_minus": True,  # U+2212, which the subset holds
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "axes.axisbelow": True,
    "savefig.dpi": 200,
}
# Colours that stay apart in print and in grey: the school's red first.
PALETTE = ("#b22222", "#1f4e79", "#7f7f7f", "#c9a227", "#2e7d32", "#6a3d9a")

# A4 portrait with the documents' margins leaves about 15.6 cm; charts are drawn to fit it.
WIDTH_CM = 15.6
HEIGHT_CM = 7.8
CM = 1 / 2.54

_lock = threading.Lock()


def _number(value) -> float:
    """A figure as matplotlib draws it; a missing figure (None) as 0."""
    if value is None:
        return 0.0
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def _texts(labels: Sequence) -> list[str]:
    """Labels as text (a lazy translation included): matplotlib takes only str."""
    return [str(label) for label in labels]


def _format(value, value_format: str) -> str:
    return "" if value is None else value_format.format(value)


def _figure(height_cm: float = HEIGHT_CM) -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH_CM * CM, height_cm * CM), layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" stamp: the same figures give the same bytes whatever matplotlib's version.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# A chart is a function of what it shows: its PNG is kept under a digest of its kind and
# arguments (and of the font and matplotlib's version, which change the pixels), so a page
# drawn again, or the document after the page, costs no drawing and can never be stale.
CACHE_TIMEOUT = 24 * 3600
_VERSION = f"{matplotlib.__version__}:{FONT_PATH.stat().st_size}"


def _cache_key(spec: tuple) -> str:
    digest = hashlib.sha256(repr((_VERSION, spec)).encode()).hexdigest()
    return f"chart:{digest}"


def _draw(spec: tuple, draw) -> bytes:
    """The PNG of `draw()` (which returns a Figure) with the charts' style, drawn under the
    lock unless the cache has it; a cache that is down only costs the drawing."""
    key = _cache_key(spec)
    try:
        png = cache.get(key)
    except Exception:  # any cache failure means "draw it"
        logger.warning("cache unavailable; drawing the chart", exc_info=True)
        png = None
    if png is not None:
        return png
    with _lock, matplotlib.rc_context(STYLE):
        png = _png(draw())
    try:
        cache.set(key, png, CACHE_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable; chart not kept", exc_info=True)
    return png


def _spec(name: str, *args, **kwargs) -> tuple:
    """What a chart shows, as plain values (a Decimal's digits, not its float)."""

    def plain(value):
        if isinstance(value, list | tuple):
            return tuple(plain(item) for item in value)
        return str(value) if value is not None else None

    return (name, plain(args), tuple(sorted((key, plain(v)) for key, v in kwargs.items())))


def bar_chart(
    labels: Sequence[str],
    values: Sequence,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    value_format: str = "{}",
    horizontal: bool = False,
) -> bytes:
    """One bar per label, its value written on it (e.g. how many totals fall in each band)."""
    labels, title, xlabel, ylabel = _texts(labels), str(title), str(xlabel), str(ylabel)

    def draw() -> Figure:
        rows = max(len(labels), 1)
        height = max(HEIGHT_CM, 1.0 + 0.75 * rows) if horizontal else HEIGHT_CM
        figure, axes = _figure(height)
        numbers = [_number(value) for value in values]
        texts = [_format(value, value_format) for value in values]
        if horizontal:
            bars = axes.barh(list(labels), numbers, color=PALETTE[0])
            axes.invert_yaxis()  # the first label on top, as in the table beside it
            axes.grid(axis="x")
            axes.grid(axis="y", visible=False)
        else:
            bars = axes.bar(list(labels), numbers, color=PALETTE[0])
        axes.bar_label(bars, labels=texts, padding=2, fontsize=8)
        if all(isinstance(value, int) for value in values):  # counts: no "2.50" people
            (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
        axes.set_title(title)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        if horizontal:
            axes.margins(x=0.12)
        else:
            axes.margins(x=0.02, y=0.12)
        return figure

    spec = _spec(
        "bar",
        labels,
        values,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        value_format=value_format,
        horizontal=horizontal,
    )
    return _draw(spec, draw)


def grouped_bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    title: str = "",
    ylabel: str = "",
    value_format: str = "{}",
) -> bytes:
    """Bars of several series side by side per label, with a legend (e.g. each group's three
    category averages)."""
    labels, title, ylabel = _texts(labels), str(title), str(ylabel)
    series = [(str(name), list(values)) for name, values in series]

    def draw() -> Figure:
        figure, axes = _figure()
        count = max(len(series), 1)
        width = 0.8 / count
        positions = range(len(labels))
        for index, (name, values) in enumerate(series):
            offset = (index - (count - 1) / 2) * width
            bars = axes.bar(
                [position + offset for position in positions],
                [_number(value) for value in values],
                width,
                label=name,
                color=PALETTE[index % len(PALETTE)],
            )
            axes.bar_label(
                bars,
                labels=[_format(value, value_format) for value in values],
                padding=1,
                fontsize=6,
            )
        axes.set_xticks(list(positions), list(labels))
        axes.set_title(title)
        axes.set_ylabel(ylabel)
        axes.margins(y=0.15)
        if series:
            axes.legend(loc="upper center", ncols=count, bbox_to_anchor=(0.5, -0.12), frameon=False)
        return figure

    spec = _spec("grouped", labels, series, title=title, ylabel=ylabel, value_format=value_format)
    return _draw(spec, draw)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    title: str = "",
    ylabel: str = "",
    value_format: str = "{}",
    y_limits: tuple[float, float] | None = None,
) -> bytes:
    """One line per series over the labels (e.g. each month's attendance rate); a missing value
    (None) leaves a gap."""
    labels, title, ylabel = _texts(labels), str(title), str(ylabel)
    series = [(str(name), list(values)) for name, values in series]

    def draw() -> Figure:
        figure, axes = _figure()
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series):
            numbers = [float("nan") if value is None else _number(value) for value in values]
            axes.plot(
                positions, numbers, marker="o", label=name, color=PALETTE[index % len(PALETTE)]
            )
            for position, value in zip(positions, values, strict=True):
                if value is not None:
                    axes.annotate(
                        _format(value, value_format),
                        (position, _number(value)),
                        textcoords="offset points",
                        xytext=(0, 5),
                        ha="center",
                        fontsize=7,
                    )
        axes.set_xticks(positions, list(labels))
        if len(labels) > 6:  # a year of months: slanted, so that they never run together
            axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        axes.set_title(title)
        axes.set_ylabel(ylabel)
        if y_limits is not None:
            axes.set_ylim(*y_limits)
        if len(series) > 1:
            axes.legend(frameon=False)
        return figure

    spec = _spec(
        "line",
        labels,
        series,
        title=title,
        ylabel=ylabel,
        value_format=value_format,
        y_limits=y_limits,
    )
    return _draw(spec, draw)
