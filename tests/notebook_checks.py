"""What a chapter's code cells may show a reader, read from the notebooks themselves.

Used by ``tests/test_notebook_cells.py`` (the notebooks' sources, in the unit tests) and by
``book/conftest.py`` (the outputs, while nbval executes every notebook).

- **Bookkeeping cells are collapsed.** A code cell whose statements are only ``glue(…)``
  calls and checks (``assert``, ``np.testing.assert_*``), with the computations feeding
  them (assignments, helper functions, loops over the same) and nothing else — no later
  cell uses a name it defines — shows nothing and teaches nothing by itself: it is the
  evidence for the numbers in the text. It carries the ``hide-input`` tag and the prompts
  :data:`PROMPT_SHOW` / :data:`PROMPT_HIDE`, so it is one click away. A cell that shows
  anything (a bare expression, ``print``, a figure, an explorer), imports, or computes what
  later cells build on (an experiment, a model, a helper) is the lesson and stays in view.
- **No numpy reprs** (:func:`numpy_reprs`): an output shows ``0.000316``, never
  ``np.float64(0.000316…)``; ``paramopt.style.show`` prints results as a reader reads them.
- **No e-notation in the prose** (:func:`e_notation`): a glued number reads 3.2 × 10⁻⁴ or
  0.00032, never 3.2e-04; ``paramopt.style.number`` writes it.
"""

import ast
import re
from ast import literal_eval

TAG = "hide-input"
PROMPT_SHOW = "Show the checks behind the text"
PROMPT_HIDE = "Hide the checks behind the text"

#: numpy's reprs of its scalars: np.float64(0.5), np.int64(3), np.True_, np.str_('a')
NUMPY_REPR = re.compile(r"\bnp\.(?:[a-z]+\d*\(|True_|False_)")
#: a number in e-notation: 3.2e-04, 1e+16, 2E5
E_NOTATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+-]?\d+\b")
#: a glued value pasted into the prose, with its optional format: {glue:text}`key:.2f`
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::([^`]*))?`")


def source(cell):
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def _is_call_to(node, test):
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return test(name)


def _kinds(statements):
    """The kind of each statement: "glue", "check", "computation" or "shown"."""
    for node in statements:
        if _is_call_to(node, lambda name: name == "glue"):
            yield "glue"
        elif isinstance(node, ast.Assert) or _is_call_to(node, lambda n: n.startswith("assert_")):
            yield "check"
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.FunctionDef):
            yield "computation"
        elif isinstance(node, ast.For) and not node.orelse:
            yield from _kinds(node.body)
        else:
            yield "shown"  # an expression, a print, a figure, an import: part of the reading


def _parse(code):
    code = re.sub(r"^\s*[%!].*$", "", code, flags=re.M)  # IPython magics
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def defined(code):
    """The names a cell binds at its top level (assignments, functions, loop variables)."""
    tree, names = _parse(code), set()
    for node in tree.body if tree else ():
        targets = {
            ast.Assign: lambda n: n.targets,
            ast.AugAssign: lambda n: [n.target],
            ast.AnnAssign: lambda n: [n.target],
            ast.For: lambda n: [n.target],
        }.get(type(node), lambda n: [])(node)
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def used(code):
    """The names a cell reads."""
    tree = _parse(code)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} if tree else set()


def is_bookkeeping(code, later=()):
    """Whether a code cell only glues and checks numbers (see the module's doc); ``later``
    are the sources of the code cells after it."""
    tree = _parse(code)
    if tree is None:
        return False
    kinds = set(_kinds(tree.body))
    if not kinds & {"glue", "check"} or "shown" in kinds:
        return False
    needed = set().union(*map(used, later)) if later else set()
    return not defined(code) & needed


def is_collapsed(cell):
    """Whether the cell is collapsed behind the bookkeeping toggle."""
    metadata = cell.get("metadata", {})
    prompts = metadata.get("mystnb", {})
    return (
        TAG in metadata.get("tags", [])
        and prompts.get("code_prompt_show") == PROMPT_SHOW
        and prompts.get("code_prompt_hide") == PROMPT_HIDE
    )


def is_removed(cell):
    return "remove-cell" in cell.get("metadata", {}).get("tags", [])


def misfiled_cells(notebook):
    """``(index, problem)`` for each code cell that breaks the bookkeeping rule."""
    problems = []
    code = [(i, c) for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"]
    for position, (index, cell) in enumerate(code):
        if is_removed(cell):
            continue
        later = [source(c) for _, c in code[position + 1 :]]
        bookkeeping, collapsed = is_bookkeeping(source(cell), later), is_collapsed(cell)
        if bookkeeping and not collapsed:
            problems.append((index, "only glues and checks numbers: collapse it"))
        elif collapsed and not bookkeeping:
            problems.append((index, "shows or teaches something: do not collapse it"))
        elif TAG in cell.get("metadata", {}).get("tags", []) and not collapsed:
            problems.append((index, "hidden without the bookkeeping prompts"))
    return problems


def output_texts(output):
    """The text a reader may see in one output of a code cell."""
    if "text" in output:
        yield source({"source": output["text"]})
    for mime, value in output.get("data", {}).items():
        if mime.startswith(("text/", "application/papermill.record/text/")):
            yield source({"source": value})


def numpy_reprs(outputs):
    """Every numpy scalar repr in ``outputs``, with some context."""
    found = []
    for output in outputs:
        for text in output_texts(output):
            for match in NUMPY_REPR.finditer(text):
                found.append(text[max(0, match.start() - 30) : match.end() + 30])
    return found


def glue_roles(notebook):
    """``{key: {format, …}}`` for every glued value the notebook's prose pastes."""
    roles = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for match in GLUE_ROLE.finditer(source(cell)):
                roles.setdefault(match.group(1), set()).add(match.group(2) or "")
    return roles


def glued(outputs):
    """``{key: text/plain}`` of the values that ``outputs`` glue."""
    values = {}
    for output in outputs:
        name = output.get("metadata", {}).get("scrapbook", {}).get("name")
        data = output.get("data", {})
        for mime in ("application/papermill.record/text/plain", "text/plain"):
            if name and mime in data:
                values[name] = source({"source": data[mime]})
                break
    return values


def render(text, fmt):
    """A glued text/plain as ``{glue:text}`key:fmt``` pastes it (myst-nb's own rule)."""
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not fmt:
        return str(value)
    kind = fmt[-1]
    if kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    elif kind == "s":
        value = str(value)
    return format(value, fmt)


def e_notation(notebook, outputs):
    """``(key, fmt, pasted text)`` for each glued value the prose shows in e-notation."""
    roles, found = glue_roles(notebook), []
    for key, text in glued(outputs).items():
        for fmt in sorted(roles.get(key, ())):
            pasted = render(text, fmt)
            if E_NOTATION.search(pasted):
                found.append((key, fmt, pasted))
    return found
