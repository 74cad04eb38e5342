"""Figures: what they draw, their labels, and arguments checked before drawing.

Figures scale to many groups: 200 synthetic countries must give a legend of at most n + 1
entries that fits in the figure, a bounded figure and no overlapping labels.
"""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

import toolkit as tk  # noqa: E402

PREVALENCE = pd.DataFrame(
    {
        "topic": ["security", "economy"] * 3,
        "year": [1990, 1990, 2000, 2000, 2010, 2010],
        "share": [0.7, 0.3, 0.4, 0.6, 0.5, 0.5],
    }
)

# 200 synthetic countries C000..C199; country i has 200 - i documents, so C000 is the
# largest and the ranking by documents is known without the code under test.
COUNTRIES = [f"C{i:03d}" for i in range(200)]
DOC_COUNTRY = pd.Series([c for i, c in enumerate(COUNTRIES) for _ in range(200 - i)])
YEARS = list(range(1990, 2000))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _trend_table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for c, y in itertools.product(COUNTRIES, YEARS):
        rows.append({"year": y, "country": c, "count": int(rng.integers(0, 20)), "words": 1000})
    out = pd.DataFrame(rows)
    out["per_million"] = out["count"] / out["words"] * 1e6
    return out


def _legend_texts(ax) -> list[str]:
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def _inside_figure(fig, artist) -> bool:
    fig.canvas.draw()
    box = artist.get_window_extent(fig.canvas.get_renderer())
    whole = fig.bbox
    return box.y0 >= whole.y0 - 1 and box.y1 <= whole.y1 + 1 and box.x1 <= whole.x1 + 1


def _overlapping(texts) -> list[tuple[str, str]]:
    shown = [t for t in texts if t.get_visible() and t.get_text()]
    fig = shown[0].get_figure(root=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in shown]
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


# --------------------------------------------------------------------------- group_colors
def _lab(color) -> np.ndarray:
    """sRGB (D65) to CIELAB, from the published formulas (IEC 61966-2-1; CIE 15)."""
    rgb = np.array(to_rgb(color))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_group_colors_ranks_by_count_then_label_and_greys_the_rest():
    values = ["USA", "JPN", "USA", "PRK", "CHN", "JPN", "USA", "CHN", "RUS"]
    colors = tk.group_colors(values, n=2)
    # counts by hand: USA 3, CHN 2, JPN 2, PRK 1, RUS 1 -> ties by label
    assert list(colors) == ["USA", "CHN", "JPN", "PRK", "RUS", "other"]
    grey = colors["other"]
    assert colors["USA"] != colors["CHN"] and grey not in (colors["USA"], colors["CHN"])
    assert colors["JPN"] == colors["PRK"] == colors["RUS"] == grey
    assert all(len(c) == 3 and all(0 <= v <= 1 for v in c) for c in colors.values())


def test_group_colors_is_deterministic_and_independent_of_input_order():
    shuffled = DOC_COUNTRY.sample(frac=1, random_state=3)
    a = tk.group_colors(DOC_COUNTRY)
    assert a == tk.group_colors(DOC_COUNTRY) == tk.group_colors(shuffled)
    assert a == tk.group_colors(list(shuffled))
    # a group's colour does not depend on n: the first groups keep theirs
    five = tk.group_colors(DOC_COUNTRY, n=5)
    assert [a[c] for c in COUNTRIES[:5]] == [five[c] for c in COUNTRIES[:5]]
    assert len({a[c] for c in COUNTRIES[:8]}) == 8
    assert {a[c] for c in COUNTRIES[8:]} == {a["other"]}


def test_group_colors_palette_is_distinct_in_cielab():
    colors = tk.group_colors([f"g{i}" for i in range(9)], n=9)
    labs = [_lab(c) for c in colors.values()]  # nine colours and the grey
    distances = [np.linalg.norm(a - b) for a, b in itertools.combinations(labs, 2)]
    assert len(labs) == 10 and min(distances) > 20  # clearly distinct (ΔE*76)


