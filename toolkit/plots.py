"""Figures drawn from toolkit results (matplotlib/seaborn).  Nothing here computes a
statistic: each function takes a result table (or a :class:`~toolkit.Concordance`),
accepts ``ax=`` and returns the Axes (or Figure) it drew on.

Figures scale to many groups: groups are coloured with :func:`group_colors` (one
colour-blind-safe palette, the same colour for a group in every figure given the same
palette), the largest groups are shown and the rest pooled as "other" (said in the legend),
heatmaps are sized to their content and limited to a readable number of rows (said in the
title), and an empty input raises :class:`~toolkit.EmptyResultError` instead of drawing an
empty figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ._docs import fill_doc
from ._plotnames import PLOT_FUNCTIONS
from ._validation import Renamed, renamed_arguments
from .errors import ColumnError, EmptyResultError, ParameterError, ParameterTypeError
from .kwic import Concordance

__all__ = list(PLOT_FUNCTIONS)

# Paul Tol's "muted" qualitative scheme: nine colour-blind-safe colours with clearly
# distinct hues (P. Tol, "Colour schemes", SRON technical note SRON/EPS/TN/09-002,
# https://personal.sron.nl/~pault/, section "Qualitative colour schemes").
TOL_MUTED = (
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
)
#: The neutral grey of the pooled "other" groups (CIELAB ΔE ≥ 30 from every palette colour).
OTHER_GREY = "#999999"
#: Rows (documents, groups) a figure shows at most unless asked for more.
MAX_ROWS = 40
_MAX_FIG_INCHES = 16.0


def _need_columns(frame: pd.DataFrame, parameter: str, columns: Iterable[str | None]) -> None:
    for col in columns:
        if col is not None and col not in frame.columns:
            raise ColumnError(
                parameter,
                col,
                f"{parameter}: no column {col!r} in the table",
                valid=[str(c) for c in frame.columns],
            )


class GroupColors(dict):
    """A mapping of group label to RGB colour from :func:`group_colors`, in rank order.

    ``other`` is the label of the pooled groups and ``n`` the number of coloured groups.
    """

    other: str = "other"
    n: int = 0


def _natural_key(label: str) -> tuple:
    # "topic 2" before "topic 10", 1990 before 2000; text compared case-sensitively
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", label))


def group_colors(
    values: Iterable[Any] | pd.Series, n: int = 8, other: str = "other"
) -> dict[str, tuple]:
    """One colour per group: the ``n`` largest groups get distinct colours, the rest grey.

    Groups are ranked by their number of occurrences in ``values`` (descending; ties in
    label order, as :func:`toolkit.top_groups` ranks them, so that the groups it keeps are
    the groups coloured here).  The first ``n`` get the colours
    of Paul Tol's colour-blind-safe qualitative scheme "muted" in its order (P. Tol, *Colour
    schemes*, SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/), every other group and
    the label ``other`` one neutral grey (``#999999``).  The same input always gives the same
    mapping, and a group's colour does not depend on ``n`` (the ``n`` colours are a prefix of
    the ``n + 1``), so figures of one study that share a palette colour a group the same way.
    Pass the result as ``palette=`` to the plot functions; groups it greys are pooled there
    as ``other``.

    Parameters
    ----------
    values : iterable or pandas.Series
        The group label of every document (e.g. ``corpus.meta["country"]``), ranked by how
        often each occurs, or a list of distinct labels (then ranked by label).  Labels are
        compared as strings; missing values (NaN, None) are not a group.
    n : int
        Groups coloured (at most 9, the size of the palette).
    other : str
        The label of the pooled groups; values that already carry it (e.g. labels pooled
        by :func:`toolkit.top_groups`) are grey, not a group.

    Returns
    -------
    dict of str to (float, float, float)
        Every group (as a string) in rank order, then ``other``, mapped to an RGB triple in
        [0, 1].  The dict also carries ``.other`` (the pooled label) and ``.n``.

    Raises
    ------
    ParameterError
        ``n`` not an integer in 1..9.

    Examples
    --------
    >>> import toolkit as tk
    >>> colors = tk.group_colors(["USA", "USA", "JPN", "PRK", "JPN", "USA"], n=2)
    >>> list(colors)
    ['USA', 'JPN', 'PRK', 'other']
    >>> colors["PRK"] == colors["other"] != colors["USA"]
    True
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= len(TOL_MUTED):
        raise ParameterError(
            "n",
            n,
            f"n={n!r} is not valid: the palette has {len(TOL_MUTED)} colours, "
            f"so n must be an integer from 1 to {len(TOL_MUTED)} (maximum {len(TOL_MUTED)})",
        )
    labels = pd.Series(list(values) if not isinstance(values, pd.Series) else values)
    labels = labels[labels.notna()].astype(str)
    counts = labels[labels != str(other)].value_counts(sort=False)
    ranked = sorted(counts.index, key=lambda g: (-int(counts[g]), g))
    out = GroupColors()
    grey = to_rgb(OTHER_GREY)
    for i, g in enumerate(ranked):
        out[g] = to_rgb(TOL_MUTED[i]) if i < n else grey
    out[str(other)] = grey
    out.other = str(other)
    out.n = int(min(n, len(ranked)))
    return out


def set_theme() -> None:
    """The seaborn theme every figure of the toolkit's notebooks uses.

    seaborn's ``"notebook"`` context, white grid and colour-blind palette (groups are
    coloured with :func:`group_colors`).

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.set_theme()
    """
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")


# ----------------------------------------------------------------------------- helpers
def _ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        w, h = figsize
        _, ax = plt.subplots(
            figsize=(min(w, _MAX_FIG_INCHES), min(h, _MAX_FIG_INCHES)), layout="constrained"
        )
    return ax


def _root(ax: Axes) -> Figure:
    fig = ax.get_figure(root=True)
    assert fig is not None  # every Axes drawn here belongs to a figure
    return fig


def _check_ax(ax: Any, figures: bool = False) -> None:
    """``ax=`` of every plot function, checked before anything is drawn: ``None`` or a
    matplotlib Axes (with ``figures=True`` also a Figure, a SubFigure or a sequence of
    Axes); otherwise :class:`~toolkit.ParameterTypeError` naming ``ax``."""
    if ax is None or isinstance(ax, Axes):
        return
    if figures:
        if isinstance(ax, Figure | SubFigure):
            return
        if isinstance(ax, Sequence | np.ndarray) and not isinstance(ax, str):
            items = list(np.ravel(np.asarray(ax, dtype=object)))
            if items and all(isinstance(a, Axes) for a in items):
                return
        wanted = "None, a matplotlib Axes, Figure or SubFigure, or a sequence of Axes"
    else:
        wanted = "None or a matplotlib Axes (e.g. from plt.subplots())"
    raise ParameterTypeError("ax", ax, f"ax={ax!r} is not valid: give {wanted}")


def _check_count(parameter: str, value: Any, low: int = 1, high: int | None = None) -> int:
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not ok or value < low or (high is not None and value > high):
        span = f"{low} or more" if high is None else f"from {low} to {high}"
        raise ParameterError(
            parameter, value, f"{parameter}={value!r} is not valid: give an integer {span}"
        )
    return int(value)


class _Groups:
    """How a figure colours groups: the shown ones in rank order, the rest pooled."""

    def __init__(self, colors: dict[str, tuple], shown: list[str], other: str, pooled: list[str]):
        self.colors = colors
        self.shown = shown
        self.other = other
        self.pooled = pooled

    def color(self, group: Any) -> tuple:
        return self.colors.get(str(group), to_rgb(OTHER_GREY))

    def label(self, group: Any) -> str:
        return str(group) if str(group) in self.shown else self.other


