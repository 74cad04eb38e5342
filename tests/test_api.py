"""The public API: every name exported by ``toolkit`` is documented with an example."""

import inspect
import re

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


# --- Docstrings of the exported classes and their methods ---------------------------------
#
# numpydoc's section rules, read with a small parser (numpydoc is not a dependency): a
# section is a title line underlined with dashes.

_EXCEPTIONS = (Exception, Warning)

# Classes a user never constructs: results returned by a function.  Their docstring says
# which function makes them ("Made by :func:`toolkit.kwic`") and documents the
# constructor's parameters all the same, as every class does.
_MADE_BY_A_FUNCTION = {
    "TopicModel",
    "Embeddings",
    "ShardedCorpus",
    "Concordance",
    "ShardedConcordance",
    "ShardedTokenStream",
    "Document",
    "TokenIndex",
    "TokenStream",
    "Explorer",
    "ColumnRoles",
}

# Result classes whose docstring says which function returns them but does not document
# the constructor's parameters yet (none now; a class added here must say why).
_RESULT_CLASSES: set[str] = set()


_RETURNED_BY = re.compile(
    r"\b(returned|made|created?) (by|it with|with)\b.{0,60}?(:func:|:meth:|``)", re.IGNORECASE
)


def _sections(doc: str) -> dict[str, str]:
    """The numpydoc sections of a (dedented) docstring: title → body."""
    lines = doc.splitlines()
    sections: dict[str, list[str]] = {"": []}
    current = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (
            line.strip()
            and not line.startswith((" ", ">>>"))
            and underline
            and set(underline) == {"-"}
            and len(underline) == len(line.strip())
        ):
            current = line.strip()
            sections[current] = []
            i += 2
            continue
        sections[current].append(line)
        i += 1
    return {title: "\n".join(body) for title, body in sections.items()}


def _parameters(obj) -> list[str]:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p for p in signature.parameters if p not in ("self", "cls")]


def _exported_classes():
    for name in tk.__all__:
        obj = getattr(tk, name)
        if inspect.isclass(obj) and not issubclass(obj, _EXCEPTIONS):
            yield name, obj


def _public_members(cls):
    """(name, member) of the public attributes a class defines or inherits from the
    toolkit, the nearest definition of each name first."""
    seen = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("toolkit"):
            continue
        for attr, member in vars(klass).items():
            if not attr.startswith("_") and attr not in seen:
                seen.add(attr)
                yield attr, member


def _public_methods(cls):
    """(name, function) of the public methods a class defines or inherits from the toolkit
    (properties are attributes, documented on the class)."""
    for attr, member in _public_members(cls):
        if isinstance(member, staticmethod | classmethod):
            member = member.__func__
        if inspect.isfunction(member):
            yield attr, member


def test_every_exported_class_documents_how_it_is_made():
    """A class users construct documents its constructor's parameters; a result class says
    which function returns it; both have Examples."""
    missing = []
    for name, cls in _exported_classes():
        doc = inspect.getdoc(cls) or ""
        sections = _sections(doc)
        if "Examples" not in sections:
            missing.append(f"{name}: no Examples section")
        if name in _RESULT_CLASSES | _MADE_BY_A_FUNCTION:
            if not _RETURNED_BY.search(" ".join(doc.split())):
                missing.append(f"{name}: does not say which function returns it")
        if name not in _RESULT_CLASSES and _parameters(cls) and "Parameters" not in sections:
            missing.append(f"{name}: no Parameters section")
    assert sorted(set(missing)) == []


def test_every_public_method_has_parameters_and_examples():
    missing = []
    for name, cls in _exported_classes():
        for attr, method in _public_methods(cls):
            sections = _sections(inspect.getdoc(method) or "")
            if "Examples" not in sections:
                missing.append(f"{name}.{attr}: no Examples section")
            if _parameters(method) and "Parameters" not in sections:
                missing.append(f"{name}.{attr}: no Parameters section")
    assert sorted(set(missing)) == []


def test_every_documented_parameter_of_a_method_is_a_parameter():
    """Parameters sections name each parameter of the signature and no other."""
    wrong = []
    for name, cls in _exported_classes():
        members = [(name, cls)] if name not in _RESULT_CLASSES else []
        members += [(f"{name}.{attr}", m) for attr, m in _public_methods(cls)]
        for qualname, obj in members:
            body = _sections(inspect.getdoc(obj) or "").get("Parameters")
            if body is None:
                continue
            documented = set()
            for line in body.splitlines():
                if line and not line.startswith(" "):
                    for part in line.split(":", 1)[0].split(","):
                        documented.add(part.strip().lstrip("*"))
            # parameters named with a leading underscore are internal, not documented
            expected = {p for p in _parameters(obj) if not p.startswith("_")}
            if documented != expected:
                wrong.append(
                    f"{qualname}: documents {sorted(documented)}, takes {sorted(expected)}"
                )
    assert sorted(set(wrong)) == []


# Parameters whose meaning differs from the shared text: the token streams take stopwords
# as a collection of words only, not the name of a bundled list.
_NOT_THE_SHARED_MEANING = {
    "TokenStream(stopwords=)",
    "ShardedTokenStream(stopwords=)",
}


def test_methods_document_shared_parameters_with_the_shared_text():
    """A method or a class's constructor taking a parameter of toolkit/_docs.py describes
    it with the shared text, filled in (no ``{params.NAME}`` left for a user to read)."""
    from toolkit._docs import params

    bad = []
    for name, cls in _exported_classes():
        members = [(name, cls)] if name not in _RESULT_CLASSES else []
        members += [(f"{name}.{attr}", m) for attr, m in _public_methods(cls)]
        for qualname, obj in members:
            doc = inspect.getdoc(obj) or ""
            if "{params." in doc:
                bad.append(f"{qualname}: placeholder not filled in")
            flat = " ".join(doc.split())
            for p in _parameters(obj):
                if p in params and " ".join(getattr(params, p).split()) not in flat:
                    bad.append(f"{qualname}({p}=)")
    assert sorted(set(bad) - _NOT_THE_SHARED_MEANING) == []


