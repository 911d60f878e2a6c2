"""Generate the student notebooks and the autograders of the course assignments with otter-grader.

Every instructor notebook ``assignments/source/<name>.ipynb`` (otter-assign format: solutions,
public and hidden tests in one file) becomes

* ``<output>/student/<name>.ipynb``: the student version, no solutions, no hidden tests, no outputs,
  deterministic cell ids (committed; the book links to it and Colab opens it);
* ``<output>/student/tests/<name>/<question>.py``: its public tests (committed; ``grader.check``
  reads them, and the Colab setup cell downloads them);
* ``<output>/autograder/<name>-autograder.zip``: the autograder with every test, hidden ones
  included, for ``otter run`` and ``otter grade``, and ``<name>-solution.ipynb``, the solved
  notebook as otter writes it (not committed: regenerate them).

Usage (from the repository root)::

    python assignments/generate.py                  # all assignments into assignments/
    python assignments/generate.py --output /tmp/x  # somewhere else (the tests do this)
    python assignments/generate.py --only 01_soft_optimality
    python assignments/generate.py --source ../course-private/source --output ../course-private/build

``--source`` reads the instructor notebooks from another folder: a course that keeps its sources (solutions and
hidden tests, perhaps with its own seeds and cases) in a private repository builds its student versions and
autograders from there with this generator, and publishes only ``student/``.

A new assignment is a new source notebook: nothing here names one. The generator refuses a source
whose questions are missing points, whose question names clash with another assignment's (they
would be ambiguous in a gradebook), or whose setup cells do not fetch and read exactly its public
tests from ``tests/<name>/``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = HERE / "source"
COLAB_URL = "https://colab.research.google.com/github/irlbook/irlbook/blob/main/assignments/student/{name}.ipynb"
_TEST_CONFIG = re.compile(r'^""" # BEGIN TEST CONFIG\n(.*?)\n""" # END TEST CONFIG', re.S)


def sources(only: list[str] | None = None, source: Path = SOURCE) -> list[Path]:
    """The instructor notebooks in ``source``, sorted by name (optionally only those named)."""
    found = sorted(Path(source).glob("*.ipynb"))
    if only:
        missing = set(only) - {p.stem for p in found}
        if missing:
            raise SystemExit(f"no source notebook for {sorted(missing)} in {source}")
        found = [p for p in found if p.stem in only]
    return found


def regions(nb):
    """The code and markdown cells of an otter source notebook with where they stand: yields
    ``(question_config, region, cell)``, ``question_config`` the BEGIN QUESTION block (None outside a
    question) and ``region`` one of "solution", "tests" or None."""
    config, region = None, None
    for cell in nb.cells:
        text = cell.source.strip()
        if cell.cell_type != "raw":
            yield config, region, cell
        elif text.startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(text.split("\n", 1)[1]) or {}
        elif text.startswith("# END QUESTION"):
            config = None
        elif text.startswith("# BEGIN SOLUTION") or text.startswith("# BEGIN TESTS"):
            region = "solution" if "SOLUTION" in text else "tests"
        elif text.startswith("# END SOLUTION") or text.startswith("# END TESTS"):
            region = None


def questions(source: Path) -> list[dict]:
    """Each question of a source notebook: name, points, manual, and its tests' points and visibility.

    Every test cell must state its points (``points:`` in its TEST CONFIG), so the totals are explicit.
    """
    nb = nbformat.read(source, as_version=4)
    found, current = [], None
    for question, region, cell in regions(nb):
        if question is not None and (current is None or current["config"] is not question):
            current = {"name": question["name"], "manual": bool(question.get("manual", False)),
                       "points": question.get("points"), "tests": [], "config": question}
            found.append(current)
        if region == "tests" and cell.cell_type == "code":
            match = _TEST_CONFIG.match(cell.source.strip())
            config = yaml.safe_load(match.group(1)) if match else {}
            if "points" not in config:
                raise SystemExit(f"{source.name}: a test of question {current['name']} has no points in its "
                                 "TEST CONFIG")
            current["tests"].append({"points": config["points"], "hidden": bool(config.get("hidden", False))})
    for question in found:
        del question["config"]
        if question["manual"]:
            if not question["points"] or question["tests"]:
                raise SystemExit(f"{source.name}: manual question {question['name']} needs points and no tests")
        else:
            if not question["tests"] or question["points"] is not None:
                raise SystemExit(f"{source.name}: question {question['name']} needs tests with points "
                                 "(and no question-level points)")
            question["points"] = sum(t["points"] for t in question["tests"])
    return found