def _groups(palette: Any, values: Iterable[Any], n: int = 8) -> _Groups:
    """Resolve ``palette=`` (None, a dict from group_colors or any dict of colours, a seaborn
    palette name or list of colours) against the groups present in ``values``."""
    series = pd.Series(list(values) if not isinstance(values, pd.Series) else values)
    series = series[series.notna()].astype(str)
    present = list(dict.fromkeys(series))
    ranked: Any
    if palette is None:
        palette = group_colors(series, n=n)
    elif isinstance(palette, str) or (
        isinstance(palette, Sequence) and not isinstance(palette, Mapping)
    ):
        try:
            listed = [to_rgb(c) for c in sns.color_palette(palette)]
        except (ValueError, TypeError) as err:
            raise ParameterError(
                "palette", palette, "palette= takes a dict from tk.group_colors"
            ) from err
        ranked = group_colors(series, n=min(len(listed), len(TOL_MUTED)))
        made = GroupColors(
            {g: (listed[i] if i < ranked.n else to_rgb(OTHER_GREY)) for i, g in enumerate(ranked)}
        )
        made.other, made.n = ranked.other, ranked.n
        palette = made
    if not isinstance(palette, Mapping):
        raise ParameterError(
            "palette", palette, "palette= takes a dict of group to colour (tk.group_colors)"
        )
    other = str(getattr(palette, "other", "other"))
    try:
        colors = {str(k): to_rgb(v) for k, v in palette.items()}
    except ValueError as err:
        raise ParameterError("palette", palette, f"palette= holds a non-colour: {err}") from err
    grey = colors.get(other, to_rgb(OTHER_GREY))
    present_set = set(present)
    shown = [g for g in colors if g in present_set and g != other and colors[g] != grey]
    shown = shown[: len(TOL_MUTED)]
    pooled = [g for g in present if g not in set(shown)]
    colors = {g: colors[g] for g in shown}
    colors[other] = grey
    return _Groups(colors, shown, other, pooled)


def _legend(
    ax: Axes,
    handles: list[Any],
    title: str | None = None,
    outside: bool = True,
    loc: Any = "upper left",
) -> None:
    """A legend that fits the figure's height: more columns when the entries need them."""
    if not handles:
        return
    fig = _root(ax)
    size = plt.rcParams["legend.fontsize"]
    points = (
        size
        if isinstance(size, int | float)
        else {"xx-small": 0.58, "x-small": 0.69, "small": 0.83, "medium": 1.0, "large": 1.2}.get(
            size, 1.0
        )
        * plt.rcParams["font.size"]
    )
    per_entry = points * 1.75 / 72  # inches per entry, with the label spacing
    room = fig.get_size_inches()[1] * 0.85 - (per_entry if title else 0)
    rows = max(1, int(room / per_entry))
    ncol = math.ceil(len(handles) / rows)
    if outside:
        ax.legend(handles=handles, title=title, loc=loc, bbox_to_anchor=(1.01, 1), ncol=ncol)
    else:
        ax.legend(handles=handles, title=title, loc=loc, ncol=ncol)


def _other_label(groups: _Groups, how: str) -> str:
    n = len(groups.pooled)
    return f"{groups.other} ({n} more, {how})"


def _pool(
    data: pd.DataFrame, x: str, y: str, hue: str, groups: _Groups
) -> tuple[pd.DataFrame, str]:
    """The shown groups' rows as they are, the other groups pooled into one per ``x``:
    a rate per million/thousand recomputed from the summed ``count`` and ``words`` (word
    tokens) when the table has them, otherwise the mean of the groups' values."""
    key = data[hue].astype(str)
    keep = key.isin(groups.shown).to_numpy()
    out = data[keep].copy()
    out[hue] = key[keep]
    if keep.all():
        return out, ""
    rest = data[~keep & key.notna().to_numpy()]
    scale = {"per_million": 1e6, "per_thousand": 1e3}.get(y)
    g: Any
    if scale and {"count", "words"} <= set(data.columns):
        g = rest.groupby(x, sort=True)[["count", "words"]].sum()
        words = g["words"].to_numpy(dtype=float)
        value = np.divide(
            g["count"].to_numpy(dtype=float) * scale,
            words,
            out=np.full(len(g), np.nan),
            where=words > 0,
        )
        how = "pooled"
    else:
        g = rest.groupby(x, sort=True)[y].mean()
        value = g.to_numpy()
        how = "mean"
    pooled = pd.DataFrame({x: g.index.to_numpy(), y: value, hue: groups.other})
    return pd.concat([out, pooled], ignore_index=True), _other_label(groups, how)


def _period_match(values: Sequence[Any], label: Any) -> list[Any]:
    """The values of ``x`` a period label names: equal, equal as text, or a decade
    ``"1990s"`` / a period start date naming the year 1990 of a numeric ``x``."""
    year = None
    if isinstance(label, pd.Timestamp):
        year = label.year
    elif isinstance(label, str) and re.fullmatch(r"\d{4}s", label):
        year = int(label[:4])
    out = []
    for v in values:
        if v == label or str(v) == str(label):
            out.append(v)
        elif year is not None and isinstance(v, int | float | np.integer | np.floating):
            if v == year:
                out.append(v)
    return out


def _incomplete_values(
    data: pd.DataFrame, x: str, incomplete: Any, periods: pd.DataFrame | None
) -> set[Any]:
    """The values of ``x`` that are incomplete periods."""
    values = list(pd.unique(data[x].dropna()))
    found: set[Any] = set()
    if "complete" in data.columns and pd.api.types.is_bool_dtype(data["complete"]):
        found |= set(data.loc[~data["complete"].astype(bool), x].dropna())
    tables = []
    if isinstance(incomplete, pd.DataFrame):
        tables.append(("incomplete", incomplete))
    elif incomplete is not None:
        labels = [incomplete] if isinstance(incomplete, str | int | float) else list(incomplete)
        for lab in labels:
            match = _period_match(values, lab)
            if not match:
                raise ParameterError(
                    "incomplete",
                    lab,
                    f"incomplete={lab!r}: the period is not a value of {x!r}",
                    valid=[str(v) for v in values[:30]],
                )
            found |= set(match)
    if periods is not None:
        if not isinstance(periods, pd.DataFrame):
            raise ParameterError("periods", type(periods).__name__, "periods= takes a DataFrame")
        tables.append(("periods", periods))
    for name, table in tables:
        _need_columns(table, name, ["complete"])
        keys = [c for c in ("period", x, "start") if c in table.columns]
        key = next((k for k in keys if any(_period_match(values, v) for v in table[k])), None)
        if key is None:
            raise ParameterError(
                name,
                list(table.columns),
                f"no period of the table (columns {keys or 'period'}) is a value of {x!r}",
            )
        for lab in table.loc[~table["complete"].astype(bool), key]:
            found |= set(_period_match(values, lab))  # periods outside the data: not drawn
    return found


