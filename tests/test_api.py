"""The public API: every name exported by ``toolkit`` is documented with an example."""

import inspect

import toolkit as tk


def test_every_public_name_has_an_example():
    missing = []
    for name in tk.__all__:
        obj = getattr(tk, name)
        if inspect.isclass(obj) and issubclass(obj, Exception | Warning):
            continue  # exception classes are documented in toolkit/errors.py
        if "Examples\n" not in (inspect.getdoc(obj) or ""):
            missing.append(name)
    assert missing == []


def test_every_public_function_documents_its_parameters():
    missing = []
    for name in tk.__all__:
        obj = getattr(tk, name)
        if not inspect.isfunction(obj):
            continue
        params = [p for p in inspect.signature(obj).parameters if p not in ("self",)]
        doc = inspect.getdoc(obj) or ""
        if params and "Parameters\n" not in doc and "See :func:" not in doc:
            missing.append(name)
    assert missing == []


def _public_callables():
    """(name, callable) for every exported function and class and the public methods of
    the exported classes."""
    for name in tk.__all__:
        obj = getattr(tk, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not issubclass(obj, Exception | Warning):
            yield name, obj
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and inspect.isfunction(member):
                    yield f"{name}.{attr}", member


def test_an_old_argument_name_in_a_signature_is_listed_as_still_to_follow():
    """docs/glossary.md is true: a public signature that still takes a name the glossary
    replaces is listed under "Still to follow this glossary"."""
    from pathlib import Path

    glossary = (Path(__file__).parents[1] / "docs" / "glossary.md").read_text(encoding="utf-8")
    left = glossary.split("## Still to follow this glossary", 1)[1]
    old_names = {"lowercase", "skip_punct"}
    unlisted = []
    for name, obj in _public_callables():
        try:
            parameters = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        for p in old_names & set(parameters):
            if f"`{name}({p}=)`" not in left:
                unlisted.append(f"{name}({p}=)")
    assert unlisted == []
