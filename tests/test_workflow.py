"""The contributor commands and CI run the same thing, checked by running them.

* ``make`` itself (dry runs, ``make -n``) says what ``book``, ``test`` and ``check`` do: ``test`` is the
  full gate (the book build, every unit test, nbval over every notebook), ``check`` the fast loop
  (ruff and the unit tests, no book, no notebooks, no browser).
* ``.ci/run`` runs against stub ``apt-get``/``dpkg``/``make`` commands: on a bare machine it installs
  the system packages and then runs ``make test``; with everything present it installs nothing; a failing
  ``make test`` fails it.
* The GitHub workflow, parsed: its steps are the repository's own commands (and they are valid ``make``
  invocations), its execution cache covers what ``make book`` keys its cache on, and only ``main`` deploys.
* The book's configuration: every page in ``_toc.yml`` exists, and the site and repository links agree.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
CI_RUN = ROOT / ".ci" / "run"
MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="needs GNU make")


# ------------------------------------------------------------------------------ Makefile
def make_dry_run(*args: str) -> list[str]:
    """The commands ``make -n -B <args>`` would run (every target out of date, nothing executed)."""
    out = subprocess.run([MAKE, "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


def commands(lines: list[str], program: str) -> list[list[str]]:
    """The argument lists of the ``program`` invocations among ``lines`` (simple commands only)."""
    found = []
    for line in lines:
        try:
            words = shlex.split(line)
        except ValueError:       # a multi-line shell fragment of the book recipe
            continue
        if words and Path(words[0]).name == program:
            found.append(words)
    return found


def pytest_runs(lines: list[str]) -> list[list[str]]:
    return [words[3:] for words in commands(lines, "python") if words[1:3] == ["-m", "pytest"]]


def marker_expression(args: list[str]) -> str | None:
    return args[args.index("-m") + 1] if "-m" in args else None


@needs_make
def test_make_test_is_the_full_gate():
    lines = make_dry_run("test")
    builds = commands(lines, "jupyter-book")
    assert builds and builds[0][1:3] == ["build", "."] and "-W" in builds[0], builds
    runs = pytest_runs(lines)
    # every unit test (no marker deselected), then nbval over every notebook
    assert runs[0][0] == "tests" and marker_expression(runs[0]) is None, runs
    assert runs[1][:2] == ["--nbval-lax", "notebooks"], runs
    # the book is built before any test runs
    text = "\n".join(lines)
    assert text.index("jupyter-book build") < text.index("-m pytest")


@needs_make
def test_make_check_is_lint_and_unit_tests_only():
    lines = make_dry_run("-o", ".venv/.installed", "check")      # -o: the environment counts as built
    (lint,) = commands(lines, "ruff")
    assert lint[1] == "check" and {"irlbook", "tests"} <= set(lint[2:]), lint
    assert all((ROOT / path).exists() for path in lint[2:]), lint
    (run,) = pytest_runs(lines)
    assert run[0] == "tests"
    deselected = marker_expression(run)
    for marker in ("slow", "browser", "gpu"):
        assert f"not {marker}" in deselected, deselected
    assert not commands(lines, "jupyter-book") and not commands(lines, "npm")
    assert not any("nbval" in line for line in lines)


@needs_make
def test_make_check_markers_are_registered():
    """The markers `make check` deselects are declared, so a typo cannot silently select everything."""
    out = subprocess.run([sys.executable, "-m", "pytest", "--markers"], cwd=ROOT,
                         capture_output=True, text=True)
    lines = make_dry_run("-o", ".venv/.installed", "check")
    expression = marker_expression(pytest_runs(lines)[0])
    for word in expression.replace("(", " ").replace(")", " ").split():
        if word not in {"not", "and", "or"}:
            assert f"@pytest.mark.{word}:" in out.stdout, f"marker {word!r} is not registered"


@needs_make
def test_make_help_names_every_documented_target():
    out = subprocess.run([MAKE, "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    named = {line.split()[1] for line in out.splitlines() if line.startswith("make ")}
    assert {"book", "test", "check", "bench", "clean"} <= named
    for target in named:      # each one is a real target: a dry run succeeds
        make_dry_run("-o", ".venv/.installed", target)


# -------------------------------------------------------------------------------- .ci/run
def stub(directory: Path, name: str, exit_code: int = 0) -> None:
    """An executable ``name`` that appends its arguments (and two variables) to ``calls.log``."""
    path = directory / name
    path.write_text(
        "#!/bin/sh\n"
        f'echo "{name} $* [MUJOCO_GL=$MUJOCO_GL IRLBOOK_PROFILE=$IRLBOOK_PROFILE]" >> "$CALLS"\n'
        f"exit {exit_code}\n")
    path.chmod(0o755)


def run_ci(tmp_path: Path, present: bool, make_exit: int = 0) -> tuple[int, list[str]]:
    """Run ``.ci/run`` with stub system tools: ``present`` says whether chromium, npm and the EGL
    packages are already installed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    stub(bin_dir, "apt-get")
    stub(bin_dir, "dpkg", exit_code=0 if present else 1)
    stub(bin_dir, "make", exit_code=make_exit)
    if present:
        stub(bin_dir, "chromium")
        stub(bin_dir, "npm")
    calls = tmp_path / "calls.log"
    calls.touch()
    env = {"PATH": str(bin_dir), "CALLS": str(calls), "HOME": str(tmp_path)}
    out = subprocess.run([str(CI_RUN)], env=env, capture_output=True, text=True, cwd=tmp_path)
    return out.returncode, [line for line in calls.read_text().splitlines() if not line.startswith("dpkg ")]