def test_group_colors_checks_n_and_accepts_pooled_labels():
    with pytest.raises(tk.ParameterError, match="maximum 9"):
        tk.group_colors(COUNTRIES, n=10)
    with pytest.raises(tk.ParameterError, match="n"):
        tk.group_colors(COUNTRIES, n=0)
    pooled = tk.group_colors(["a", "a", "other", "other", "other", None, np.nan], n=3)
    assert list(pooled) == ["a", "other"] and pooled["a"] != pooled["other"]
    years = tk.group_colors(pd.Series([1990, 1990, 2000]))
    assert list(years) == ["1990", "2000", "other"]


# --------------------------------------------------------------------------- trends
def test_trend_with_200_groups_shows_top_n_and_pooled_other():
    data = _trend_table()
    palette = tk.group_colors(DOC_COUNTRY)
    ax = tk.plot_trend(data, hue="country", palette=palette)
    fig = ax.get_figure()
    labels = _legend_texts(ax)
    assert labels[:8] == COUNTRIES[:8]
    assert labels[8] == "other (192 more, pooled)" and len(labels) == 9
    assert ax.get_legend().get_title().get_text() == "country"
    assert fig.get_size_inches()[1] <= 16 and _inside_figure(fig, ax.get_legend())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("year", "per million")
    # the pooled line: all hits of the other 192 countries over all their word tokens
    rest = data[~data["country"].isin(COUNTRIES[:8])]
    y1995 = rest.loc[rest["year"] == 1995, "count"].sum() / (192 * 1000) * 1e6
    grey = to_rgb(palette["other"])
    other = [ln for ln in ax.get_lines() if to_rgb(ln.get_color()) == grey and len(ln.get_xdata())]
    assert other and dict(zip(other[0].get_xdata(), other[0].get_ydata(), strict=True))[
        1995
    ] == pytest.approx(y1995)


def test_legend_fits_a_short_figure():
    fig, ax = plt.subplots(figsize=(8, 2.5), layout="constrained")
    palette = tk.group_colors(DOC_COUNTRY, n=9)
    assert tk.plot_trend(_trend_table(), hue="country", palette=palette, ax=ax) is ax
    assert len(_legend_texts(ax)) == 10 and _inside_figure(fig, ax.get_legend())
    assert _overlapping(ax.get_xticklabels()) == []


def test_trend_default_palette_colours_eight_groups():
    ax = tk.plot_trend(_trend_table(), hue="country")
    labels = _legend_texts(ax)
    # every country has 10 rows: ties, ranked by label
    assert labels == [*COUNTRIES[:8], "other (192 more, pooled)"]


def test_trend_rate_without_counts_pools_the_mean():
    data = _trend_table().drop(columns=["count", "words"])
    ax = tk.plot_trend(data, hue="country", palette=tk.group_colors(COUNTRIES[:3], n=3))
    assert _legend_texts(ax)[-1] == "other (197 more, mean)"


def _decade_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"decade": [1980, 1990, 2000, 2010, 2020], "per_million": [5.0, 6.0, 4.0, 7.0, 3.0]}
    )


def _hollow_points(ax) -> list[float]:
    xs = []
    for coll in ax.collections:
        faces = coll.get_facecolors()
        if len(faces) and all(tuple(f[:3]) == (1.0, 1.0, 1.0) for f in faces):
            xs += [float(p[0]) for p in coll.get_offsets()]
    return sorted(xs)


def _dashed_segments(ax) -> list[tuple[float, float]]:
    return sorted(
        tuple(float(v) for v in ln.get_xdata())
        for ln in ax.get_lines()
        if ln.get_linestyle() == "--" and len(ln.get_xdata()) == 2
    )


def test_incomplete_periods_are_drawn_hollow_and_dashed():
    ax = tk.plot_trend(_decade_table(), x="decade", incomplete=[1980, 2020])
    assert _hollow_points(ax) == [1980.0, 2020.0]
    assert _dashed_segments(ax) == [(1980.0, 1990.0), (2010.0, 2020.0)]
    assert _legend_texts(ax) == ["incomplete period"]