def _public_properties(cls):
    """(name, property) of the public properties a class defines or inherits from the
    toolkit, ``functools.cached_property`` included."""
    import functools

    for attr, member in _public_members(cls):
        if isinstance(member, property | functools.cached_property):
            yield attr, member


# Properties without a docstring in modules being revised; each leaves this list when it
# has one (test_pending_properties_are_still_pending says when).
_PROPERTIES_PENDING: set[str] = set()


def _undocumented_properties() -> set[str]:
    return {
        f"{name}.{attr}"
        for name, cls in _exported_classes()
        for attr, prop in _public_properties(cls)
        if not (inspect.getdoc(prop) or "").strip()
    }


def test_every_public_property_has_a_docstring():
    """``help(tk.Concordance)`` describes every property in a line at least (properties
    need no Examples section)."""
    assert sorted(_undocumented_properties() - _PROPERTIES_PENDING) == []


def test_pending_properties_are_still_pending():
    done = _PROPERTIES_PENDING - _undocumented_properties()
    assert done == set(), f"remove {sorted(done)} from _PROPERTIES_PENDING"


def test_the_property_check_sees_what_it_checks():
    import functools

    class Probe:
        __module__ = "toolkit.probe"

        @property
        def plain(self):
            return 1

        @property
        def described(self):
            """A number."""
            return 2

        @functools.cached_property
        def cached(self):
            return 3

        @property
        def _private(self):
            return 4

    found = {attr: bool(inspect.getdoc(p)) for attr, p in _public_properties(Probe)}
    assert found == {"plain": False, "described": True, "cached": False}


_ALIASES = {
    "pd": re.compile(r"^\s*import pandas as pd\b"),
    "np": re.compile(r"^\s*import numpy as np\b"),
    "tk": re.compile(r"^\s*import toolkit as tk\b"),
    "plt": re.compile(r"^\s*import matplotlib\.pyplot as plt\b"),
}


def _documented_objects():
    """(qualified name, object) of every exported name with a docstring of its own and the
    public methods of the exported classes."""
    for name in tk.__all__:
        obj = getattr(tk, name)
        if inspect.isclass(obj) and issubclass(obj, _EXCEPTIONS):
            continue
        yield name, obj
        if inspect.isclass(obj):
            for attr, method in _public_methods(obj):
                yield f"{name}.{attr}", method


def _unimported_aliases(doc: str) -> list[str]:
    """The module aliases an Examples section uses before it imports them."""
    imported, used = set(), []
    for line in _sections(doc).get("Examples", "").splitlines():
        line = line.strip()
        if not line.startswith((">>> ", "... ")):
            continue
        code = line[4:]
        for alias, statement in _ALIASES.items():
            if statement.match(code):
                imported.add(alias)
        code = re.sub(r"(['\"]).*?\1", "", code)  # text in strings is no use of a module
        for alias in _ALIASES:
            if alias not in imported and alias not in used and re.search(rf"\b{alias}\.", code):
                used.append(alias)
    return used


def test_examples_import_the_modules_they_use():
    """An example pasted into a fresh Python session runs: it imports pandas, numpy,
    toolkit and pyplot itself, before using them (the module's globals, which doctest
    lends it, are not there for a user)."""
    unimported = []
    for qualname, obj in _documented_objects():
        for alias in _unimported_aliases(inspect.getdoc(obj) or ""):
            unimported.append(f"{qualname}: {alias}")
    assert sorted(set(unimported)) == []


def _undefined_names(doc: str) -> list[str]:
    """The names an Examples section uses before it defines or imports them (builtins
    apart)."""
    import ast
    import builtins
    import doctest

    known = set(dir(builtins))
    undefined: list[str] = []
    examples = _sections(doc).get("Examples", "")
    for example in doctest.DocTestParser().get_examples(examples):
        try:
            tree = ast.parse(example.source)
        except SyntaxError:
            undefined.append(f"syntax error in {example.source!r}")
            continue
        nodes = list(ast.walk(tree))
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                known.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                known.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                known.add(node.name)
            elif isinstance(node, ast.arg):
                known.add(node.arg)
        for node in nodes:
            if isinstance(node, ast.Name) and node.id not in known | set(undefined):
                undefined.append(node.id)
    return undefined


def test_examples_define_every_name_they_use():
    """Beyond the module aliases: an example does not lean on the names of the module it
    documents (``load_sample(...)`` rather than ``tk.load_sample(...)``)."""
    undefined = []
    for qualname, obj in _documented_objects():
        for name in _undefined_names(inspect.getdoc(obj) or ""):
            undefined.append(f"{qualname}: {name}")
    assert sorted(set(undefined)) == []


def test_the_docstring_checks_see_what_they_check():
    doc = inspect.cleandoc(
        """Do it.

        Parameters
        ----------
        x : int
            A number.

        Examples
        --------
        >>> df = pd.DataFrame({"text": ["np.nan"]})
        >>> import numpy as np
        >>> np.zeros(1)
        array([0.])
        """
    )
    assert set(_sections(doc)) == {"", "Parameters", "Examples"}
    assert _unimported_aliases(doc) == ["pd"]
    assert _undefined_names(doc) == ["pd"]
    assert _undefined_names("Examples\n--------\n>>> x = [y for y in range(2)]\n>>> f(x)") == ["f"]
