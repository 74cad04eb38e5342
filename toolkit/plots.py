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
from .kwic import Concordance

__all__ = list(PLOT_FUNCTIONS)


def set_theme() -> None:
    """The seaborn theme every figure of the toolkit's notebooks uses."""
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

    Returns the Figure.

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
    """Coherence against the number of topics (from :func:`toolkit.sweep_topics`)."""
    measure = measure or next(c for c in sweep.columns if c not in ("k", "seconds"))
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
    a categorical column (from ``model.prevalence(by=...)``)."""
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
    """One document's topic mix as horizontal bars (a row of ``model.doc_topics()``)."""
    ax = _ax(ax, (6, 0.35 * len(shares) + 1))
    s = shares.sort_values()
    ax.barh([str(i) for i in s.index], s.to_numpy(), color=sns.color_palette("colorblind")[0])
    ax.set_xlabel("topic share")
    ax.set_title(f"Topic mix of {shares.name}")
    return ax
