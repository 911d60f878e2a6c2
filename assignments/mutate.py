"""Mutation tests of the autograder: wrong answers that the hidden tests must not give full marks.

``assignments/mutants/<name>/<question>__<mutant>.py`` holds one plausible wrong answer to an autograded question
of the assignment ``<name>``: a module docstring that says what is wrong (the mistake a student makes), then
either ``EDITS``, a list of ``(old, new)`` replacements applied to the solution's function (each ``old`` occurs
exactly once in it once its comments, the ``# BEGIN/END SOLUTION`` markers among them, are dropped), or,
for an answer unlike the solution, the whole definition of the question's function with the solution's name
and signature. Each one is graded with the tests of the autograder zip that ``assignments/generate.py`` builds
(public and hidden tests), in the environment of the solved notebook: the imports cell, then every solution
function, then the mutant in place of the question's function. A mutant is *killed* when it scores below the
question's points.

Usage (from the repository root)::

    python assignments/mutate.py                        # regenerate into a temporary folder, report kill rates
    python assignments/mutate.py --autograders DIR      # use DIR/<name>-autograder.zip instead
    python assignments/mutate.py --only 05_duality

``tests/test_assignments.py`` runs every mutant (marked ``slow``) and requires it to be killed.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib.util
import io
import tempfile
import tokenize
import warnings
import zipfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
MUTANTS = HERE / "mutants"


def _generator():
    spec = importlib.util.spec_from_file_location("assignments_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer_cells(name: str) -> dict[str, tuple[str, str]]:
    """{question: (function name, solution code)} for the autograded questions of an assignment."""
    nb = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
    found = {}
    for question, region, cell in _generator().regions(nb):
        text = cell.source.strip()
        if region == "solution" and question and cell.cell_type == "code" and text.startswith("def "):
            found[question["name"]] = (text.split("(", 1)[0].removeprefix("def "), cell.source)
    return found


def environment(name: str, replace: dict[str, str] | None = None) -> dict:
    """The global environment of the solved notebook, with some answer cells replaced (by question).

    Every code cell runs in order except the Colab setup cell and the lines that create the otter grader
    or call it; an answer cell of a question in ``replace`` runs the replacement instead.
    """
    nb = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4)
    answers = {code: question for question, (_, code) in answer_cells(name).items()}
    env: dict = {"__name__": "__main__"}
    code_cells = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    for i, source in enumerate(code_cells[1:], start=1):
        if source.lstrip().startswith('""" # BEGIN TEST CONFIG'):
            continue                                                    # a test cell
        question = answers.get(source)
        if question is not None:
            source = (replace or {}).get(question, source)
        else:
            source = "\n".join(line for line in source.splitlines() if "otter" not in line and "grader" not in line)
        exec(compile(source, f"<{name} cell {i}>", "exec"), env)
    return env


def mutants(name: str | None = None) -> list[tuple[str, str, str, Path]]:
    """(assignment, question, mutant, path) of every mutant file, sorted."""
    found = []
    for path in sorted(MUTANTS.glob(f"{name or '*'}/*.py")):
        question, _, mutant = path.stem.partition("__")
        found.append((path.parent.name, question, mutant, path))
    return found


def description(path: Path) -> str:
    """The first line of a mutant's docstring: the mistake it makes."""
    doc = ast.get_docstring(ast.parse(path.read_text()))
    return doc.splitlines()[0] if doc else ""


def score(autograder: Path, name: str, question: str, replace: dict[str, str] | None = None):
    """Grade one question with the autograder zip's tests; return (score, points, messages of the failures)."""
    from otter.test_files.exception_test import ExceptionTestFile

    with zipfile.ZipFile(autograder) as archive:
        source = archive.read(f"tests/{question}.py").decode()
    test_file = ExceptionTestFile.from_string(source, path=f"{question}.py")
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        test_file.run(environment(name, replace))
    results = test_file.test_case_results
    earned = sum(r.test_case.points for r in results if r.passed)
    possible = sum(r.test_case.points for r in results)
    return earned, possible, [r.message for r in results if not r.passed]


def strip_comments(code: str) -> str:
    """``code`` without its comments (whole-line comments, the solution markers among them, and trailing ones)."""
    cut = {}                                     # line number -> column where its comment starts
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            cut[token.start[0]] = token.start[1]
    lines = []
    for number, line in enumerate(code.splitlines(), start=1):
        if number in cut:
            line = line[:cut[number]].rstrip()
            if not line:
                continue
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"


def solution_code(name: str, question: str) -> str:
    """The solution's function for ``question``, comments (and the solution markers) removed."""
    return strip_comments(answer_cells(name)[question][1])


def mutant_source(name: str, question: str, path: Path) -> str:
    """The code a mutant runs: the solution's function with the mutant's ``EDITS`` applied, or the file itself."""
    text = path.read_text()
    namespace: dict = {}
    exec(compile(text, str(path), "exec"), namespace)
    if "EDITS" not in namespace:
        return text
    code = solution_code(name, question)
    for old, new in namespace["EDITS"]:
        if code.count(old) != 1:
            raise ValueError(f"{path}: {old!r} occurs {code.count(old)} times in the solution of {question}")
        code = code.replace(old, new)
    return code


def run_mutant(autograder: Path, name: str, question: str, path: Path):
    return score(autograder, name, question, {question: mutant_source(name, question, path)})


def report(autograders: Path, only: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Print every mutant's score and the kill rate per assignment; return {assignment: (killed, total)}."""
    rates: dict[str, tuple[int, int]] = {}
    for name, question, mutant, path in mutants():
        if only and name not in only:
            continue
        earned, possible, _ = run_mutant(autograders / f"{name}-autograder.zip", name, question, path)
        killed = earned < possible
        k, n = rates.get(name, (0, 0))
        rates[name] = (k + killed, n + 1)
        print(f"{'killed ' if killed else 'SURVIVED'} {earned}/{possible}  {name} {question} {mutant}: "
              f"{description(path)}")
    for name, (k, n) in rates.items():
        print(f"{name}: {k}/{n} mutants killed")
    return rates


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--autograders", type=Path, help="folder with <name>-autograder.zip (default: regenerate)")
    parser.add_argument("--only", nargs="*", help="assignment names")
    args = parser.parse_args(argv)
    if args.autograders:
        report(args.autograders, args.only)
        return
    with tempfile.TemporaryDirectory() as tmp:
        _generator().generate(Path(tmp), args.only, quiet=True)
        report(Path(tmp) / "autograder", args.only)


if __name__ == "__main__":
    main()
