"""Names of the plot functions, importable without importing matplotlib."""

PLOT_FUNCTIONS = (
    "set_theme",
    "group_colors",
    "plot_keyness",
    "plot_collocates",
    "plot_dispersion",
    "plot_trend",
    "plot_topic_terms",
    "plot_coherence",
    "plot_prevalence",
    "plot_doc_topics",
    "plot_neighbours",
    "plot_change",
    "plot_scores",
)