def _mark_incomplete(
    ax: Axes,
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None,
    color_of: Any,
    incomplete: set[Any],
) -> None:
    """Redraw the segments that touch an incomplete period dashed, its markers hollow."""
    lw = plt.rcParams["lines.linewidth"]
    frames = [(None, data)] if hue is None else list(data.groupby(hue, sort=False))
    for g, d in frames:
        means = d.groupby(x, sort=True)[y].mean().dropna()
        xs, ys = list(means.index), means.to_numpy()
        flags = np.array([v in incomplete for v in xs], dtype=bool)
        if not flags.any():
            continue
        color = color_of(g)
        for i in range(len(xs) - 1):
            if flags[i] or flags[i + 1]:
                seg_x, seg_y = [xs[i], xs[i + 1]], [ys[i], ys[i + 1]]
                ax.plot(seg_x, seg_y, color="white", lw=lw + 2, zorder=2.5, solid_capstyle="butt")
                ax.plot(seg_x, seg_y, color=color, lw=lw, ls=(0, (3, 2)), zorder=2.6)
        ax.scatter(
            [v for v, f in zip(xs, flags, strict=True) if f],
            ys[flags],
            s=55,
            facecolor="white",
            edgecolor=color,
            linewidths=1.6,
            zorder=3.5,
        )


def _incomplete_handle() -> Line2D:
    return Line2D(
        [],
        [],
        color="black",
        ls=(0, (3, 2)),
        marker="o",
        markerfacecolor="white",
        label="incomplete period",
    )


def _declutter(ax: Axes, texts: Sequence[Any], step: float | None = None) -> None:
    """Move labels up or down until none overlaps a label placed before it."""
    if len(texts) < 2:
        return
    fig = _root(ax)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Any] = []
    for t in texts:
        box = t.get_window_extent(renderer)
        dy = step or box.height * 1.05
        tries = 0
        moved = 0.0
        while any(box.overlaps(p) for p in placed) and tries < 24:
            tries += 1
            shift = (tries + 1) // 2 * dy * (1 if tries % 2 else -1)
            _shift_text(t, shift - moved, fig.dpi, ax)
            moved = shift
            box = t.get_window_extent(renderer)
        placed.append(box.expanded(1.02, 1.08))


def _shift_text(t: Any, dy_pixels: float, dpi: float, ax: Axes) -> None:
    from matplotlib.text import Annotation

    if isinstance(t, Annotation) and t.anncoords == "offset points":
        dx, dy = t.xyann
        t.xyann = (dx, dy + dy_pixels * 72 / dpi)
    else:
        x, y = ax.transData.transform(t.get_position())
        t.set_position(ax.transData.inverted().transform((x, y + dy_pixels)))


def _thin_labels(ax: Axes, axis: str, n: int) -> None:
    """Hide tick labels so that those left do not overlap (every k-th is kept)."""
    fig = _root(ax)
    box = ax.get_position()
    inches = (box.height if axis == "y" else box.width) * fig.get_size_inches()[
        1 if axis == "y" else 0
    ]
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    if not labels:
        return
    size = float(labels[0].get_fontsize())
    fit = max(1, int(inches * 72 / (size * 1.3)))
    if n > fit:
        k = math.ceil(n / fit)
        for i, lab in enumerate(labels):
            lab.set_visible(i % k == 0)


def _one_colour(_group: Any) -> tuple:
    return to_rgb(TOL_MUTED[1])


def _bar_rows(n_rows: int) -> float:
    """Figure height for horizontal bars: 0.28 in a bar, within the figure limit."""
    return min(_MAX_FIG_INCHES, max(3.0, 0.28 * n_rows + 1.2))


# ----------------------------------------------------------------------------- keyness
def plot_keyness(
    keywords: pd.DataFrame,
    n: int = 15,
    measure: str = "ll",
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Axes:
    """Diverging bars: the ``n`` most over-used terms of the target and of the reference.

    Parameters
    ----------
    keywords : DataFrame
        The result of :func:`toolkit.keyness`.
    n : int
        Terms shown on each side (1 to 40).
    measure : str
        Column for bar length (``"ll"`` or ``"log_ratio"``, …).
    labels : (str, str), optional
        Names of the target and reference, for the legend and title; default: the names
        the keyness result carries (``keywords.attrs["target"]`` and ``["reference"]``),
        else ``("target", "reference")``.
    palette : dict, optional
        Colours of the two sides, keyed by ``labels`` (e.g. ``tk.group_colors`` of the
        corpus's groups when the labels are group names); default: :func:`group_colors`
        of the two labels.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        No term has a positive or negative ``measure``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> k = tk.keyness(c, by="country", target="RUS", reference="USA")
    >>> ax = tk.plot_keyness(k, labels=("Russia/USSR", "USA"))
    """
    _check_ax(ax)
    _need_columns(keywords, "measure", [measure, "term"])
    n = _check_count("n", n, 1, MAX_ROWS)
    if labels is None:
        attrs = getattr(keywords, "attrs", {}) or {}
        labels = (str(attrs.get("target", "target")), str(attrs.get("reference", "reference")))
    if len(labels) != 2:
        raise ParameterError("labels", labels, "labels= takes two names: target, reference")
    scored = keywords.assign(_v=pd.to_numeric(keywords[measure], errors="coerce"))
    top = scored[scored["_v"] > 0].nlargest(n, "_v")
    bottom = scored[scored["_v"] < 0].nsmallest(n, "_v")
    if top.empty and bottom.empty:
        raise EmptyResultError(
            f"no keyness terms with {measure} > 0 on either side "
            f"({len(keywords)} rows in the table): nothing to plot"
        )
    data = pd.concat([top, bottom.iloc[::-1]])
    ax = _ax(ax, (8, _bar_rows(len(data))))
    side = [str(labels[0]), str(labels[1])]
    groups = _groups(palette, side, n=2)
    colors = [groups.color(side[0]), groups.color(side[1])]
    if colors[0] == colors[1]:  # a palette that greys both sides: keep them apart
        colors = [to_rgb(TOL_MUTED[0]), to_rgb(TOL_MUTED[1])]
    y = np.arange(len(data))
    ax.barh(y, data["_v"], color=[colors[0] if v > 0 else colors[1] for v in data["_v"]])
    ax.set_yticks(y, data["term"].astype(str))
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    name = {"ll": "log-likelihood G² (signed)", "log_ratio": "log ratio (binary log)"}
    ax.set_xlabel(name.get(measure, measure))
    ax.set_ylabel("")
    handles = [
        Patch(color=colors[0], label=f"more in {labels[0]} ({len(top)})"),
        Patch(color=colors[1], label=f"more in {labels[1]} ({len(bottom)})"),
    ]
    _legend(ax, handles, outside=False, loc="lower right")
    ax.set_title(f"Keywords: {labels[0]} vs {labels[1]}")
    return ax


# ----------------------------------------------------------------------------- collocates
def plot_collocates(
    collocates: pd.DataFrame | dict[str, pd.DataFrame],
    measure: str = "log_dice",
    n: int = 15,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Axes:
    """Collocation network (as LancsBox's GraphColl): the node in the centre, its collocates
    around it, nearer the stronger the association; several nodes share collocates.

    Each node has its colour; a collocate of one node takes that node's colour, a collocate
    shared by several nodes is grey.

    Parameters
    ----------
    collocates : DataFrame or dict of str to DataFrame
        Result(s) of :func:`toolkit.collocates`; a dict maps each node's label to its table.
    measure : str
        Association measure for distance and edge width.
    n : int
        Collocates per node (1 to 40).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Colours of the nodes, keyed by their labels (default: :func:`group_colors` of the
        node labels).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        No node has a collocate.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> ax = tk.plot_collocates(tk.collocates(c, "alliance*", stopwords=tk.stopwords()))
    """
    _check_ax(ax)
    import networkx as nx

    tables = (
        collocates
        if isinstance(collocates, dict)
        else {str(collocates.attrs.get("node", "node")): collocates}
    )
    n = _check_count("n", n, 1, MAX_ROWS)
    if not tables:
        raise EmptyResultError("no collocates: no node tables were given")
    for table in tables.values():
        _need_columns(table, "measure", [measure, "term"])
    nodes = [str(nd) for nd in tables]
    empty = [nd for nd, t in zip(nodes, tables.values(), strict=True) if t.empty]
    if len(empty) == len(nodes):
        raise EmptyResultError(f"no collocates of {', '.join(map(repr, nodes))}: nothing to plot")
    groups = _groups(palette, nodes, n=min(len(nodes), len(TOL_MUTED)))
    g = nx.Graph()
    parents: dict[str, set[str]] = {}
    for node, table in zip(nodes, tables.values(), strict=True):
        g.add_node(node, kind="node")
        top = table.nlargest(n, measure)
        lo, hi = top[measure].min(), top[measure].max()
        for r in top.itertuples():
            term = str(r.term)
            if term == node:  # a node can be its own collocate; no loop drawn
                continue
            strength = 1.0 if hi == lo else (getattr(r, measure) - lo) / (hi - lo)
            if term not in g:
                g.add_node(term, kind="collocate")
            parents.setdefault(term, set()).add(node)
            # shorter edges for stronger association
            g.add_edge(node, term, weight=0.3 + strength, length=1.5 - strength)
    fixed = {
        nd: (
            np.cos(2 * np.pi * i / len(nodes)) * (len(nodes) > 1),
            np.sin(2 * np.pi * i / len(nodes)) * (len(nodes) > 1),
        )
        for i, nd in enumerate(nodes)
    }
    pos = nx.kamada_kawai_layout(
        g,
        weight="length",
        pos=nx.spring_layout(g, pos=fixed, fixed=nodes if len(nodes) > 1 else None, seed=0),
    )
    ax = _ax(ax, (8, 8))
    widths = [0.5 + 3 * g[u][v]["weight"] for u, v in g.edges]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.4, edge_color="grey")
    grey = to_rgb(OTHER_GREY)
    colloc = [v for v in g if v not in set(nodes)]
    colloc_colors = [
        groups.color(next(iter(parents[v]))) if len(parents[v]) == 1 else grey for v in colloc
    ]
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        nodelist=nodes,
        node_color=[groups.color(nd) for nd in nodes],
        node_size=900,
        edgecolors="black",
    )
    nx.draw_networkx_nodes(
        g, pos, ax=ax, nodelist=colloc, node_color=colloc_colors, node_size=250, alpha=0.8
    )
    # node words on their circles; collocates labelled just above theirs, so no label
    # hides a node
    node_labels = nx.draw_networkx_labels(
        g,
        pos,
        ax=ax,
        labels={v: v for v in nodes},
        font_size=11,
        font_weight="bold",
        bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
    )
    spread = np.ptp(np.array(list(pos.values()))[:, 1]) or 1.0
    above = {v: (x, y + 0.035 * spread) for v, (x, y) in pos.items()}
    labels = nx.draw_networkx_labels(
        g, above, ax=ax, labels={v: v for v in colloc}, font_size=9, verticalalignment="bottom"
    )
    ax.set_axis_off()
    ax.margins(0.08)
    _declutter(ax, [*node_labels.values(), *labels.values()])
    handles = []
    if len(nodes) > 1:
        handles = [
            Line2D([], [], marker="o", ls="", color=groups.color(nd), label=f"collocate of {nd}")
            for nd in nodes
            if nd not in empty and nd in groups.shown
        ]
        shared = any(len(p) > 1 for p in parents.values())
        if shared or groups.pooled:
            label = "shared" if not groups.pooled else "shared, or of other nodes"
            handles.append(Line2D([], [], marker="o", ls="", color=grey, label=label))
    _legend(ax, handles, outside=False, loc="lower left")
    title = f"Collocates of {', '.join(map(str, nodes))} (closer = higher {measure})"
    if empty:
        title += f"\nno collocates of {', '.join(map(repr, empty))}"
    ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------- dispersion