def test_incomplete_periods_from_a_periods_table_or_a_column():
    meta = pd.DataFrame({"year": [1985, 1990, 1999, 2005, 2011, 2019, 2022]})
    periods = tk.time_periods(meta, unit="decade")  # 1980s and 2020s incomplete
    ax = tk.plot_trend(_decade_table(), x="decade", periods=periods)
    assert _hollow_points(ax) == [1980.0, 2020.0]
    plt.close("all")
    marked = _decade_table().assign(complete=[True, True, True, True, False])
    ax = tk.plot_trend(marked, x="decade")
    assert _hollow_points(ax) == [2020.0] and "incomplete period" in _legend_texts(ax)
    with pytest.raises(tk.ParameterError, match="incomplete"):
        tk.plot_trend(_decade_table(), x="decade", incomplete=["2030s"])


def test_scores_with_bands_pool_other_groups_and_mark_incomplete():
    rows = [
        {"period": p, "country": c, "score": i + p / 1000, "score_low": 0, "score_high": 3}
        for i, c in enumerate(COUNTRIES[:12])
        for p in (1990, 2000, 2010)
    ]
    ax = tk.plot_scores(pd.DataFrame(rows), x="period", hue="country", incomplete=[2010])
    labels = _legend_texts(ax)
    assert labels == [*COUNTRIES[:8], "other (4 more, mean)", "incomplete period"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("period", "score")
    assert 2010.0 in _hollow_points(ax)


# --------------------------------------------------------------------------- dispersion
def _dispersion_corpus():
    df = pd.DataFrame(
        {
            "id": ["d5", "d1", "d3", "d2", "d4"],
            "year": [2001, 2003, 2001, 1999, 2003],
            "text": [
                "peace and war",
                "nothing to see",
                "war war war",
                "war at the start",
                "no match here",
            ],
        }
    )
    return tk.from_dataframe(df, id="id")


def test_dispersion_orders_by_year_and_keeps_documents_without_hits():
    ax = tk.plot_dispersion(tk.kwic(_dispersion_corpus(), "war"), by="year")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # by year, ties by doc_id: 1999 d2, 2001 d3, 2001 d5, 2003 d1, 2003 d4
    assert labels == ["1999", "2001  d3", "2001  d5", "2003  d1", "2003  d4"]
    assert ax.get_title() == "Dispersion of 'war'\n5 documents by year; 2 without hits (empty rows)"
    rows = sorted({int(y) for c in ax.collections for _, y in c.get_offsets()})
    assert rows == [0, 1, 2]  # d2, d3, d5 have hits; d1 and d4 are empty rows 3 and 4
    assert ax.get_xlabel() == "relative position in document" and ax.get_ylabel() == "year"


def test_dispersion_limit_is_stated_in_the_title():
    ax = tk.plot_dispersion(tk.kwic(_dispersion_corpus(), ["war", "peace"]), by="year", limit=2)
    assert ax.get_title().endswith("\nfirst 2 of 5 documents by year")
    assert len(ax.get_yticks()) == 2 and _legend_texts(ax) == ["war", "peace"]
    plt.close("all")
    ax = tk.plot_dispersion(tk.kwic(_dispersion_corpus(), "war"), limit=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["d5", "d1", "d3"]  # corpus order
    assert "first 3 of 5 documents in corpus order" in ax.get_title()
    with pytest.raises(tk.ParameterError, match="limit"):
        tk.plot_dispersion(tk.kwic(_dispersion_corpus(), "war"), limit=0)


def test_dispersion_max_docs_is_the_deprecated_name_of_limit():
    conc = tk.kwic(_dispersion_corpus(), "war")
    with pytest.warns(FutureWarning, match=r"max_docs= is deprecated.*use limit= instead"):
        ax = tk.plot_dispersion(conc, max_docs=3)
    # the first three documents in corpus order (ids d5, d1, d3 as the corpus was built)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["d5", "d1", "d3"]
    with pytest.raises(tk.ParameterError, match="give limit= only"):
        tk.plot_dispersion(conc, max_docs=3, limit=2)
    # max_docs is no longer a parameter of its own; limit keeps max_docs' default of 40
    import inspect

    params = inspect.signature(tk.plot_dispersion).parameters
    assert "max_docs" not in params and params["limit"].default == 40
    # a third positional argument still means the number of documents, as max_docs did
    assert len(tk.plot_dispersion(conc, None, 2).get_yticks()) == 2


def test_count_errors_say_the_whole_valid_range():
    conc = tk.kwic(_dispersion_corpus(), "war")
    with pytest.warns(FutureWarning), pytest.raises(tk.ParameterError) as error:
        tk.plot_dispersion(conc, max_docs=0)
    assert error.value.parameter == "limit"
    assert str(error.value) == "limit=0 is not valid: give an integer 1 or more"
    terms = pd.DataFrame({"topic": ["a"], "term": ["war"], "weight": [1.0]})
    with pytest.raises(tk.ParameterError) as error:
        tk.plot_topic_terms(terms, ncols=0)
    assert str(error.value) == "ncols=0 is not valid: give an integer 1 or more"
    with pytest.raises(tk.ParameterError) as error:
        tk.plot_keyness(_keyness_table(), n=0)
    assert str(error.value) == "n=0 is not valid: give an integer from 1 to 40"


def test_dispersion_of_many_documents_has_readable_labels():
    df = pd.DataFrame(
        {"year": [1946 + i % 79 for i in range(371)], "text": ["war and peace"] * 371}
    )
    ax = tk.plot_dispersion(tk.kwic(tk.from_dataframe(df), "war"), by="year")
    fig = ax.get_figure()
    assert len(ax.get_yticks()) == 40 and fig.get_size_inches()[1] <= 16
    assert "first 40 of 371 documents by year" in ax.get_title()
    assert _overlapping(ax.get_yticklabels()) == []


# --------------------------------------------------------------------------- heatmaps
def test_prevalence_kinds_draw_what_they_name():
    lines = tk.plot_prevalence(PREVALENCE, x="year", kind="lines")
    assert len(lines.get_lines()) >= 2 and lines.get_legend().get_title().get_text() == "topic"
    plt.close("all")
    heat = tk.plot_prevalence(PREVALENCE, x="year", kind="heatmap")
    assert heat.collections and not heat.get_lines()
    assert [t.get_text() for t in heat.get_xticklabels()] == ["1990", "2000", "2010"]
    assert len(heat.texts) == 6  # large cells: every share written in
    plt.close("all")
    with pytest.raises(tk.ParameterError, match="kind"):
        tk.plot_prevalence(PREVALENCE, x="year", kind="line")  # a typo is not a heatmap


def _country_prevalence() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    shares = rng.dirichlet(np.ones(10), size=200)
    return pd.DataFrame(
        [
            {"country": c, "topic": f"{t}: topic", "share": shares[i, t]}
            for i, c in enumerate(COUNTRIES[::-1])
            for t in range(10)
        ]
    )


def test_prevalence_heatmap_of_200_groups_is_limited_and_says_so():
    prev = _country_prevalence()
    ax = tk.plot_prevalence(prev, x="country", palette=tk.group_colors(DOC_COUNTRY))
    fig = ax.get_figure()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[:39] == COUNTRIES[:39] and rows[39] == "other (mean of 161)"
    assert ax.get_ylabel() == ("country: 39 of 200 (in the palette's order); other: mean of 161")
    width, height = fig.get_size_inches()
    assert width <= 16 and height <= 16 and not ax.texts  # cells too small for numbers
    assert _overlapping(ax.get_yticklabels()) == []
    # the pooled row is the mean of the 161 countries' shares
    rest = prev[prev["country"].isin(COUNTRIES[39:])]
    expected = rest[rest["topic"] == "0: topic"]["share"].mean()
    assert ax.collections[0].get_array().reshape(40, 10)[39, 0] == pytest.approx(expected)


def test_prevalence_heatmap_of_many_years_fits_the_page():
    prev = pd.DataFrame(
        [{"year": y, "topic": f"t{t}", "share": 0.1} for y in range(1946, 2025) for t in range(10)]
    )
    ax = tk.plot_prevalence(prev, x="year", kind="heatmap")
    assert ax.get_figure().get_size_inches()[0] <= 16 and not ax.texts
    assert _overlapping(ax.get_xticklabels()) == []


def test_prevalence_heatmap_of_many_topics_keeps_the_largest():
    prev = pd.DataFrame(
        [
            {"year": y, "topic": f"t{t:02d}", "share": (t + 1) / 1275}
            for y in (1990, 2000)
            for t in range(50)
        ]
    )
    ax = tk.plot_prevalence(prev, x="year")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    # shares grow with the topic number: t49 is the largest, t11..t00 are pooled
    assert rows[:39] == [f"t{t:02d}" for t in range(49, 10, -1)]
    assert rows[39] == "other (sum of 11)"
    assert ax.get_ylabel() == "topic: 39 of 50 (largest total share); other: sum of 11"
    pooled = ax.collections[0].get_array().reshape(40, 2)[39, 0]
    assert pooled == pytest.approx(sum(range(1, 12)) / 1275)


def test_heatmap_column_labels_do_not_collide():
    prev = pd.DataFrame(
        [
            {
                "decade": f"{d}s" + (" (incomplete)" if d in (1940, 2020) else ""),
                "topic": t,
                "share": 0.5,
            }
            for d in range(1940, 2030, 10)
            for t in ("a", "b")
        ]
    )
    ax = tk.plot_prevalence(prev, x="decade", kind="heatmap")
    assert len(ax.get_xticklabels()) == 9 and _overlapping(ax.get_xticklabels()) == []


# --------------------------------------------------------------------------- other figures
def _keyness_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"term": ["soviet", "peace", "freedom", "the"], "ll": [50.0, 10.0, -30.0, 0.0]}
    )


