"""Figures drawn from toolkit results (matplotlib/seaborn).  Nothing here computes a
statistic: each function takes a result table (or a :class:`~toolkit.Concordance`),
accepts ``ax=`` and returns the Axes it drew on."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ._plotnames import PLOT_FUNCTIONS
from .errors import ParameterError
from .kwic import Concordance

__all__ = list(PLOT_FUNCTIONS)


def set_theme() -> None:
    """The seaborn theme every figure of the toolkit's notebooks uses.

    seaborn's ``"notebook"`` context, white grid and colour-blind palette.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.set_theme()
    """
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")


def _ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_keyness(
    keywords: pd.DataFrame,
    n: int = 15,
    measure: str = "ll",
    labels: Sequence[str] = ("target", "reference"),
    ax: Axes | None = None,
) -> Axes:
    """Diverging bars: the ``n`` most over-used terms of the target and of the reference.

    Parameters
    ----------
    keywords : DataFrame
        The result of :func:`toolkit.keyness`.
    n : int
        Terms shown on each side.
    measure : str
        Column for bar length (``"ll"`` or ``"log_ratio"``, …).
    labels : (str, str)
        Names of the target and reference corpora, for the legend.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> k = tk.keyness(c, by="country", target="RUS", reference="USA")
    >>> ax = tk.plot_keyness(k, labels=("Russia/USSR", "USA"))
    """
    if measure not in keywords.columns:
        raise KeyError(f"no column {measure!r} in the keyness table")
    top = keywords.nlargest(n, measure)
    top = top[top[measure] > 0]
    bottom = keywords.nsmallest(n, measure)
    bottom = bottom[bottom[measure] < 0]
    data = pd.concat([top, bottom.iloc[::-1]])
    ax = _ax(ax, (8, max(4, 0.28 * len(data) + 1)))
    colors = sns.color_palette("colorblind", 2)
    y = np.arange(len(data))
    ax.barh(y, data[measure], color=[colors[0] if v > 0 else colors[1] for v in data[measure]])
    ax.set_yticks(y, data["term"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    name = {"ll": "log-likelihood G² (signed)", "log_ratio": "log ratio (binary log)"}
    ax.set_xlabel(name.get(measure, measure))
    ax.set_ylabel("")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=colors[0], label=f"more in {labels[0]}"),
            Patch(color=colors[1], label=f"more in {labels[1]}"),
        ],
        loc="lower right",
    )
    ax.set_title(f"Keywords: {labels[0]} vs {labels[1]}")
    return ax


def plot_collocates(
    collocates: pd.DataFrame | dict[str, pd.DataFrame],
    measure: str = "log_dice",
    n: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Collocation network (as LancsBox's GraphColl): the node in the centre, its collocates
    around it, nearer the stronger the association; several nodes share collocates.

    Parameters
    ----------
    collocates : DataFrame or dict of str to DataFrame
        Result(s) of :func:`toolkit.collocates`; a dict maps each node's label to its table.
    measure : str
        Association measure for distance and edge width.
    n : int
        Collocates per node.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> ax = tk.plot_collocates(tk.collocates(c, "alliance*", stopwords=tk.stopwords()))
    """
    import networkx as nx

    tables = (
        collocates
        if isinstance(collocates, dict)
        else {str(collocates.attrs.get("node", "node")): collocates}
    )
    g = nx.Graph()
    for node, table in tables.items():
        if measure not in table.columns:
            raise KeyError(f"no column {measure!r} in the collocates of {node!r}")
        g.add_node(node, kind="node")
        top = table.nlargest(n, measure)
        lo, hi = top[measure].min(), top[measure].max()
        for r in top.itertuples():
            if r.term == node:  # a node can be its own collocate; no loop drawn
                continue
            strength = 1.0 if hi == lo else (getattr(r, measure) - lo) / (hi - lo)
            if r.term not in g:
                g.add_node(r.term, kind="collocate")
            # shorter edges for stronger association
            g.add_edge(node, r.term, weight=0.3 + strength, length=1.5 - strength)
    nodes = list(tables)
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
    colors = sns.color_palette("colorblind", 2)
    kinds = nx.get_node_attributes(g, "kind")
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        nodelist=[v for v in g if kinds[v] == "node"],
        node_color=[colors[1]],
        node_size=900,
    )
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        nodelist=[v for v in g if kinds[v] != "node"],
        node_color=[colors[0]],
        node_size=250,
        alpha=0.8,
    )
    # node words on their circles; collocates labelled just above theirs, so no label
    # hides a node
    nx.draw_networkx_labels(
        g,
        pos,
        ax=ax,
        labels={v: v for v in g if kinds[v] == "node"},
        font_size=11,
        font_weight="bold",
    )
    spread = np.ptp(np.array(list(pos.values()))[:, 1]) or 1.0
    above = {v: (x, y + 0.035 * spread) for v, (x, y) in pos.items()}
    nx.draw_networkx_labels(
        g,
        above,
        ax=ax,
        labels={v: v for v in g if kinds[v] != "node"},
        font_size=9,
        verticalalignment="bottom",
    )
    ax.set_axis_off()
    ax.set_title(f"Collocates of {', '.join(map(str, nodes))} (closer = higher {measure})")
    return ax