@fill_doc
@renamed_arguments({"max_docs": Renamed("limit")})
def plot_dispersion(
    concordance: Concordance,
    by: str | None = None,
    limit: int = MAX_ROWS,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Axes:
    """Dispersion ("x-ray") plot: each hit as a tick at its relative position in its
    document, documents one above another (as NLTK's and quanteda's).

    Every document of the concordance's corpus is a row, those without hits as empty rows,
    ordered by ``by`` (ties by document id) or in corpus order.  When there are more than
    ``limit`` documents the first ``limit`` in that order are shown and the title says so
    (e.g. "first 40 of 371 documents by year").

    Parameters
    ----------
    concordance : Concordance
        From :func:`toolkit.kwic`; several patterns get several colours.
    by : str, optional
        {params.by}
        Here one column, which orders and labels the documents (e.g. ``"year"``) rather
        than grouping them: rows sharing a value are labelled with the value and the
        document id.  Default: corpus order, labelled by document id.
    limit : int
        Documents (rows) shown at most, 1 or more (default 40).  Replaces ``max_docs``
        (deprecated).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Colours of the patterns (default: :func:`group_colors` of the patterns).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        The concordance has no hits.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("country == 'PRK' and year >= 2010")
    >>> ax = tk.plot_dispersion(tk.kwic(c, ["nuclear", "sanctions"]), by="year")
    """
    _check_ax(ax)
    if not isinstance(concordance, Concordance):
        raise ParameterError(
            "concordance", type(concordance).__name__, "plot_dispersion takes a tk.kwic result"
        )
    conc = concordance
    patterns = [conc.pattern] if isinstance(conc.pattern, str) else [str(p) for p in conc.pattern]
    view = conc.view
    doc_ids = [str(d) for d in view.doc_ids]
    if len(conc) == 0:
        raise EmptyResultError(
            f"no hits for {', '.join(map(repr, patterns))} in {len(doc_ids)} documents: "
            "nothing to plot"
        )
    limit = _check_count("limit", limit)
    meta = conc.corpus.meta
    order = pd.DataFrame({"doc_id": doc_ids})
    if by is not None:
        _need_columns(meta, "by", [by])
        key = meta.loc[list(view.doc_ids), by] if len(meta) != len(doc_ids) else meta[by]
        order["key"] = key.to_numpy()
        order = order.sort_values(
            ["key", "doc_id"],
            kind="stable",
            na_position="last",
            key=lambda col: col.map(_natural_key) if col.name == "doc_id" else col,
        )
    order = order.reset_index(drop=True)
    total = len(order)
    rows = order.iloc[:limit]
    ypos = {d: i for i, d in enumerate(rows["doc_id"])}
    df = conc.to_frame()
    lengths = pd.Series(view.doc_lengths, index=doc_ids)
    df["doc_id"] = df["doc_id"].astype(str)
    groups = _groups(palette, patterns, n=min(len(patterns), len(TOL_MUTED)))
    height = min(_MAX_FIG_INCHES, max(2.5, 0.25 * len(rows) + 1.6))
    ax = _ax(ax, (9, height))
    box_in = _root(ax).get_size_inches()[1] * ax.get_position().height
    row_pt = box_in * 72 / max(len(rows), 1)
    size = min(12.0, max(3.0, 0.8 * row_pt)) ** 2
    which = np.asarray(conc.which)
    handles = []
    shown_hits = 0
    for k, pat in enumerate(patterns):
        sel = df[(which == k) & df["doc_id"].isin(ypos).to_numpy()]
        shown_hits += len(sel)
        x = sel["start"].to_numpy() / lengths.loc[sel["doc_id"]].to_numpy()
        color = groups.color(pat)
        ax.scatter(x, sel["doc_id"].map(ypos), marker="|", s=size, color=color, linewidths=1.5)
        if str(pat) in groups.shown:
            handles.append(Line2D([], [], marker="|", ls="", ms=10, mew=2, color=color, label=pat))
    if groups.pooled:
        handles.append(
            Line2D(
                [],
                [],
                marker="|",
                ls="",
                ms=10,
                mew=2,
                color=to_rgb(OTHER_GREY),
                label=f"{groups.other} ({len(groups.pooled)} more patterns)",
            )
        )
    if by is None:
        labels = list(rows["doc_id"])
    else:
        keys = [str(v) for v in rows["key"]]
        dup = pd.Series(keys).duplicated(keep=False).to_numpy()
        labels = [
            f"{k}  {d}" if t else k for k, d, t in zip(keys, rows["doc_id"], dup, strict=True)
        ]
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("relative position in document")
    ax.set_ylabel("" if by is None else by)
    without = sum(1 for d in rows["doc_id"] if d not in set(df["doc_id"]))
    how = "in corpus order" if by is None else f"by {by}"
    count = f"first {len(rows)} of {total}" if len(rows) < total else f"{total}"
    note = f"{count} documents {how}"
    if without:
        note += f"; {without} without hits (empty rows)"
    ax.set_title("Dispersion of " + ", ".join(repr(p) for p in patterns) + "\n" + note)
    _thin_labels(ax, "y", len(rows))
    if len(handles) > 1:
        _legend(ax, handles)
    return ax


# ----------------------------------------------------------------------------- lines over time
def _lines(
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None,
    ax: Axes | None,
    palette: Any,
    incomplete: Any,
    periods: pd.DataFrame | None,
    figsize: tuple[float, float],
    kwargs: dict[str, Any],
    band: tuple[str, str] | None = None,
) -> Axes:
    """Lines per group (top groups + pooled other), incomplete periods marked."""
    for parameter, column in (("x", x), ("y", y), ("hue", hue)):
        _need_columns(data, parameter, [column])
    values = pd.to_numeric(data[y], errors="coerce")
    if values.notna().sum() == 0:
        raise EmptyResultError(
            f"no values of {y!r} to plot ({len(data)} rows, all missing)"
            if len(data)
            else "the table is empty: nothing to plot"
        )
    inc = _incomplete_values(data, x, incomplete, periods)
    handles: list[Any] = []
    if hue is not None:
        groups = _groups(palette, data[hue])
        d, other_label = _pool(data, x, y, hue, groups)
        order = [g for g in groups.shown if g in set(d[hue])]
        if other_label:
            order.append(groups.other)
        colors = {g: groups.color(g) for g in order}
    else:
        d, order, colors, other_label = data, [], {}, ""
    ax = _ax(ax, figsize)
    if band is not None and hue is not None:
        low, high = band
        for g in order:
            part = d[d[hue] == g].sort_values(x)
            ax.plot(part[x], part[y], color=colors[g], marker="o", markersize=3, **kwargs)
            if low in part.columns:
                ax.fill_between(
                    part[x], part[low], part[high], color=colors[g], alpha=0.2, linewidth=0
                )
    elif band is not None:
        low, high = band
        part = d.sort_values(x)
        (line,) = ax.plot(part[x], part[y], marker="o", markersize=3, **kwargs)
        ax.fill_between(part[x], part[low], part[high], color=line.get_color(), alpha=0.2, lw=0)
    else:
        kwargs = dict(kwargs)
        kwargs.setdefault("marker", "o")
        sns.lineplot(
            data=d,
            x=x,
            y=y,
            hue=hue,
            hue_order=order or None,
            palette=colors or None,
            ax=ax,
            legend=False,
            **kwargs,
        )
    for g in order:
        label = other_label if g == groups.other and other_label else g
        handles.append(Line2D([], [], color=colors[g], marker="o", label=label))
    if inc:
        first = ax.get_lines()[0].get_color() if ax.get_lines() else "black"
        _mark_incomplete(ax, d, x, y, hue, lambda g: colors.get(g, first), inc)
        handles.append(_incomplete_handle())
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    if pd.api.types.is_numeric_dtype(d[x]):
        integer = pd.api.types.is_integer_dtype(d[x])
        ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", integer=integer))
    else:
        _thin_labels(ax, "x", d[x].nunique())
    _legend(ax, handles, title=hue)
    return ax


def plot_trend(
    data: pd.DataFrame,
    x: str = "year",
    y: str = "per_million",
    hue: str | None = None,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | str | Sequence[Any] | None = None,
    incomplete: Sequence[Any] | pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
    **kwargs: object,
) -> Axes:
    """Lines of a rate over time (e.g. ``conc.counts(by=["year", "country"])``).

    With ``hue``, the groups coloured by ``palette`` get a line each and every other group
    is pooled into one grey line, named in the legend ("other (192 more, pooled)"): a rate
    ``per_million`` or ``per_thousand`` is recomputed from the summed ``count`` and
    ``words`` (word tokens) when the table has them, as the tables of ``Concordance.counts``
    and ``dictionary_counts`` do; otherwise the pooled line is the mean of the groups'
    values.  Incomplete periods (a period the corpus covers only in
    part, e.g. a decade with three of its ten years) are drawn with hollow markers and
    dashed segments, with a legend entry "incomplete period".

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy table with the columns named by ``x``, ``y`` and ``hue``; a boolean column
        ``complete`` marks incomplete periods.
    x, y : str
        Columns along the axes (default ``year`` and ``per_million``).
    hue : str, optional
        A column whose groups get one line each.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Group colours from :func:`group_colors` (e.g. of ``corpus.meta["country"]``, so
        that every figure colours a country the same way); groups it greys, or lacks, are
        pooled.  Default: :func:`group_colors` of ``data[hue]`` (8 groups coloured).  A
        seaborn palette name or a list of colours colours the largest groups in order.
    incomplete : list or DataFrame, optional
        Incomplete periods: labels among the values of ``x``, or a table with a boolean
        column ``complete`` and the period in ``period`` (or ``x``, or ``start``), one row
        per period (e.g. from ``tk.time_periods``).
    periods : DataFrame, optional
        Such a table of periods (the same as giving it as ``incomplete``).
    **kwargs
        Passed to :func:`seaborn.lineplot` (e.g. ``errorbar``, ``linewidth``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        The table has no value of ``y``.

    Examples
    --------
    >>> import toolkit as tk
    >>> counts = tk.kwic(tk.load_sample(), "nuclear").counts(by=["year", "country"])
    >>> ax = tk.plot_trend(counts, hue="country")
    >>> decades = tk.kwic(tk.load_sample().assign(decade=lambda m: m["year"] // 10 * 10),
    ...                   "nuclear").counts(by=["decade"])
    >>> ax = tk.plot_trend(decades, x="decade", incomplete=[2020])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['incomplete period']
    """
    _check_ax(ax)
    order: Any = kwargs.pop("hue_order", None)
    if order is not None and palette is None:  # an order given to seaborn before palette=
        palette = {
            str(g): TOL_MUTED[i] if i < len(TOL_MUTED) else OTHER_GREY for i, g in enumerate(order)
        }
    return _lines(data, x, y, hue, ax, palette, incomplete, periods, (9, 4.5), dict(kwargs))


# ----------------------------------------------------------------------------- topics
def plot_topic_terms(
    terms: pd.DataFrame,
    ncols: int = 4,
    sharex: bool = False,
    ax: Figure | SubFigure | Axes | Sequence[Axes] | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Figure:
    """A grid of bar charts: the top terms of each topic (from ``model.topic_terms()``).

    Parameters
    ----------
    terms : pandas.DataFrame
        ``TopicModel.topic_terms()``: columns ``topic``, ``term``, ``weight`` (and
        ``rank``, the order within a topic).
    ncols : int
        Charts per row (1 or more).
    sharex : bool
        One weight scale for all topics.
    ax : Figure, SubFigure or sequence of Axes, optional
        Where to draw: a (sub)figure gets the grid of charts, a sequence of Axes one chart
        per topic (at least as many Axes as topics).  Default: a new figure.
    palette : dict, optional
        Bar colours keyed by topic label (default: :func:`group_colors` of the topic
        labels; with more than 9 topics one colour for all).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    EmptyResultError
        The table has no terms.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import toolkit as tk
    >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1)
    >>> fig = tk.plot_topic_terms(model.topic_terms(8))
    >>> fig, axes = plt.subplots(1, 4)
    >>> tk.plot_topic_terms(model.topic_terms(5), ax=axes) is fig
    True
    """
    _check_ax(ax, figures=True)
    _need_columns(terms, "terms", ["topic", "term", "weight"])
    ncols = _check_count("ncols", ncols, 1)
    if terms.empty:
        raise EmptyResultError("no topic terms: the table is empty, nothing to plot")
    topics = list(dict.fromkeys(terms["topic"]))
    nrows = math.ceil(len(topics) / ncols)
    cols = min(ncols, len(topics))
    per_topic = int(terms.groupby("topic", sort=False).size().max())
    if ax is None:
        fig, grid = plt.subplots(
            nrows,
            cols,
            squeeze=False,
            sharex=sharex,
            figsize=(3.2 * cols, 0.28 * per_topic * nrows + 1.2 * nrows),
            layout="constrained",
        )
        axes = list(grid.flat)
    elif isinstance(ax, Figure | SubFigure):
        axes = list(ax.subplots(nrows, cols, squeeze=False, sharex=sharex).flat)
    else:
        axes = [ax] if isinstance(ax, Axes) else list(ax)
        if not all(isinstance(a, Axes) for a in axes):
            raise ParameterError("ax", ax, "ax= takes a Figure, a SubFigure or a sequence of Axes")
        if len(axes) < len(topics):
            raise ParameterError(
                "ax",
                f"{len(axes)} Axes",
                f"{len(topics)} topics need {len(topics)} Axes, got {len(axes)}",
            )
        if sharex:
            for a in axes[1 : len(topics)]:
                a.sharex(axes[0])
    fig = axes[0].get_figure(root=True)
    groups = _groups(palette, [str(t) for t in topics], n=min(len(topics), len(TOL_MUTED)))
    color_of: Any = groups.color
    if palette is None and len(topics) > len(TOL_MUTED):
        # more topics than colours: one colour, so that no topic looks pooled (each chart
        # is titled with its topic)
        color_of = _one_colour
    for a, topic in zip(axes, topics, strict=False):
        t = terms[terms["topic"] == topic]
        if "rank" in t.columns:
            t = t.sort_values("rank")
        a.barh(t["term"].astype(str), t["weight"], color=color_of(topic))
        a.invert_yaxis()
        a.set_title(str(topic), fontsize=11)
        a.set_xlabel("probability in topic")
        a.xaxis.set_major_locator(MaxNLocator(3))
        a.tick_params(axis="x", labelsize=8)
    for a in axes[len(topics) :]:
        a.set_visible(False)
    return fig


def plot_coherence(sweep: pd.DataFrame, measure: str | None = None, ax: Axes | None = None) -> Axes:
    """Coherence against the number of topics (from :func:`toolkit.sweep_topics`).

    Parameters
    ----------
    sweep : pandas.DataFrame
        A column ``k`` and one column per coherence measure (a column ``<measure>_se``, as
        :func:`toolkit.sweep_topics` gives, is drawn as error bars, not as a measure).
    measure : str, optional
        The measure to plot (default: the first measure column).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        The sweep has no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> sweep = pd.DataFrame({"k": [5, 10, 15], "c_v": [0.41, 0.46, 0.44]})
    >>> tk.plot_coherence(sweep).get_ylabel()
    'coherence (c_v)'
    """
    _check_ax(ax)
    measures = [c for c in sweep.columns if c not in ("k", "seconds") and not c.endswith("_se")]
    if "k" not in sweep.columns or not measures:
        raise ParameterError(
            "sweep", list(sweep.columns), "needs a column 'k' and a coherence column"
        )
    if measure is not None and measure not in measures:
        raise ParameterError("measure", measure, valid=measures)
    measure = measure or measures[0]
    if sweep[measure].notna().sum() == 0:
        raise EmptyResultError(f"no coherence values ({measure}) in the sweep: nothing to plot")
    ax = _ax(ax, (6, 4))
    se = f"{measure}_se"
    if se in sweep.columns and sweep[se].notna().any():
        # the standard error of the mean over topics (from sweep_topics), as error bars
        ax.errorbar(sweep["k"], sweep[measure], yerr=sweep[se], marker="o", capsize=3)
    else:
        ax.plot(sweep["k"], sweep[measure], marker="o")
    ax.set_xlabel("number of topics k")
    ax.set_ylabel(f"coherence ({measure})")
    ax.set_xticks(sweep["k"])
    ax.set_title("Choosing k: topic coherence")
    return ax


def _heatmap(table: pd.DataFrame, ax: Axes | None, label: str, xlabel: str, ylabel: str) -> Axes:
    """A heatmap sized to its cells; numbers only in cells large enough to read them."""
    r, c = table.shape
    cell_h = min(0.45, max(0.16, 9 / r))
    cell_w = min(0.7, max(0.12, 12 / c))
    longest = max((len(str(v)) for v in table.index), default=4)
    ax = _ax(ax, (c * cell_w + 2.5 + min(longest, 40) * 0.07, r * cell_h + 2.2))
    fig = _root(ax)
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    cw = pos.width * w_in * 0.8 / c  # inches per cell, the colour bar taking a fifth
    ch = pos.height * h_in / r
    annot = bool(cw >= 0.42 and ch >= 0.22)
    sns.heatmap(
        table,
        ax=ax,
        cmap="rocket_r",
        cbar_kws={"label": label},
        annot=annot,
        fmt=".2f",
        annot_kws={"fontsize": 8},
        xticklabels="auto",
        yticklabels="auto",
    )
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    if labels:
        points = float(labels[0].get_fontsize())
        longest = max(len(t.get_text()) for t in labels)
        per_label = cw * c / len(labels)  # inches between shown labels
        upright = all(t.get_rotation() == 0 for t in labels)
        if upright and longest * 0.6 * points / 72 > 0.9 * per_label:  # they would collide
            for t in labels:
                t.set_rotation(90)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_prevalence(
    prevalence: pd.DataFrame,
    x: str = "year",
    kind: str = "auto",
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
    limit: int | None = None,
    incomplete: Sequence[Any] | pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
) -> Axes:
    """Topic prevalence over a metadata column: lines, or a heatmap for many topics or for
    a categorical column (from ``model.prevalence(by=...)``).

    A heatmap is sized to its cells, with the numbers written in only when the cells are
    large enough to read them.  Many groups of a categorical column (say 200 countries)
    are drawn as rows (the long axis vertical), at most ``limit`` of them; the rest are
    pooled into one row "other" (their mean shares) and the axis label says how many were
    shown and how they were chosen: in the order of ``palette`` (``tk.group_colors(
    corpus.meta[x])`` ranks groups by their number of documents), else by a column
    ``n_docs`` or ``documents`` of the table, else by name.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        Columns ``topic``, ``share`` and ``x`` (``TopicModel.prevalence(by=x)``).
    x : str
        The metadata column along the horizontal axis.
    kind : {"auto", "lines", "heatmap"}
        ``"auto"`` draws lines for a numeric ``x`` and at most 8 topics, else a heatmap.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Lines: topic colours (default :func:`group_colors` of the topics).  Heatmap: a
        ranking of the groups of ``x`` (e.g. ``tk.group_colors(corpus.meta["country"])``).
    limit : int, optional
        Heatmap rows shown at most (default 40): groups as above, or topics (those with
        the largest total share; the rest summed into one row "other").
    incomplete, periods : optional
        Incomplete periods of a numeric ``x``, drawn hollow and dashed (see
        :func:`plot_trend`).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        The table has no shares.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> prev = pd.DataFrame({"topic": ["a", "b", "a", "b"], "year": [1990, 1990, 2000, 2000],
    ...                      "share": [0.7, 0.3, 0.4, 0.6]})
    >>> tk.plot_prevalence(prev, x="year").get_ylabel()
    'mean topic share'
    """
    _check_ax(ax)
    if kind not in ("auto", "lines", "heatmap"):
        raise ParameterError("kind", kind, valid=["auto", "lines", "heatmap"])
    _need_columns(prevalence, "x", [x])
    _need_columns(prevalence, "prevalence", ["topic", "share"])
    limit = _check_count("limit", MAX_ROWS if limit is None else limit, 2)
    if prevalence["share"].notna().sum() == 0:
        raise EmptyResultError(
            "no topic shares to plot: the prevalence table is empty"
            if prevalence.empty
            else "no topic shares to plot: every share is missing"
        )
    n_topics = prevalence["topic"].nunique()
    numeric = pd.api.types.is_numeric_dtype(prevalence[x])
    if kind == "auto":
        kind = "lines" if numeric and n_topics <= 8 else "heatmap"
    if kind == "lines":
        ax = _lines(prevalence, x, "share", "topic", ax, palette, incomplete, periods, (9, 4.5), {})
        ax.set_xlabel(x.replace("_", " "))
        ax.set_ylabel("mean topic share")
        return ax
    table = prevalence.pivot_table(index="topic", columns=x, values="share", sort=False)
    if numeric:
        table = table.sort_index(axis=1)
    xlabel, ylabel = x, ""
    if not numeric and table.shape[1] > 20:
        table = table.T  # groups as rows: the long axis vertical
        table.index = table.index.astype(str)
        xlabel, ylabel = "", x
        if len(table) > limit:
            names = list(table.index)
            count_col = next((c for c in ("n_docs", "documents") if c in prevalence), None)
            if palette is not None:
                ranked = [str(g) for g in palette if str(g) in set(names)]
                ranked += sorted(set(names) - set(ranked), key=_natural_key)
                how = "in the palette's order"
            elif count_col is not None:
                counts = prevalence.groupby(x)[count_col].max()
                counts.index = counts.index.astype(str)
                ranked = sorted(names, key=lambda g: (-counts.get(g, 0), _natural_key(g)))
                how = f"most {count_col.replace('_', ' ')}"
            else:
                ranked = sorted(names, key=_natural_key)
                how = "first by name"
            keep, rest = ranked[: limit - 1], ranked[limit - 1 :]
            other = str(getattr(palette, "other", "other"))
            pooled = table.loc[rest].mean().rename(f"{other} (mean of {len(rest)})")
            table = pd.concat([table.loc[keep], pooled.to_frame().T])
            ylabel = f"{x}: {len(keep)} of {len(names)} ({how}); other: mean of {len(rest)}"
    elif len(table) > limit:  # topics as rows: the largest by their total share
        total = table.sum(axis=1)
        ranked = sorted(table.index, key=lambda t: (-total[t], _natural_key(str(t))))
        keep, rest = ranked[: limit - 1], ranked[limit - 1 :]
        pooled = table.loc[rest].sum().rename(f"other (sum of {len(rest)})")
        table = pd.concat([table.loc[keep], pooled.to_frame().T])
        ylabel = (
            f"topic: {len(keep)} of {len(ranked)} (largest total share); other: sum of {len(rest)}"
        )
    ax = _heatmap(table, ax, "mean topic share", xlabel, ylabel)
    if ylabel.startswith((f"{x}:", "topic:")):
        ax.axhline(len(table) - 1, color="white", linewidth=3)  # the pooled row apart
        ax.set_title(f"Topic prevalence: {ylabel}", fontsize=10)
    return ax


def plot_doc_topics(
    shares: pd.Series, ax: Axes | None = None, palette: Mapping[str, Any] | None = None
) -> Axes:
    """One document's topic mix as horizontal bars (a row of ``model.doc_topics()``).

    Parameters
    ----------
    shares : pandas.Series
        Topic shares of one document, indexed by topic; its name titles the figure.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Bar colours keyed by topic (as given to :func:`plot_topic_terms`); default one
        colour for all.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        No shares.
    ParameterTypeError
        ``shares`` is not a Series (say the whole ``model.doc_topics()`` table: pick one
        row with ``.loc[doc_id]``), or ``ax`` is not an Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> import toolkit as tk
    >>> shares = pd.Series({"security": 0.6, "economy": 0.4}, name="USA_45_1990")
    >>> tk.plot_doc_topics(shares).get_title()
    'Topic mix of USA_45_1990'
    """
    _check_ax(ax)
    if not isinstance(shares, pd.Series):
        if isinstance(shares, pd.DataFrame):
            got = f"a DataFrame of {len(shares)} rows — pick one with .loc[doc_id]"
        else:
            got = f"a {type(shares).__name__}"
        raise ParameterTypeError(
            "shares",
            type(shares).__name__,
            f"shares must be one row of model.doc_topics(): a Series; got {got}",
        )
    if len(shares) == 0 or shares.notna().sum() == 0:
        raise EmptyResultError(f"no topic shares for {shares.name!r}: nothing to plot")
    ax = _ax(ax, (6, _bar_rows(len(shares)) - 0.2))
    s = shares.sort_values()
    if palette is None:
        colors: Any = sns.color_palette("colorblind")[0]
    else:
        groups = _groups(palette, [str(i) for i in s.index])
        colors = [groups.color(i) for i in s.index]
    ax.barh([str(i) for i in s.index], s.to_numpy(), color=colors)
    ax.set_xlabel("topic share")
    ax.set_title(f"Topic mix of {shares.name}")
    _thin_labels(ax, "y", len(s))
    return ax


# ----------------------------------------------------------------------------- embeddings
def plot_neighbours(
    trajectory: pd.DataFrame,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Axes:
    """A word's path through its neighbours across periods, as in HistWords (Hamilton,
    Leskovec & Jurafsky 2016): the word's aligned position in each period (bold, joined by
    arrows in time order) among its nearest neighbours of that period (coloured by period).

    Labels that would overlap are moved apart.

    Parameters
    ----------
    trajectory : DataFrame
        From :meth:`toolkit.PeriodEmbeddings.trajectory` (``period``, ``word``, ``kind``,
        ``x``, ``y``).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Period colours (default: :func:`group_colors` of the periods, in their order);
        periods it greys are drawn grey and named together in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        The trajectory has no position of the word.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("year >= 1980")
    >>> pe = tk.fit_period_embeddings(c, by="decade", vector_size=20, epochs=1, progress=False)
    >>> ax = tk.plot_neighbours(pe.trajectory("security", n=4))
    """
    _check_ax(ax)
    _need_columns(trajectory, "trajectory", ["period", "word", "kind", "x", "y"])
    path = trajectory[trajectory["kind"] == "term"]
    if path.empty:
        raise EmptyResultError(
            "no positions of the word in the trajectory (no row of kind 'term'): nothing to plot"
        )
    periods = [str(p) for p in dict.fromkeys(trajectory["period"])]
    groups = _groups(palette, periods, n=min(len(periods), len(TOL_MUTED)))
    ax = _ax(ax, (10, 7))
    near = trajectory[trajectory["kind"] == "neighbour"]
    texts = []
    r: Any
    for r in near.itertuples():
        color = groups.color(r.period)
        ax.scatter(r.x, r.y, color=color, s=25, alpha=0.8)
        texts.append(
            ax.annotate(
                str(r.word),
                (r.x, r.y),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=9,
                color=color,
            )
        )
    xs, ys = path["x"].to_numpy(), path["y"].to_numpy()
    for i in range(len(path) - 1):
        ax.annotate(
            "",
            xy=(xs[i + 1], ys[i + 1]),
            xytext=(xs[i], ys[i]),
            arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5},
        )
    bold = []
    for r in path.itertuples():
        ax.scatter(r.x, r.y, color=groups.color(r.period), s=120, ec="black", zorder=3)
        bold.append(
            ax.annotate(
                f"{r.word} ({r.period})",
                (r.x, r.y),
                xytext=(6, -12),
                textcoords="offset points",
                fontsize=11,
                fontweight="bold",
            )
        )
    ax.margins(0.1)
    ax.set_xticks([])
    ax.set_yticks([])
    term = path["word"].iloc[0]
    ax.set_title(f"Neighbours of {term!r} by period (aligned space, first two principal axes)")
    handles = [
        Line2D([], [], marker="o", linestyle="", color=groups.color(p), label=p)
        for p in periods
        if p in groups.shown
    ]
    if groups.pooled:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=groups.color(groups.other),
                label=f"{groups.other} ({len(groups.pooled)} more periods)",
            )
        )
    _legend(ax, handles, title="period")
    _declutter(ax, [*bold, *texts])
    return ax


