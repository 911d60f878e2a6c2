"""The CI workflow and .ci/run: valid, and running the same commands as a contributor."""

from __future__ import annotations

import os
import re

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


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


def runs(job: dict) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(job))


def make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_triggers_and_jobs():
    workflow = load_workflow()
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert set(workflow["jobs"]) == {"build", "test", "deploy"}
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on"), name
        assert steps(job), name
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), f"{name}: a step needs exactly one of uses/run: {step}"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_build_job_runs_make_book_with_the_execution_cache():
    build = load_workflow()["jobs"]["build"]
    assert re.search(r"^make book\b", runs(build), re.M)
    assert "book" in make_targets()
    assert uses(build, "actions/checkout")
    (python,) = uses(build, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    (cache,) = uses(build, "actions/cache")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    assert cache["with"]["path"] == config["execute"]["cache"] == "_build/.jupyter_cache"
    assert "irlbook/**/*.py" in cache["with"]["key"] and "constraints.txt" in cache["with"]["key"]
    # The cache is restored before the build, and the site is uploaded after it.
    order = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(build)]
    assert order.index("actions/cache") < order.index("make book PYTHON=python") < order.index("actions/upload-pages-artifact")
    (upload,) = uses(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"


def test_test_job_runs_ci_script():
    test = load_workflow()["jobs"]["test"]
    assert ".ci/run" in runs(test)
    assert "python:3.11" in str(test.get("container", ""))


def test_deploy_only_main_to_pages():
    deploy = load_workflow()["jobs"]["deploy"]
    assert set(deploy["needs"]) == {"build", "test"}
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")


def test_ci_run_script():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK), ".ci/run must be executable"
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert re.search(r"^make test\s*$", text, re.M)
    for package in ("chromium", "libegl1", "libegl-mesa0", "libgl1-mesa-dri"):
        assert package in text
    assert "MUJOCO_GL=egl" in text
    assert {"book", "test", "bench", "clean"} <= make_targets()


def test_readme_links_the_site():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    site = config["html"]["baseurl"].rstrip("/")
    assert site in (ROOT / "README.md").read_text()
    assert config["repository"]["branch"] == "main"
    assert config["repository"]["url"] == "https://github.com/irlbook/irlbook"
