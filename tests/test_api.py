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