def test_keyness_bars_labels_and_palette():
    palette = tk.group_colors(["RUS", "RUS", "USA"])
    ax = tk.plot_keyness(_keyness_table(), labels=("RUS", "USA"), palette=palette)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["soviet", "peace", "freedom"]
    assert _legend_texts(ax) == ["more in RUS (2)", "more in USA (1)"]
    assert ax.get_title() == "Keywords: RUS vs USA"
    assert ax.get_xlabel() == "log-likelihood G² (signed)"
    bars = [to_rgb(p.get_facecolor()) for p in ax.patches]
    assert bars == [palette["RUS"], palette["RUS"], palette["USA"]]


def test_collocates_network_title_and_legend():
    table = pd.DataFrame({"term": ["military", "atlantic", "peace"], "log_dice": [9.0, 8.0, 7.0]})
    other = pd.DataFrame({"term": ["peace", "economic"], "log_dice": [8.5, 7.5]})
    ax = tk.plot_collocates({"alliance": table, "sanctions": other})
    assert ax.get_title() == "Collocates of alliance, sanctions (closer = higher log_dice)"
    assert _legend_texts(ax) == ["collocate of alliance", "collocate of sanctions", "shared"]
    words = [t for t in ax.texts if t.get_text()]
    assert {t.get_text() for t in words} >= {"military", "economic", "peace", "alliance"}
    assert _overlapping(words) == []


def test_topic_terms_draws_into_given_axes_or_figure():
    terms = pd.DataFrame(
        {
            "topic": ["war"] * 2 + ["trade"] * 2 + ["aid"] * 2,
            "rank": [1, 2] * 3,
            "term": ["war", "arms", "trade", "tariff", "aid", "loan"],
            "weight": [0.3, 0.2, 0.4, 0.1, 0.3, 0.1],
        }
    )
    fig = tk.plot_topic_terms(terms, ncols=2)
    visible = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in visible] == ["war", "trade", "aid"]
    assert [t.get_text() for t in visible[0].get_yticklabels()] == ["war", "arms"]
    assert visible[0].get_xlabel() == "probability in topic"
    plt.close("all")
    own, axes = plt.subplots(1, 3)
    assert tk.plot_topic_terms(terms, ax=axes) is own
    assert [a.get_title() for a in axes] == ["war", "trade", "aid"]
    into = plt.figure()
    assert tk.plot_topic_terms(terms, ax=into, ncols=3) is into and len(into.axes) == 3
    with pytest.raises(tk.ParameterError, match="ncols"):
        tk.plot_topic_terms(terms, ncols=0)
    with pytest.raises(tk.ParameterError, match="3 topics need 3 Axes"):
        tk.plot_topic_terms(terms, ax=list(axes[:2]))


