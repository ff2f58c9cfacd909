"""The shape of the code: short modules, and no two modules that import each other.

A module past 700 lines is due to become a package (STYLE.md, "Small functions, short
files"). An import circle works only as long as the import order happens to suit it,
and breaks the day someone imports the other module first.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("deals", "dealtracker")
MAX_LINES = 700


def first_party_modules(root, packages):
    """{dotted name: (path, is package)} of every .py file under the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            found[name] = (path, is_package)
    return found


def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_run_on_import(tree):
    """The import statements Python runs while importing the module: those at its top
    level, in its classes and under its ifs and trys; not those in functions (run only
    when called, as deals/models does to break circles) nor under `if TYPE_CHECKING:`."""
    statements = list(tree.body)
    while statements:
        node = statements.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        elif isinstance(node, ast.If) and is_type_checking(node.test):
            statements.extend(node.orelse)
        else:
            statements.extend(ast.iter_child_nodes(node))


def import_graph(root, packages):
    """{module: {first-party modules it imports when imported}}.

    `from pkg import name` imports the submodule pkg.name when there is one, else pkg.
    A parent package is not counted: Python has it in sys.modules, if only half run,
    before any of its submodules runs.
    """
    modules = first_party_modules(root, packages)

    def nearest_module(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, (path, is_package) in modules.items():
        targets = set()
        for node in imports_run_on_import(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(nearest_module(alias.name) for alias in node.names)
                continue
            if node.level:  # relative: from . import x, from ..y import z
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = here[: len(here) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else nearest_module(source))
        graph[name] = targets - {"", name}
    return graph


def circles(graph):
    """Each group of modules that import one another, directly or around a circle
    (Tarjan's strongly connected components of more than one module)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while module not in group:
                group.add(stack.pop())
            on_stack.difference_update(group)
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def describe(graph, groups):
    return "\n".join(
        f"{module} imports {', '.join(sorted(graph[module] & set(group)))}"
        for group in groups
        for module in group
    )


def test_no_module_under_deals_is_longer_than_700_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "deals").rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT / "deals").parts
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"modules over {MAX_LINES} lines: {too_long}"


def test_no_first_party_modules_import_each_other_in_a_circle():
    graph = import_graph(ROOT, FIRST_PARTY)
    assert {"deals.models", "deals.admin.deals", "dealtracker.middleware"} <= set(graph)
    groups = circles(graph)
    assert groups == [], "import circles:\n" + describe(graph, groups)


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_circle_check_finds_a_circle_through_a_submodule_named_in_a_from_import(
    tmp_path,
):
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/api/__init__.py": "",
            "shop/api/errors.py": "from shop import web\n",
            "shop/web.py": "import os\n\nif os.sep:\n    from .api.errors import body\n",
        },
    )
    graph = import_graph(tmp_path, ["shop"])
    assert graph["shop.api.errors"] == {"shop.web"}
    assert graph["shop.web"] == {"shop.api.errors"}
    assert circles(graph) == [["shop.api.errors", "shop.web"]]


def test_the_circle_check_ignores_imports_inside_functions_and_under_type_checking(
    tmp_path,
):
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models.py": (
                "from typing import TYPE_CHECKING\n\n"
                "if TYPE_CHECKING:\n    from shop.orders import Order\n\n\n"
                "class Item:\n    def order(self):\n        from shop.orders import Order\n"
            ),
            "shop/orders.py": "from shop.models import Item\n",
        },
    )
    graph = import_graph(tmp_path, ["shop"])
    assert graph == {"shop": set(), "shop.models": set(), "shop.orders": {"shop.models"}}
    assert circles(graph) == []
