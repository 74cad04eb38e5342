"""Figures: what they draw, their labels, and arguments checked before drawing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import toolkit as tk  # noqa: E402

PREVALENCE = pd.DataFrame(
    {
        "topic": ["security", "economy"] * 3,
        "year": [1990, 1990, 2000, 2000, 2010, 2010],
        "share": [0.7, 0.3, 0.4, 0.6, 0.5, 0.5],
    }
)


def test_prevalence_kinds_draw_what_they_name():
    lines = tk.plot_prevalence(PREVALENCE, x="year", kind="lines")
    assert len(lines.get_lines()) >= 2 and lines.get_legend().get_title().get_text() == "topic"
    plt.close("all")
    heat = tk.plot_prevalence(PREVALENCE, x="year", kind="heatmap")
    assert heat.collections and not heat.get_lines()
    assert [t.get_text() for t in heat.get_xticklabels()] == ["1990", "2000", "2010"]
    plt.close("all")
    with pytest.raises(tk.ParameterError, match="kind"):
        tk.plot_prevalence(PREVALENCE, x="year", kind="line")  # a typo is not a heatmap


def test_coherence_plot_labels_and_checks():
    sweep = pd.DataFrame({"k": [5, 10, 15], "c_v": [0.41, 0.46, 0.44], "u_mass": [-2, -3, -4]})
    ax = tk.plot_coherence(sweep, measure="u_mass")
    assert ax.get_ylabel() == "coherence (u_mass)" and ax.get_xlabel() == "number of topics k"
    assert list(ax.get_lines()[0].get_ydata()) == [-2, -3, -4]
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
    plt.close("all")