def test_topic_terms_with_more_topics_than_colours_greys_none():
    terms = pd.DataFrame(
        {"topic": [f"{i}: t" for i in range(12)], "rank": 1, "term": "w", "weight": 0.5}
    )
    fig = tk.plot_topic_terms(terms)
    colours = {to_rgb(p.get_facecolor()) for a in fig.axes for p in a.patches}
    assert len(colours) == 1 and to_rgb(tk.group_colors(["x"])["other"]) not in colours


def test_coherence_plot_labels_and_checks():
    sweep = pd.DataFrame({"k": [5, 10, 15], "c_v": [0.41, 0.46, 0.44], "u_mass": [-2, -3, -4]})
    ax = tk.plot_coherence(sweep, measure="u_mass")
    assert ax.get_ylabel() == "coherence (u_mass)" and ax.get_xlabel() == "number of topics k"
    assert list(ax.get_lines()[0].get_ydata()) == [-2, -3, -4]
    assert ax.get_title() == "Choosing k: topic coherence"
    plt.close("all")
    with pytest.raises(tk.ParameterError, match="measure"):
        tk.plot_coherence(sweep, measure="c_npmi")
    with pytest.raises(tk.ParameterError, match="coherence column") as error:
        tk.plot_coherence(pd.DataFrame({"k": [5]}))
    assert error.value.parameter == "sweep"


def test_doc_topics_bars_sorted_with_the_document_as_title():
    ax = tk.plot_doc_topics(pd.Series({"security": 0.6, "economy": 0.4}, name="USA_45_1990"))
    assert ax.get_title() == "Topic mix of USA_45_1990"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["economy", "security"]
    assert ax.get_xlabel() == "topic share"


def test_doc_topics_refuses_the_whole_table_and_says_how_to_pick_a_row():
    table = pd.DataFrame(
        {"security": [0.6, 0.1, 0.5], "economy": [0.4, 0.9, 0.5]},
        index=pd.Index(["d1", "d2", "d3"], name="doc_id"),
    )
    before = plt.get_fignums()
    with pytest.raises(tk.ParameterTypeError) as error:
        tk.plot_doc_topics(table)
    assert error.value.parameter == "shares"
    assert isinstance(error.value, tk.ParameterError) and isinstance(error.value, TypeError)
    message = str(error.value)
    assert "one row of model.doc_topics(): a Series" in message
    assert "a DataFrame of 3 rows" in message and ".loc[doc_id]" in message
    assert plt.get_fignums() == before
    with pytest.raises(tk.ParameterTypeError, match="got a dict"):
        tk.plot_doc_topics({"security": 0.6, "economy": 0.4})
    # the row the message points to is what the function takes
    assert tk.plot_doc_topics(table.loc["d2"]).get_title() == "Topic mix of d2"


def _trajectory() -> pd.DataFrame:
    rows = []
    for i, period in enumerate(["1970s", "1980s", "1990s"]):
        rows.append({"period": period, "word": "alliance", "kind": "term", "x": i, "y": 0.0})
        for j, w in enumerate(["pact", "treaty", "bloc"]):
            # neighbours close together, so their labels would collide unmoved
            rows.append(
                {"period": period, "word": w, "kind": "neighbour", "x": i + 0.01 * j, "y": 0.3}
            )
    return pd.DataFrame(rows)


def test_neighbours_legend_by_period_and_labels_apart():
    ax = tk.plot_neighbours(_trajectory())
    assert _legend_texts(ax) == ["1970s", "1980s", "1990s"]
    assert ax.get_legend().get_title().get_text() == "period"
    assert ax.get_title().startswith("Neighbours of 'alliance' by period")
    assert _overlapping([t for t in ax.texts if t.get_text()]) == []


def test_neighbours_of_many_periods_keep_a_short_legend():
    rows = [
        {"period": f"{1900 + 10 * i}s", "word": w, "kind": k, "x": i, "y": j}
        for i in range(12)
        for j, (w, k) in enumerate([("alliance", "term"), (f"w{i}", "neighbour")])
    ]
    ax = tk.plot_neighbours(pd.DataFrame(rows))
    labels = _legend_texts(ax)
    assert labels == [f"{1900 + 10 * i}s" for i in range(9)] + ["other (3 more periods)"]
    assert _inside_figure(ax.get_figure(), ax.get_legend())


def test_change_bars_title_and_pairs():
    change = pd.DataFrame(
        {
            "term": ["bloc", "aid", "pact"],
            "period_from": ["Cold War"] * 3,
            "period_to": ["after"] * 3,
            "cosine_distance": [0.5, 0.2, 0.8],
        }
    )
    ax = tk.plot_change(change)
    assert ax.get_title() == "Most changed words, Cold War → after"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["aid", "bloc", "pact"]
    assert ax.get_xlabel() == "cosine distance"
    plt.close("all")
    two = pd.concat([change, change.assign(period_from="after", period_to="now")])
    ax = tk.plot_change(two, n=4)
    assert _legend_texts(ax) == ["Cold War→after", "after→now"] or sorted(_legend_texts(ax)) == [
        "Cold War→after",
        "after→now",
    ]


# --------------------------------------------------------------------------- empty input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: tk.plot_keyness(_keyness_table().assign(ll=0.0)),
            "no keyness terms with ll > 0 on either side",
        ),
        (
            lambda: tk.plot_collocates(pd.DataFrame({"term": [], "log_dice": []})),
            "no collocates of 'node'",
        ),
        (lambda: tk.plot_dispersion(tk.kwic(_dispersion_corpus(), "xyz")), "no hits for 'xyz'"),
        (lambda: tk.plot_trend(_decade_table().iloc[:0], x="decade"), "empty"),
        (lambda: tk.plot_prevalence(PREVALENCE.iloc[:0]), "no topic shares"),
        (
            lambda: tk.plot_topic_terms(pd.DataFrame(columns=["topic", "term", "weight"])),
            "no topic terms",
        ),
        (
            lambda: tk.plot_coherence(pd.DataFrame({"k": [5], "c_v": [np.nan]})),
            "no coherence values",
        ),
        (lambda: tk.plot_doc_topics(pd.Series([], dtype=float, name="d1")), "no topic shares"),
        (lambda: tk.plot_neighbours(_trajectory().iloc[:0]), "no positions of the word"),
        (
            lambda: tk.plot_change(
                pd.DataFrame(columns=["term", "period_from", "period_to", "cosine_distance"])
            ),
            "no words with a cosine distance",
        ),
        (
            lambda: tk.plot_scores(pd.DataFrame({"year": [1990], "score": [np.nan]})),
            "no values of 'score'",
        ),
    ],
)
def test_empty_input_raises_before_drawing(call, message):
    before = plt.get_fignums()
    with pytest.raises(tk.EmptyResultError, match=message):
        call()
    assert plt.get_fignums() == before  # no empty figure left behind


def test_missing_columns_name_the_parameter():
    with pytest.raises(tk.ParameterError, match="no column 'per_thousand'") as error:
        tk.plot_trend(_decade_table(), x="decade", y="per_thousand")
    assert isinstance(error.value, KeyError)  # callers catching KeyError keep working


def test_keyness_labels_come_from_the_result():
    corpus = tk.load_sample()
    k = tk.keyness(corpus, by="country", target="RUS", reference="USA")
    ax = tk.plot_keyness(k)
    assert ax.get_title() == "Keywords: RUS vs USA"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("more in RUS") and legend[1].startswith("more in USA")
    plt.close(ax.figure)


def test_coherence_standard_errors_are_error_bars_not_measures():
    sweep = pd.DataFrame(
        {"k": [4, 6, 8], "c_v": [0.40, 0.45, 0.43], "c_v_se": [0.02, 0.01, 0.03], "seconds": 1.0}
    )
    ax = tk.plot_coherence(sweep)
    assert ax.get_ylabel() == "coherence (c_v)"
    with pytest.raises(tk.ParameterError):
        tk.plot_coherence(sweep, measure="c_v_se")
    bars = [c for c in ax.containers if type(c).__name__ == "ErrorbarContainer"]
    assert len(bars) == 1
    segments = bars[0].lines[2][0].get_segments()  # one vertical bar per k
    assert [round(s[1][1] - s[0][1], 6) for s in segments] == [0.04, 0.02, 0.06]
    plt.close(ax.figure)


# --------------------------------------------------------------------------- ax=
def _valid_inputs() -> dict:
    """For every plot function that takes ``ax``: arguments it draws without error."""
    return {
        "plot_keyness": ((_keyness_table(),), {}),
        "plot_collocates": ((pd.DataFrame({"term": ["pact"], "log_dice": [9.0]}),), {}),
        "plot_dispersion": ((tk.kwic(_dispersion_corpus(), "war"),), {}),
        "plot_trend": ((_decade_table(),), {"x": "decade"}),
        "plot_topic_terms": (
            (pd.DataFrame({"topic": ["a", "a"], "term": ["war", "pact"], "weight": [2.0, 1.0]}),),
            {},
        ),
        "plot_coherence": ((pd.DataFrame({"k": [5, 10], "c_v": [0.4, 0.5]}),), {}),
        "plot_prevalence": ((PREVALENCE,), {}),
        "plot_doc_topics": ((pd.Series({"security": 0.6, "economy": 0.4}, name="d1"),), {}),
        "plot_neighbours": ((_trajectory(),), {}),
        "plot_change": (
            (
                pd.DataFrame(
                    {
                        "term": ["bloc"],
                        "period_from": ["a"],
                        "period_to": ["b"],
                        "cosine_distance": [0.5],
                    }
                ),
            ),
            {},
        ),
        "plot_scores": ((pd.DataFrame({"year": [1990, 1991], "score": [0.1, 0.2]}),), {}),
    }


def _takes_ax() -> list[str]:
    import inspect

    return [
        name
        for name in tk.PLOT_FUNCTIONS
        if "ax" in inspect.signature(getattr(tk, name)).parameters
    ]


def test_every_plot_function_that_takes_ax_has_valid_inputs_here():
    assert sorted(_takes_ax()) == sorted(_valid_inputs())


@pytest.mark.parametrize("name", _takes_ax())
def test_ax_that_is_not_an_axes_is_refused_naming_ax(name):
    args, kwargs = _valid_inputs()[name]
    function = getattr(tk, name)
    before = plt.get_fignums()
    with pytest.raises(tk.ParameterTypeError) as error:
        function(*args, ax=5, **kwargs)
    assert error.value.parameter == "ax" and str(error.value).startswith("ax=5 is not valid")
    assert "matplotlib Axes" in str(error.value)
    assert plt.get_fignums() == before  # refused before drawing
    # the same arguments with an Axes draw on it
    _, ax = plt.subplots()
    result = function(*args, ax=ax, **kwargs)
    assert result is ax or result is ax.figure


def test_topic_terms_refuses_a_sequence_of_non_axes():
    terms = pd.DataFrame({"topic": ["a"], "term": ["war"], "weight": [1.0]})
    with pytest.raises(tk.ParameterTypeError) as error:
        tk.plot_topic_terms(terms, ax=[5])
    assert error.value.parameter == "ax"