def plot_change(
    change: pd.DataFrame,
    n: int = 20,
    measure: str = "cosine_distance",
    ax: Axes | None = None,
    palette: Mapping[str, Any] | None = None,
) -> Axes:
    """The most changed words as bars, with the interval over runs when there is one.

    Parameters
    ----------
    change : DataFrame
        From :meth:`toolkit.PeriodEmbeddings.change` or ``most_changed`` (one pair of
        periods; several pairs are labelled ``word (from→to)`` and coloured by pair).
    n : int
        Bars shown (the largest values of ``measure``; 1 to 40).
    measure : str
        ``"cosine_distance"`` or ``"neighbourhood_distance"``.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Colours of the pairs of periods, keyed ``"from→to"`` (default: :func:`group_colors`
        of the pairs).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        No word has a value of ``measure``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("year >= 1980")
    >>> pe = tk.fit_period_embeddings(c, by="decade", vector_size=20, epochs=1, progress=False)
    >>> ax = tk.plot_change(pe.most_changed(10, min_count=50))
    """
    _check_ax(ax)
    _need_columns(change, "measure", [measure])
    _need_columns(change, "change", ["term", "period_from", "period_to"])
    n = _check_count("n", n, 1, MAX_ROWS)
    scored = change.assign(**{measure: pd.to_numeric(change[measure], errors="coerce")})
    top = scored[scored[measure].notna()].nlargest(n, measure).iloc[::-1]
    if top.empty:
        raise EmptyResultError(f"no words with a {measure.replace('_', ' ')}: nothing to plot")
    pair = top["period_from"].astype(str) + "→" + top["period_to"].astype(str)
    pairs = list(dict.fromkeys(pair[::-1]))
    labels = top["term"].astype(str)
    if len(pairs) > 1:
        labels = labels + " (" + pair + ")"
    ax = _ax(ax, (7, _bar_rows(len(top))))
    y = np.arange(len(top))
    err = None
    if f"{measure}_low" in top.columns:
        err = np.vstack(
            [
                (top[measure] - top[f"{measure}_low"]).clip(lower=0),
                (top[f"{measure}_high"] - top[measure]).clip(lower=0),
            ]
        )
    groups = _groups(palette, pairs, n=min(len(pairs), len(TOL_MUTED)))
    colors = [groups.color(p) for p in pair]
    ax.barh(y, top[measure], xerr=err, color=colors, capsize=2)
    ax.set_yticks(y, labels)
    note = " (lines: interval over runs)" if err is not None else ""
    ax.set_xlabel(measure.replace("_", " ") + note)
    if len(pairs) == 1:
        a, b = top[["period_from", "period_to"]].iloc[0]
        ax.set_title(f"Most changed words, {a} → {b}")
    else:
        ax.set_title("Most changed words")
        handles = [Patch(color=groups.color(p), label=p) for p in pairs if p in groups.shown]
        if groups.pooled:
            handles.append(
                Patch(
                    color=groups.color(groups.other),
                    label=f"{groups.other} ({len(groups.pooled)} more pairs)",
                )
            )
        _legend(ax, handles, title="periods")
    return ax


def plot_scores(
    scores: pd.DataFrame,
    x: str = "year",
    y: str = "score",
    hue: str | None = None,
    ax: Axes | None = None,
    palette: Mapping[str, Any] | str | Sequence[Any] | None = None,
    incomplete: Sequence[Any] | pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
    **kwargs: object,
) -> Axes:
    """A score over time by group, with its uncertainty band.

    With ``{y}_low`` and ``{y}_high`` columns (``embedding_scores(..., by=..., bootstrap=...)``)
    the band is that interval; otherwise several rows per point (documents, sentences or
    runs) are averaged and the band is seaborn's 95% bootstrap interval of the mean.  The
    groups coloured by ``palette`` get a line each; the others are pooled into one grey line
    (the mean of their scores, without band), named in the legend.  Incomplete periods are
    drawn hollow and dashed (see :func:`plot_trend`).

    Parameters
    ----------
    scores : DataFrame
        From :func:`toolkit.embedding_scores` (or any tidy table).
    x, y, hue : str
        Columns for the time axis, the score and the groups.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    palette : dict, optional
        Group colours from :func:`group_colors` (default: of ``scores[hue]``).
    incomplete, periods : optional
        Incomplete periods (see :func:`plot_trend`).
    **kwargs
        Passed to the line drawing (:meth:`~matplotlib.axes.Axes.plot`, or
        :func:`seaborn.lineplot` without an interval).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    EmptyResultError
        No score to plot.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> emb = tk.fit_embeddings(c, vector_size=20, epochs=1, progress=False)
    >>> s = tk.embedding_scores(c, emb, {"war": ["war"], "peace": ["peace"]},
    ...                         measure="difference", by=["year", "country"], bootstrap=20)
    >>> ax = tk.plot_scores(s, hue="country")
    """
    _check_ax(ax)
    low, high = f"{y}_low", f"{y}_high"
    band = (low, high) if low in scores.columns and high in scores.columns else None
    if band is None:
        kwargs.setdefault("errorbar", ("ci", 95))
    return _lines(
        scores, x, y, hue, ax, palette, incomplete, periods, (10, 4.5), dict(kwargs), band
    )
