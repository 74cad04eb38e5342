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