def test_ci_run_on_a_bare_machine_installs_the_system_packages_then_runs_make_test(tmp_path):
    assert os.access(CI_RUN, os.X_OK), ".ci/run must be executable"
    code, calls = run_ci(tmp_path, present=False)
    assert code == 0, calls
    assert calls[0].startswith("apt-get update")
    installed = calls[1].split("[")[0].split()
    assert installed[:2] == ["apt-get", "install"]
    assert {"chromium", "libegl1", "libegl-mesa0", "libgl1-mesa-dri", "npm"} <= set(installed)
    assert calls[2:] == ["make test [MUJOCO_GL=egl IRLBOOK_PROFILE=quick]"]


def test_ci_run_with_everything_installed_only_runs_make_test(tmp_path):
    code, calls = run_ci(tmp_path, present=True)
    assert code == 0 and calls == ["make test [MUJOCO_GL=egl IRLBOOK_PROFILE=quick]"], calls


def test_ci_run_fails_when_make_test_fails(tmp_path):
    code, calls = run_ci(tmp_path, present=True, make_exit=2)
    assert code == 2 and calls == ["make test [MUJOCO_GL=egl IRLBOOK_PROFILE=quick]"]


# ------------------------------------------------------------------------ GitHub workflow
def load_workflow() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if str(s.get("uses", "")).split("@")[0] == action]


def step_names(job: dict) -> list[str]:
    return [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(job)]


def test_workflow_is_well_formed():
    workflow = load_workflow()
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert set(workflow["jobs"]) == {"build", "test", "deploy"}
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on") and steps(job), name
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), f"{name}: a step needs exactly one of uses/run: {step}"
            if "uses" in step:
                owner_name, _, version = step["uses"].partition("@")
                assert owner_name.count("/") == 1 and version.startswith("v") and version[1:].isdigit(), step


@needs_make
def test_build_job_runs_make_book_with_the_execution_cache():
    build = load_workflow()["jobs"]["build"]
    (python,) = uses(build, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    (make_book,) = [s["run"] for s in steps(build) if s.get("run", "").startswith("make ")]
    args = shlex.split(make_book)[1:]
    assert args[0] == "book"
    assert commands(make_dry_run(*args), "jupyter-book"), "the workflow's make command must build the book"
    # the cache the workflow restores is the one _config.yml executes into
    (cache,) = uses(build, "actions/cache")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    assert cache["with"]["path"] == config["execute"]["cache"]
    # ... keyed on every file `make book` keys its cache on (the library, _ext, the pins)
    globs = [g.strip(" '") for g in cache["with"]["key"].split("hashFiles(")[1].split(")")[0].split(",")]
    keyed = {p for g in globs for p in ROOT.glob(g)}
    made = {p for d in ("irlbook", "_ext") for p in (ROOT / d).rglob("*.py")} | {ROOT / "constraints.txt"}
    assert made <= keyed, sorted(str(p.relative_to(ROOT)) for p in made - keyed)
    # restored before the build, the site uploaded after it
    order = step_names(build)
    assert order.index("actions/cache") < order.index(make_book) < order.index("actions/upload-pages-artifact")
    (upload,) = uses(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"


def test_test_job_runs_ci_run_in_python_311():
    test = load_workflow()["jobs"]["test"]
    assert [s["run"] for s in steps(test) if "run" in s] == [".ci/run"]
    assert test["container"].startswith("python:3.11")


def test_deploy_only_main_to_pages():
    deploy = load_workflow()["jobs"]["deploy"]
    assert set(deploy["needs"]) == {"build", "test"}
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")


# ---------------------------------------------------------------------- book configuration
def toc_files(node) -> list[str]:
    if isinstance(node, dict):
        own = [node[k] for k in ("root", "file") if k in node]
        return own + [f for value in node.values() for f in toc_files(value)]
    if isinstance(node, list):
        return [f for item in node for f in toc_files(item)]
    return []


def test_every_toc_entry_exists():
    files = toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    assert "index" in files and any(f.startswith("notebooks/") for f in files)
    missing = [f for f in files if not any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb", ""))]
    assert not missing, missing
    assert len(files) == len(set(files)), "a page is listed twice"


def test_site_and_repository_links():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]
    assert (repository["url"], repository["branch"]) == ("https://github.com/irlbook/irlbook", "main")
    assert config["html"]["baseurl"].rstrip("/") in (ROOT / "README.md").read_text()
