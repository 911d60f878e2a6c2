"""The course assignments and their autograder (otter-grader), end to end.

For every instructor notebook in ``assignments/source/``:

* regenerating it with ``assignments/generate.py`` (``otter assign``) reproduces the committed student
  notebook and public tests byte for byte;
* the solved notebook gets full marks from the autograder (``otter run``, no docker), question by
  question, with the points the source declares;
* the unmodified student notebook gets zero on every autograded question;
* a malformed submission (a cell that raises, a renamed function) is graded, not crashed on: the
  broken questions score zero with a message naming the missing function, the others keep full marks;
* the book has a page for it that states its points and links the student notebook in Colab;
* every plausible wrong answer kept in ``assignments/mutants/<name>/`` (see ``assignments/mutate.py``) scores below
  full marks on its question, graded with the autograder's own tests, while the solution scores full.

The end-to-end tests run `otter` or whole notebooks (seconds each): they are marked ``slow``, in
``make test`` and not in ``make check``.

Adding an assignment is dropping a source notebook in ``assignments/source/``: nothing here names one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests.helpers import ROOT, make_venv

ASSIGNMENTS = ROOT / "assignments"
NAMES = sorted(p.stem for p in (ASSIGNMENTS / "source").glob("*.ipynb"))


def _load(module: str, filename: str):
    """A script of assignments/ loaded as a module (it is not part of the package)."""
    spec = importlib.util.spec_from_file_location(module, ASSIGNMENTS / filename)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


generator = _load("assignments_generate", "generate.py")
mutate = _load("assignments_mutate", "mutate.py")
MUTANTS = mutate.mutants()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Every assignment regenerated from its source into a temporary directory."""
    out = tmp_path_factory.mktemp("assignments")
    generator.generate(out, quiet=True)
    return out


