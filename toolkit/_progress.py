"""Progress-bar settings shared by every long-running step (``tqdm.auto``: notebook-aware)."""

from __future__ import annotations

from typing import Any

from .options import OPTIONS


def progress_options(progress: bool | None) -> dict[str, Any]:
    """Keyword arguments for ``tqdm``.

    ``progress`` given per call wins; otherwise the global option (``tk.set_options``,
    or ``TOOLKIT_PROGRESS=0``) applies; ``None`` shows a bar once work takes over 1 s.
    """
    if progress is None:
        progress = OPTIONS["progress"]
    if progress is None:
        return {"delay": 1.0}
    return {"disable": not progress}
