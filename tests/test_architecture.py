"""The package's modules import one another in one direction (no import cycle), counting
imports inside functions too and leaving out those only for type checkers."""

import ast
from pathlib import Path

import toolkit

PACKAGE = Path(toolkit.__file__).parent


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(path: Path) -> set[str]:
    """The toolkit modules a module imports at run time (any depth, any function)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_checking_block(child):
                continue
            if isinstance(child, ast.ImportFrom) and child.level == 1:
                if child.module:
                    found.add(child.module.split(".")[0])
                else:  # from . import x
                    found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and (child.module or "").startswith("toolkit."):
                found.add(child.module.split(".")[1])
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {m: _imports(PACKAGE / f"{m}.py") & modules for m in modules}


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def walk(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(path[path.index(n) :] + [n])
            elif n not in state:
                walk(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert not cycles, f"import cycles: {cycles}"


def test_data_flows_one_way():
    graph = _graph()
    # the corpus knows nothing of how texts are loaded, cleaned, segmented or indexed
    assert not graph["corpus"] & {"loaders", "segment", "clean", "index", "token_streams"}
    # the index knows nothing of loading or of the analyses built on it
    assert not graph["index"] & {"loaders", "kwic", "frequency", "keyness", "collocations"}
    # computing modules never import plotting
    for m in ("kwic", "frequency", "keyness", "collocations", "topics", "embeddings"):
        assert "plots" not in graph[m], m


def test_no_private_names_imported_from_other_modules():
    offenders = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                module = node.module.split(".")[0]
                if module.startswith("_"):
                    continue  # private modules exist to be shared inside the package
                for alias in node.names:
                    if alias.name.startswith("_"):
                        offenders.append(f"{path.name}: from .{node.module} import {alias.name}")
    assert not offenders, offenders


# Private attributes of other libraries that the toolkit reads on purpose, by module.  Each is
# a documented-by-use internal of a pinned dependency (no public way to reach it).
LIBRARY_PRIVATES = {
    # nltk's Punkt sentence splitter: its trained parameters and the regular expressions and
    # orthographic flags its own methods use, needed to split with a trained model.
    "segment.py": {
        "_params",
        "_RE_NUMERIC",
        "_RE_INITIAL",
        "_RE_ELLIPSIS",
        "_ORTHO_LC",
        "_ORTHO_UC",
        "_ORTHO_MID_UC",
        "_ORTHO_BEG_LC",
        "_word_tokenizer_re",
        "_re_non_word_chars",
        "_lang_vars",
        "_get_type",
    },
    # the standard library's reader of an .xz member's filter properties
    "loaders.py": {"_decode_filter_properties"},
    # HanTa's lemmatiser entry point (its public ``analyze`` returns tags, not lemmas)
    "annotators.py": {"_analyze"},
}


def _defined_private_attributes(tree: ast.AST) -> set[str]:
    """Underscore attributes a module defines itself: assigned on any object
    (``self._x = ...``), or methods, properties and class attributes of its classes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    names.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_no_private_attributes_of_other_modules():
    """``obj._name`` is read only where the module defines ``_name`` itself (on its own
    classes or objects), so no module reaches into another's private attributes."""
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _defined_private_attributes(tree) | LIBRARY_PRIVATES.get(path.name, set())
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                continue
            value = ast.unparse(node.value)
            if value in ("self", "cls") or value.startswith("super("):
                continue
            if node.attr not in own:
                offenders.append(f"{path.name}:{node.lineno}: {value}.{node.attr}")
    assert not offenders, offenders


def test_private_attribute_scan_catches_a_foreign_private():
    """The scan above flags a private attribute the module does not define."""
    tree = ast.parse(
        "class A:\n    def f(self, c):\n        self._x = 1\n        return c._subset()\n"
    )
    own = _defined_private_attributes(tree)
    assert "_x" in own and "_subset" not in own