def summary(source: Path) -> dict:
    """Points of an assignment: total, autograded, manual, and per question."""
    qs = questions(source)
    auto = sum(q["points"] for q in qs if not q["manual"])
    manual = sum(q["points"] for q in qs if q["manual"])
    return {"name": source.stem, "total": auto + manual, "autograded": auto, "manual": manual, "questions": qs}


def _normalise(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Strip outputs and execution counts; give cells stable ids so regeneration is reproducible."""
    prefix = re.sub(r"[^A-Za-z0-9-]", "-", name)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{prefix}-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def _check_setup_cell(nb: nbformat.NotebookNode, name: str, public: list[str]) -> None:
    """The first code cell installs irlbook and otter-grader in Colab and fetches exactly the public tests
    into ``tests/<name>/``; the grader reads them from there."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    setup = code[0]
    if 'if "google.colab" in sys.modules:' not in setup or "irlbook[assignments]" not in setup:
        raise SystemExit(f"{name}: the first code cell must be the Colab setup cell (see the other sources)")
    if ("https://raw.githubusercontent.com/irlbook/irlbook/main/assignments/student/" not in setup
            or setup.count(f'f"tests/{name}/{{question}}.py"') != 2):
        raise SystemExit(f"{name}: the Colab setup cell must download the tests into tests/{name}/")
    if not any(f'otter.Notebook("{name}.ipynb", tests_dir="tests/{name}")' in c for c in code):
        raise SystemExit(f'{name}: the notebook must create grader = otter.Notebook("{name}.ipynb", '
                         f'tests_dir="tests/{name}")')
    listed = re.search(r"for question in (\[.*?\]):", setup)
    if listed is None or sorted(json.loads(listed.group(1))) != sorted(public):
        raise SystemExit(f"{name}: the Colab setup cell must fetch the public tests {sorted(public)}, "
                         f"it lists {listed.group(1) if listed else 'none'}")


def generate(output: Path, only: list[str] | None = None, quiet: bool = False, source_dir: Path = SOURCE) -> list[dict]:
    """Run ``otter assign`` for each source in ``source_dir``; write student notebooks, public tests and autograders."""
    (output / "student" / "tests").mkdir(parents=True, exist_ok=True)
    (output / "autograder").mkdir(parents=True, exist_ok=True)
    owners: dict[str, str] = {}
    summaries = []
    selected = sources(only, source_dir)
    if not selected:
        raise SystemExit(f"no source notebooks in {source_dir}")
    for source in sources(source=source_dir):  # question names must be unique across all assignments
        for question in questions(source):
            if question["name"] in owners:
                raise SystemExit(f"question name {question['name']} is used by both {owners[question['name']]} "
                                 f"and {source.stem}")
            owners[question["name"]] = source.stem
    for source in selected:
        name = source.stem
        with tempfile.TemporaryDirectory() as tmp:
            result = subprocess.run([sys.executable, "-m", "otter", "assign", str(source), tmp],
                                    capture_output=True, text=True, cwd=source.parent)
            if result.returncode != 0:
                raise SystemExit(f"otter assign failed for {name}:\n{result.stdout}\n{result.stderr}")
            tmp = Path(tmp)
            student = _normalise(nbformat.read(tmp / "student" / f"{name}.ipynb", as_version=4), name)
            public = sorted(p.stem for p in (tmp / "student" / "tests").glob("*.py"))
            _check_setup_cell(student, name, public)
            nbformat.validate(student)
            nbformat.write(student, output / "student" / f"{name}.ipynb")
            tests = output / "student" / "tests" / name
            shutil.rmtree(tests, ignore_errors=True)
            tests.mkdir()
            for test in public:
                shutil.copy(tmp / "student" / "tests" / f"{test}.py", tests / f"{test}.py")
            zips = list((tmp / "autograder").glob("*.zip"))
            if len(zips) != 1:
                raise SystemExit(f"otter assign made {len(zips)} autograder zips for {name}")
            shutil.copy(zips[0], output / "autograder" / f"{name}-autograder.zip")
            shutil.copy(tmp / "autograder" / f"{name}.ipynb", output / "autograder" / f"{name}-solution.ipynb")
        info = summary(source)
        summaries.append(info)
        if not quiet:
            print(f"{name}: {info['total']} points ({info['autograded']} autograded, {info['manual']} by hand)  "
                  f"{COLAB_URL.format(name=name)}")
    return summaries


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=HERE, help="where student/ and autograder/ go")
    parser.add_argument("--only", nargs="*", help="assignment names (source notebook stems)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="folder of instructor notebooks (default: source/)")
    args = parser.parse_args(argv)
    generate(args.output.resolve(), args.only, source_dir=args.source.resolve())


if __name__ == "__main__":
    main()