def grade(autograder: Path, submission: Path, workdir: Path) -> dict:
    """``otter run`` a submission; return {question: (score, max_score, output)}."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    result = subprocess.run(
        [sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(workdir), "--no-logo",
         str(submission)],
        capture_output=True, text=True, cwd=workdir, env=env, timeout=300)
    assert result.returncode == 0, f"otter run crashed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    results = json.loads((workdir / "results.json").read_text())
    return {t["name"]: (t["score"], t["max_score"], t["output"]) for t in results["tests"] if "score" in t}


def autograded(name: str) -> dict:
    """{question: points} of the autograded questions of an assignment, from its source."""
    return {q["name"]: q["points"] for q in generator.summary(ASSIGNMENTS / "source" / f"{name}.ipynb")["questions"]
            if not q["manual"]}


def test_there_are_assignments():
    assert {"01_soft_optimality", "02_ill_posed", "03_feature_matching", "04_maxent", "05_duality",
            "06_importance_sampling", "07_irl_as_gan"} <= set(NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_committed_student_version_is_up_to_date(generated, name):
    committed = ASSIGNMENTS / "student" / f"{name}.ipynb"
    assert committed.exists(), f"run `python assignments/generate.py`: {committed} is missing"
    assert committed.read_text() == (generated / "student" / f"{name}.ipynb").read_text(), (
        f"{committed} is out of date with assignments/source/{name}.ipynb: run `python assignments/generate.py`")
    student = nbformat.read(committed, as_version=4)
    text = "\n".join(cell.source for cell in student.cells)
    assert "# BEGIN SOLUTION" not in text and "BEGIN TEST CONFIG" not in text and "Rubric" not in text
    assert all(not cell.get("outputs") for cell in student.cells if cell.cell_type == "code")
    first = next(cell for cell in student.cells if cell.cell_type == "code").source
    assert 'if "google.colab" in sys.modules:' in first and "irlbook[assignments]" in first
    # The files the Colab setup cell downloads from the main branch are the committed public tests.
    listed = json.loads(re.search(r"for question in (\[.*?\]):", first).group(1))
    assert sorted(listed) == sorted(p.stem for p in (ASSIGNMENTS / "student" / "tests" / name).glob("*.py"))
    assert "assignments/student/\"\n" in first and f'f"tests/{name}/{{question}}.py"' in first


@pytest.mark.slow
def test_committed_public_tests_are_up_to_date(generated):
    def files(root):
        return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()}

    committed, fresh = files(ASSIGNMENTS / "student" / "tests"), files(generated / "student" / "tests")
    assert committed == fresh, "assignments/student/tests is out of date: run `python assignments/generate.py`"
    for text in committed.values():
        assert "hidden=True" not in text, "a hidden test leaked into the student's public tests"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_solution_gets_full_marks(generated, name, tmp_path):
    scores = grade(generated / "autograder" / f"{name}-autograder.zip",
                   generated / "autograder" / f"{name}-solution.ipynb", tmp_path)
    expected = autograded(name)
    assert set(scores) == set(expected), (sorted(scores), sorted(expected))
    for question, points in expected.items():
        score, max_score, output = scores[question]
        assert max_score == points, (question, max_score, points)
        assert score == points, f"the solution loses points on {question}:\n{output}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_unmodified_student_version_scores_zero(generated, name, tmp_path):
    scores = grade(generated / "autograder" / f"{name}-autograder.zip",
                   ASSIGNMENTS / "student" / f"{name}.ipynb", tmp_path)
    assert set(scores) == set(autograded(name))
    for question, (score, max_score, output) in scores.items():
        assert max_score > 0 and score == 0, f"{question} gives {score} points to an empty submission:\n{output}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_malformed_submission_fails_clearly(generated, name, tmp_path):
    """The first answer cell raises before defining its function; the last renames its function."""
    solution = nbformat.read(generated / "autograder" / f"{name}-solution.ipynb", as_version=4)
    answers = [cell for cell in solution.cells if cell.cell_type == "code" and cell.source.startswith("def ")]
    questions = list(autograded(name))
    assert len(answers) == len(questions) >= 2, "one answer function per autograded question"
    first_function = answers[0].source.split("(", 1)[0].removeprefix("def ")
    last_function = answers[-1].source.split("(", 1)[0].removeprefix("def ")
    answers[0].source = 'raise RuntimeError("a bug in the submission")\n' + answers[0].source
    answers[-1].source = answers[-1].source.replace(f"def {last_function}(", f"def {last_function}_v2(", 1)
    submission = tmp_path / f"{name}.ipynb"
    nbformat.write(solution, submission)
    scores = grade(generated / "autograder" / f"{name}-autograder.zip", submission, tmp_path / "run")
    for question, function in [(questions[0], first_function), (questions[-1], last_function)]:
        score, _, output = scores[question]
        assert score == 0, (question, score)
        assert f"no function named {function} was defined" in output, output
    # Questions in between do not use the broken functions in these assignments: they keep full marks.
    for question in questions[1:-1]:
        score, max_score, output = scores[question]
        assert score == max_score, f"{question} lost points because of another question's error:\n{output}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_runs_and_checks_its_public_tests(name, tmp_path):
    """What a student sees outside Colab: the setup cell does nothing, every cell runs, and each
    ``grader.check`` reports that question's public tests from ``tests/<name>/`` (failing, unanswered)."""
    from nbclient import NotebookClient

    shutil.copy(ASSIGNMENTS / "student" / f"{name}.ipynb", tmp_path)
    shutil.copytree(ASSIGNMENTS / "student" / "tests" / name, tmp_path / "tests" / name)
    nb = nbformat.read(tmp_path / f"{name}.ipynb", as_version=4)
    env_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    os.environ["PYTHONPATH"], previous = env_path, os.environ.get("PYTHONPATH")
    try:
        resources = {"metadata": {"path": str(tmp_path)}}
        NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()
    finally:
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert not setup.outputs, f"outside Colab the setup cell must do nothing, it printed {setup.outputs}"
    checked = []
    for cell in nb.cells:
        match = re.fullmatch(r'grader\.check\("(\w+)"\)', cell.source.strip()) if cell.cell_type == "code" else None
        if match:
            text = "".join(str(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in cell.outputs)
            assert f"{match.group(1)} results" in text and "not implemented yet" in text, text
            checked.append(match.group(1))
    assert sorted(checked) == sorted(autograded(name))


@pytest.mark.parametrize("name", NAMES)
def test_book_page(name):
    page = ROOT / "book" / "assignments" / f"{name}.md"
    assert page.exists(), f"{page} is missing"
    text = page.read_text()
    info = generator.summary(ASSIGNMENTS / "source" / f"{name}.ipynb")
    assert (f"**Points:** {info['total']} ({info['autograded']} graded automatically, {info['manual']} by hand)"
            in text), f"{page} must state the points of the source notebook"
    assert generator.COLAB_URL.format(name=name) in text
    assert "**Learning goals:**" in text and "**Time:**" in text, f"{page} must state the learning goals and the time"
    source = "\n".join(c.source for c in nbformat.read(ASSIGNMENTS / "source" / f"{name}.ipynb", as_version=4).cells)
    assert "**Learning goals.**" in source and "**Time.**" in source
    # every question has a rubric in the instructor version (the student version has none: checked above)
    assert source.count("**Rubric (") == len(info["questions"]), f"{name}: one rubric per question"
    for question in info["questions"]:
        assert f"`{question['name']}`" in text and f"| {question['points']} |" in text, question["name"]
    index = (ROOT / "book" / "assignments" / "index.md").read_text()
    row = next((line for line in index.splitlines() if f"({name}.md)" in line), None)
    assert row is not None and row.rstrip().endswith(f"| {info['total']} |"), f"book/assignments/index.md: {row}"


def test_grading_helpers_explain_failures():
    from irlbook.book.grading import check_array, check_tuple, random_mdp, require_function

    expected = np.arange(6.0).reshape(2, 3)
    check_array("x", expected + 1e-12, expected)
    for answer, message in [(None, "not implemented"), (np.zeros(3), "shape (3,)"),
                            (np.full((2, 3), np.nan), "NaN"), (expected + 0.5, "max abs error 0.5"),
                            ("text", "numeric array")]:
        with pytest.raises(AssertionError, match=re.escape(message)):
            check_array("x", answer, expected)
    with pytest.raises(AssertionError, match="no function named f"):
        require_function("f", None)
    with pytest.raises(AssertionError, match="tuple of 3"):
        check_tuple("f()", [1, 2, 3], 3)
    mdp = random_mdp(n_states=5, n_actions=2, horizon=3, seed=1, n_successors=2)
    assert np.allclose(mdp.transitions.sum(axis=2), 1) and np.all((mdp.transitions > 0).sum(axis=2) == 2)
    assert np.all((random_mdp(seed=2, deterministic=True).transitions == 1).sum(axis=2) == 1)
    with pytest.raises(ValueError, match="n_successors"):
        random_mdp(n_states=3, n_successors=4)


def test_references_are_disabled_only_inside_the_answer():
    import irlbook
    from irlbook.book.grading import module_functions, references_disabled, without_references

    mdp = irlbook.book.grading.random_mdp(seed=3)
    policy = np.full((mdp.horizon, mdp.n_states, mdp.n_actions), 1 / mdp.n_actions)
    expected = irlbook.state_visitation(mdp, policy)
    from irlbook import state_visitation as bound_before  # a name bound before grading

    answer = without_references(lambda m, p: bound_before(m, p), irlbook.state_visitation)
    with pytest.raises(AssertionError, match="reference implementation"):
        answer(mdp, policy)
    assert np.array_equal(irlbook.state_visitation(mdp, policy), expected)  # restored afterwards
    with references_disabled(irlbook.state_visitation):
        assert without_references(None) is None
    assert np.array_equal(bound_before(mdp, policy), expected)
    import irlbook.tabular.importance as importance
    assert importance.effective_sample_size in module_functions(importance)
    assert np.asarray not in module_functions(importance)


def test_every_autograded_question_has_documented_mutants():
    """At least three wrong answers per autograded question, each saying what it gets wrong, each defining
    exactly the question's function."""
    import ast

    for name in NAMES:
        cells = mutate.answer_cells(name)
        assert set(cells) == set(autograded(name)), (name, sorted(cells))
        for question, (function, _) in cells.items():
            found = [m for m in MUTANTS if m[0] == name and m[1] == question]
            assert len(found) >= 3, f"{name}/{question} has {len(found)} mutants in assignments/mutants/{name}/"
            for *_, path in found:
                assert mutate.description(path), f"{path} must start with a docstring naming its mistake"
                tree = ast.parse(mutate.mutant_source(name, question, path))
                defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
                assert defined and defined[0] == function, f"{path} must define {function} first, defines {defined}"
    assert {m[0] for m in MUTANTS} <= set(NAMES), "a mutant folder names no assignment"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_mutation_harness_gives_the_solution_full_marks(generated, name):
    """The harness that grades the mutants grades the unmodified solution at full marks, question by question."""
    for question, points in autograded(name).items():
        earned, possible, failures = mutate.score(generated / "autograder" / f"{name}-autograder.zip", name, question)
        assert earned == possible == points, (question, earned, possible, failures)


@pytest.mark.slow
@pytest.mark.parametrize("name, question, mutant, path", MUTANTS, ids=[f"{m[0]}/{m[1]}/{m[2]}" for m in MUTANTS])
def test_mutant_is_killed(generated, name, question, mutant, path):
    earned, possible, _ = mutate.run_mutant(generated / "autograder" / f"{name}-autograder.zip", name, question, path)
    assert earned < possible, (f"the wrong answer {path.name} ({mutate.description(path)}) gets full marks "
                               f"({earned}/{possible}) on {question}")


@pytest.mark.slow
def test_a_mutant_loses_its_points_under_otter_run(generated, tmp_path):
    """End to end: a submission that wraps the library's reference implementation scores zero with `otter run`
    (the harness above runs the same test files in process)."""
    name, question = "07_irl_as_gan", "a7_airl_logit"
    solution = nbformat.read(generated / "autograder" / f"{name}-solution.ipynb", as_version=4)
    cell = next(c for c in solution.cells if c.cell_type == "code" and c.source.startswith("def airl_logit("))
    cell.source = mutate.mutant_source(name, question, ASSIGNMENTS / "mutants" / name / f"{question}__reference.py")
    nbformat.write(solution, tmp_path / f"{name}.ipynb")
    scores = grade(generated / "autograder" / f"{name}-autograder.zip", tmp_path / f"{name}.ipynb", tmp_path / "run")
    score, max_score, output = scores[question]
    assert score == 0 and max_score == 3, (score, output)
    assert "reference implementation" in output, output
    assert all(scores[q][0] == scores[q][1] for q in scores if q != question)


@pytest.mark.slow
def test_a_private_source_folder_builds_without_touching_the_repository(tmp_path):
    """The documented split: a course's own copy of a source notebook, with a changed hidden test, builds its
    student version and autograder elsewhere; the student side has no hidden test and no solution."""
    private = tmp_path / "course-private" / "source"
    private.mkdir(parents=True)
    shutil.copy(ASSIGNMENTS / "source" / "requirements.txt", private)
    text = (ASSIGNMENTS / "source" / "02_ill_posed.ipynb").read_text()
    assert "seed=30 + seed" in text
    (private / "02_ill_posed.ipynb").write_text(text.replace("seed=30 + seed", "seed=1230 + seed"))
    before = sorted(str(p) for p in ASSIGNMENTS.rglob("*"))
    generator.generate(tmp_path / "build", quiet=True, source_dir=private)
    assert sorted(str(p) for p in ASSIGNMENTS.rglob("*")) == before
    with zipfile.ZipFile(tmp_path / "build" / "autograder" / "02_ill_posed-autograder.zip") as archive:
        assert "seed=1230 + seed" in archive.read("tests/a2_shaped_reward.py").decode()
    student = (tmp_path / "build" / "student" / "02_ill_posed.ipynb").read_text()
    assert "1230" not in student and "BEGIN SOLUTION" not in student and "Rubric" not in student
    public = "".join(p.read_text() for p in (tmp_path / "build" / "student" / "tests").rglob("*.py"))
    assert "hidden=True" not in public and "1230" not in public


COLAB_PACKAGES = ("numpy", "scipy", "matplotlib", "torch", "ipykernel", "nbclient")

COLAB_RUNNER = r"""
import sys
import nbformat
from nbclient import NotebookClient
path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
nbformat.write(nb, out)
"""


@pytest.fixture(scope="module")
def colab_like_python(built_dist, tmp_path_factory):
    """A fresh venv with what Colab has preinstalled (numpy, scipy, matplotlib, torch, a Jupyter kernel; versions
    from constraints.txt) and neither irlbook nor otter-grader: the notebooks' setup cell installs those."""
    return make_venv(tmp_path_factory.mktemp("colab-assignments") / "venv", *COLAB_PACKAGES), built_dist["wheel"]


@pytest.mark.slow
def test_student_notebooks_run_in_a_colab_like_environment(colab_like_python, generated, tmp_path):
    """Each student notebook runs top to bottom in the Colab-like venv, outside the repository, with
    ``google.colab`` present, so its setup cell really installs ``irlbook[assignments]`` (from the local wheel, in
    place of the GitHub URL) and downloads its public tests (from the committed files, in place of
    raw.githubusercontent.com). Then ``otter check`` in that venv passes the solved notebook and fails the blank one."""
    python, wheel = colab_like_python
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    probe = subprocess.run([str(python), "-c", "import irlbook"], capture_output=True, cwd=tmp_path, env=env)
    assert probe.returncode != 0, "the Colab-like venv must start without irlbook"
    runner = tmp_path / "run.py"
    runner.write_text(COLAB_RUNNER)
    for name in NAMES:
        work = tmp_path / name
        work.mkdir()
        nb = nbformat.read(ASSIGNMENTS / "student" / f"{name}.ipynb", as_version=4)
        setup = next(cell for cell in nb.cells if cell.cell_type == "code")
        github = "irlbook[assignments] @ git+https://github.com/irlbook/irlbook@main"
        raw = "https://raw.githubusercontent.com/irlbook/irlbook/main/assignments/student/"
        assert github in setup.source and raw in setup.source
        setup.source = (setup.source.replace(github, f"irlbook[assignments] @ {wheel.as_uri()}")
                        .replace(raw, (ASSIGNMENTS / "student").as_uri() + "/"))
        nb.cells.insert(0, nbformat.v4.new_code_cell(
            'import sys, types\nsys.modules["google.colab"] = types.ModuleType("google.colab")'))
        nb.cells.append(nbformat.v4.new_code_cell("import irlbook, otter\nprint(irlbook.__file__)"))
        nbformat.write(nb, work / f"{name}.ipynb")
        out = subprocess.run([str(python), str(runner), f"{name}.ipynb", "executed.ipynb"], cwd=work, env=env,
                             capture_output=True, text=True, timeout=1200)
        assert out.returncode == 0, f"{name} fails in the Colab-like venv:\n{out.stderr[-4000:]}"
        executed = nbformat.read(work / "executed.ipynb", as_version=4)
        location = executed.cells[-1].outputs[0]["text"]
        assert str(python.parent.parent) in location and not location.startswith(str(ROOT)), location
        assert sorted(p.stem for p in (work / "tests" / name).glob("*.py")) == sorted(
            p.stem for p in (ASSIGNMENTS / "student" / "tests" / name).glob("*.py")), "the setup cell's downloads"
        # otter check, from the shell of that venv: the solved notebook passes its public tests, the blank one not
        solved = work / "solved"
        shutil.copytree(work / "tests", solved / "tests")
        shutil.copy(generated / "autograder" / f"{name}-solution.ipynb", solved / f"{name}.ipynb")
        for folder, passes in [(solved, True), (work, False)]:
            check = subprocess.run([str(python), "-m", "otter", "check", f"{name}.ipynb", "-t", f"tests/{name}"],
                                   cwd=folder, env=env, capture_output=True, text=True, timeout=900)
            assert check.returncode == 0, check.stderr[-3000:]
            assert ("All tests passed!" in check.stdout) == passes, (name, folder.name, check.stdout[-3000:])