def plot_dispersion(
    concordance: Concordance,
    by: str | None = None,
    max_docs: int = 40,
    ax: Axes | None = None,
) -> Axes:
    """Dispersion ("x-ray") plot: each hit as a tick at its relative position in its
    document, documents one above another (as NLTK's and quanteda's).

    Parameters
    ----------
    concordance : Concordance
        From :func:`toolkit.kwic`; several patterns get several colours.
    by : str, optional
        Metadata column to label documents with (default: the document id).
    max_docs : int
        Show at most this many documents (those with most hits, in corpus order).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("country == 'PRK' and year >= 2010")
    >>> ax = tk.plot_dispersion(tk.kwic(c, ["nuclear", "sanctions"]))
    """
    conc = concordance
    df = conc.to_frame()
    view = conc.view
    lengths = pd.Series(view.doc_lengths, index=view.doc_ids)
    hits = df["doc_id"].value_counts()
    docs = [d for d in view.doc_ids if d in set(hits.nlargest(max_docs).index)]
    ax = _ax(ax, (9, max(2.5, 0.3 * len(docs) + 1)))
    patterns = conc.pattern if not isinstance(conc.pattern, str) else [conc.pattern]
    colors = sns.color_palette("colorblind", len(patterns))
    ypos = {d: i for i, d in enumerate(docs)}
    for k, pat in enumerate(patterns):
        sel = df[(conc.which == k) & df["doc_id"].isin(ypos).to_numpy()]
        x = sel["start"] / lengths.loc[sel["doc_id"]].to_numpy()
        ax.scatter(
            x,
            sel["doc_id"].map(ypos),
            marker="|",
            s=150,
            color=colors[k],
            label=pat,
            linewidths=1.5,
        )
    labels = docs if by is None else [f"{conc.corpus.meta.loc[d, by]}" for d in docs]
    ax.set_yticks(range(len(docs)), labels)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("relative position in document")
    ax.set_title("Dispersion of " + ", ".join(repr(p) for p in patterns))
    if len(patterns) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_trend(
    data: pd.DataFrame,
    x: str = "year",
    y: str = "per_million",
    hue: str | None = None,
    ax: Axes | None = None,
    **kwargs: object,
) -> Axes:
    """Lines of a rate over time (e.g. ``conc.counts(by=["year", "country"])``).

    Parameters
    ----------
    data : pandas.DataFrame
        A tidy table with the columns named by ``x``, ``y`` and ``hue``.
    x, y : str
        Columns along the axes (default ``year`` and ``per_million``).
    hue : str, optional
        A column whose groups get one line each (in sorted order).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.
    **kwargs
        Passed to :func:`seaborn.lineplot` (e.g. ``errorbar``, ``palette``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import toolkit as tk
    >>> counts = tk.kwic(tk.load_sample(), "nuclear").counts(by=["year", "country"])
    >>> ax = tk.plot_trend(counts, hue="country")
    """
    for col in (x, y, hue):
        if col is not None and col not in data.columns:
            raise KeyError(f"no column {col!r}; there are {list(data.columns)}")
    ax = _ax(ax, (9, 4.5))
    if hue is not None:
        kwargs.setdefault("hue_order", sorted(data[hue].dropna().unique()))
    kwargs.setdefault("marker", "o")
    sns.lineplot(data=data, x=x, y=y, hue=hue, ax=ax, **kwargs)
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    if hue is not None:
        ax.legend(title=hue, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_topic_terms(terms: pd.DataFrame, ncols: int = 4, sharex: bool = False):
    """A grid of bar charts: the top terms of each topic (from ``model.topic_terms()``).

    Parameters
    ----------
    terms : pandas.DataFrame
        ``TopicModel.topic_terms()``: columns ``topic``, ``term`` and a weight.
    ncols : int
        Charts per row.
    sharex : bool
        One weight scale for all topics.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (it draws several Axes, so it takes no ``ax``).

    Examples
    --------
    >>> import toolkit as tk
    >>> model = tk.fit_topics(tk.load_sample(), k=4, passes=1)
    >>> fig = tk.plot_topic_terms(model.topic_terms(8))
    """
    topics = list(dict.fromkeys(terms["topic"]))
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = plt.subplots(
        nrows,
        min(ncols, len(topics)),
        squeeze=False,
        sharex=sharex,
        figsize=(3.2 * min(ncols, len(topics)), 0.28 * terms["rank"].max() * nrows + 1.2 * nrows),
    )
    colors = sns.color_palette("colorblind", len(topics))
    for ax, topic, color in zip(axes.flat, topics, colors, strict=False):
        t = terms[terms["topic"] == topic].sort_values("rank")
        ax.barh(t["term"], t["weight"], color=color)
        ax.invert_yaxis()
        ax.set_title(str(topic), fontsize=11)
        ax.set_xlabel("probability in topic")
        ax.xaxis.set_major_locator(MaxNLocator(3))
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(topics) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_coherence(sweep: pd.DataFrame, measure: str | None = None, ax: Axes | None = None) -> Axes:
    """Coherence against the number of topics (from :func:`toolkit.sweep_topics`).

    Parameters
    ----------
    sweep : pandas.DataFrame
        A column ``k`` and one column per coherence measure.
    measure : str, optional
        The measure to plot (default: the first measure column).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import toolkit as tk
    >>> sweep = pd.DataFrame({"k": [5, 10, 15], "c_v": [0.41, 0.46, 0.44]})
    >>> tk.plot_coherence(sweep).get_ylabel()
    'coherence (c_v)'
    """
    measures = [c for c in sweep.columns if c not in ("k", "seconds")]
    if "k" not in sweep.columns or not measures:
        raise ParameterError(
            "sweep", list(sweep.columns), "needs a column 'k' and a coherence column"
        )
    if measure is not None and measure not in measures:
        raise ParameterError("measure", measure, valid=measures)
    measure = measure or measures[0]
    ax = _ax(ax, (6, 4))
    ax.plot(sweep["k"], sweep[measure], marker="o")
    ax.set_xlabel("number of topics k")
    ax.set_ylabel(f"coherence ({measure})")
    ax.set_xticks(sweep["k"])
    ax.set_title("Choosing k: topic coherence")
    return ax


def plot_prevalence(
    prevalence: pd.DataFrame, x: str = "year", kind: str = "auto", ax: Axes | None = None
) -> Axes:
    """Topic prevalence over a metadata column: lines, or a heatmap for many topics or for
    a categorical column (from ``model.prevalence(by=...)``).

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

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import toolkit as tk
    >>> prev = pd.DataFrame({"topic": ["a", "b", "a", "b"], "year": [1990, 1990, 2000, 2000],
    ...                      "share": [0.7, 0.3, 0.4, 0.6]})
    >>> tk.plot_prevalence(prev, x="year").get_ylabel()
    'mean topic share'
    """
    if kind not in ("auto", "lines", "heatmap"):
        raise ParameterError("kind", kind, valid=["auto", "lines", "heatmap"])
    if x not in prevalence.columns:
        raise KeyError(f"no column {x!r}; there are {list(prevalence.columns)}")
    n_topics = prevalence["topic"].nunique()
    numeric = pd.api.types.is_numeric_dtype(prevalence[x])
    if kind == "auto":
        kind = "lines" if numeric and n_topics <= 8 else "heatmap"
    if kind == "lines":
        ax = _ax(ax, (9, 4.5))
        sns.lineplot(data=prevalence, x=x, y="share", hue="topic", ax=ax)
        ax.set_ylabel("mean topic share")
        ax.legend(title="topic", loc="upper left", bbox_to_anchor=(1.01, 1))
        return ax
    table = prevalence.pivot_table(index="topic", columns=x, values="share", sort=False)
    ax = _ax(ax, (max(6, 0.35 * table.shape[1] + 3), 0.45 * table.shape[0] + 1.5))
    sns.heatmap(
        table,
        ax=ax,
        cmap="rocket_r",
        cbar_kws={"label": "mean topic share"},
        annot=table.shape[1] <= 12,
        fmt=".2f",
    )
    ax.set_xlabel(x)
    ax.set_ylabel("")
    return ax


def plot_doc_topics(shares: pd.Series, ax: Axes | None = None) -> Axes:
    """One document's topic mix as horizontal bars (a row of ``model.doc_topics()``).

    Parameters
    ----------
    shares : pandas.Series
        Topic shares of one document, indexed by topic; its name titles the figure.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import toolkit as tk
    >>> shares = pd.Series({"security": 0.6, "economy": 0.4}, name="USA_45_1990")
    >>> tk.plot_doc_topics(shares).get_title()
    'Topic mix of USA_45_1990'
    """
    ax = _ax(ax, (6, 0.35 * len(shares) + 1))
    s = shares.sort_values()
    ax.barh([str(i) for i in s.index], s.to_numpy(), color=sns.color_palette("colorblind")[0])
    ax.set_xlabel("topic share")
    ax.set_title(f"Topic mix of {shares.name}")
    return ax


def plot_neighbours(trajectory: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """A word's path through its neighbours across periods, as in HistWords (Hamilton,
    Leskovec & Jurafsky 2016): the word's aligned position in each period (bold, joined by
    arrows in time order) among its nearest neighbours of that period (coloured by period).

    Parameters
    ----------
    trajectory : DataFrame
        From :meth:`toolkit.PeriodEmbeddings.trajectory` (``period``, ``word``, ``kind``,
        ``x``, ``y``).

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("year >= 1980")
    >>> pe = tk.fit_period_embeddings(c, by="decade", vector_size=20, epochs=1, progress=False)
    >>> ax = tk.plot_neighbours(pe.trajectory("security", n=4))
    """
    for col in ("period", "word", "kind", "x", "y"):
        if col not in trajectory.columns:
            raise KeyError(f"no column {col!r}; give the table of PeriodEmbeddings.trajectory")
    ax = _ax(ax, (9, 7))
    periods = list(dict.fromkeys(trajectory["period"]))
    colors = dict(zip(periods, sns.color_palette("colorblind", len(periods)), strict=True))
    near = trajectory[trajectory["kind"] == "neighbour"]
    for r in near.itertuples():
        ax.scatter(r.x, r.y, color=colors[r.period], s=25, alpha=0.7)
        ax.annotate(
            r.word,
            (r.x, r.y),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=9,
            color=colors[r.period],
        )
    path = trajectory[trajectory["kind"] == "term"]
    xs, ys = path["x"].to_numpy(), path["y"].to_numpy()
    for i in range(len(path) - 1):
        ax.annotate(
            "",
            xy=(xs[i + 1], ys[i + 1]),
            xytext=(xs[i], ys[i]),
            arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5},
        )
    for r in path.itertuples():
        ax.scatter(r.x, r.y, color=colors[r.period], s=120, edgecolor="black", zorder=3)
        ax.annotate(
            f"{r.word} ({r.period})",
            (r.x, r.y),
            xytext=(6, -12),
            textcoords="offset points",
            fontsize=11,
            fontweight="bold",
        )
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", color=colors[p], label=str(p)) for p in periods
    ]
    ax.legend(handles=handles, title="period", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_xticks([])
    ax.set_yticks([])
    term = path["word"].iloc[0] if len(path) else ""
    ax.set_title(f"Neighbours of {term!r} by period (aligned space, first two principal axes)")
    return ax


def plot_change(
    change: pd.DataFrame,
    n: int = 20,
    measure: str = "cosine_distance",
    ax: Axes | None = None,
) -> Axes:
    """The most changed words as bars, with the interval over runs when there is one.

    Parameters
    ----------
    change : DataFrame
        From :meth:`toolkit.PeriodEmbeddings.change` or ``most_changed`` (one pair of
        periods; several pairs are labelled ``word (from→to)``).
    n : int
        Bars shown (the largest values of ``measure``).
    measure : str
        ``"cosine_distance"`` or ``"neighbourhood_distance"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample().query("year >= 1980")
    >>> pe = tk.fit_period_embeddings(c, by="decade", vector_size=20, epochs=1, progress=False)
    >>> ax = tk.plot_change(pe.most_changed(10, min_count=50))
    """
    if measure not in change.columns:
        raise KeyError(f"no column {measure!r}; there are {list(change.columns)}")
    top = change.nlargest(n, measure).iloc[::-1]
    pairs = top[["period_from", "period_to"]].drop_duplicates()
    labels = top["term"].astype(str)
    if len(pairs) > 1:
        labels = labels + " (" + top["period_from"].astype(str) + "→"
        labels = labels + top["period_to"].astype(str) + ")"
    ax = _ax(ax, (7, max(3, 0.3 * len(top) + 1)))
    y = np.arange(len(top))
    err = None
    if f"{measure}_low" in top.columns:
        err = np.vstack(
            [
                (top[measure] - top[f"{measure}_low"]).clip(lower=0),
                (top[f"{measure}_high"] - top[measure]).clip(lower=0),
            ]
        )
    ax.barh(y, top[measure], xerr=err, color=sns.color_palette("colorblind")[0], capsize=2)
    ax.set_yticks(y, labels)
    note = " (lines: interval over runs)" if err is not None else ""
    ax.set_xlabel(measure.replace("_", " ") + note)
    if len(pairs) == 1:
        a, b = pairs.iloc[0]
        ax.set_title(f"Most changed words, {a} → {b}")
    else:
        ax.set_title("Most changed words")
    return ax


def plot_scores(
    scores: pd.DataFrame,
    x: str = "year",
    y: str = "score",
    hue: str | None = None,
    ax: Axes | None = None,
    **kwargs: object,
) -> Axes:
    """A score over time by group, with its uncertainty band.

    With ``{y}_low`` and ``{y}_high`` columns (``embedding_scores(..., by=..., bootstrap=...)``)
    the band is that interval; otherwise several rows per point (documents, sentences or
    runs) are averaged and the band is seaborn's 95% bootstrap interval of the mean.

    Parameters
    ----------
    scores : DataFrame
        From :func:`toolkit.embedding_scores` (or any tidy table).
    x, y, hue : str
        Columns for the time axis, the score and the groups.

    Examples
    --------
    >>> import toolkit as tk
    >>> c = tk.load_sample()
    >>> emb = tk.fit_embeddings(c, vector_size=20, epochs=1, progress=False)
    >>> s = tk.embedding_scores(c, emb, {"war": ["war"], "peace": ["peace"]},
    ...                         measure="difference", by=["year", "country"], bootstrap=20)
    >>> ax = tk.plot_scores(s, hue="country")
    """
    for col in (x, y, hue):
        if col is not None and col not in scores.columns:
            raise KeyError(f"no column {col!r}; there are {list(scores.columns)}")
    ax = _ax(ax, (10, 4.5))
    low, high = f"{y}_low", f"{y}_high"
    groups = [None] if hue is None else sorted(scores[hue].dropna().unique())
    colors = sns.color_palette("colorblind", len(groups))
    if low in scores.columns and high in scores.columns:
        for g, color in zip(groups, colors, strict=True):
            d = scores if g is None else scores[scores[hue] == g]
            d = d.sort_values(x)
            ax.plot(d[x], d[y], color=color, marker="o", markersize=3, label=g, **kwargs)
            ax.fill_between(d[x], d[low], d[high], color=color, alpha=0.2, linewidth=0)
    else:
        kwargs.setdefault("errorbar", ("ci", 95))
        sns.lineplot(
            data=scores,
            x=x,
            y=y,
            hue=hue,
            hue_order=None if hue is None else groups,
            ax=ax,
            **kwargs,
        )
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    if hue is not None:
        ax.legend(title=hue, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax
