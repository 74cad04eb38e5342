"""Progress-bar settings shared by every long-running step (``tqdm.auto``: notebook-aware)."""

from __future__ import annotations

from typing import Any


def progress_options(progress: bool | None) -> dict[str, Any]:
    """Keyword arguments for ``tqdm``: ``None`` shows a bar only once work takes over 1 s."""
    if progress is None:
        return {"delay": 1.0}
    return {"disable": not progress}
