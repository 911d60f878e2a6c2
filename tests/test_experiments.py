"""The experiments package: one entry point, a registry that imports nothing heavy, the shared
normalised score, the record schema (provenance with ``dirty``) and the index of ``results/``."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from irlbook import experiments
from irlbook.book import records
from irlbook.experiments.evaluation import episode_totals, normalised_score, random_return, rollouts_with_rewards

ROOT = Path(__file__).resolve().parent.parent


def run_module(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, env=environment,
                          timeout=120)


def test_list_names_every_experiment_without_importing_torch():
    out = run_module("-c", "import sys, runpy; sys.argv = ['x', '--list']\n"
                           "try:\n    runpy.run_module('irlbook.experiments', run_name='__main__')\n"
                           "except SystemExit as e:\n    assert not e.code, e.code\n"
                           "assert 'torch' not in sys.modules, 'torch imported by --list'")
    assert out.returncode == 0, out.stderr
    listed = [line.split()[0] for line in out.stdout.splitlines() if line.strip()]
    assert listed == experiments.names() and len(listed) == 15


def test_the_command_line_runs_an_experiment(tmp_path):
    out = run_module("-m", "irlbook.experiments", "label_bias", "--name", "lb", env={"IRLBOOK_RESULTS": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    record = json.loads((tmp_path / "lb.json").read_text())
    assert record["provenance"]["command"] == "python -m irlbook.experiments label_bias --name lb"
    unknown = run_module("-m", "irlbook.experiments", "nothing")
    assert unknown.returncode != 0 and "unknown experiment" in unknown.stderr


@pytest.mark.parametrize("name", experiments.names())
def test_every_experiment_is_a_module_with_main(name):
    module = experiments.load(name)
    assert callable(module.main) and module.__doc__
    with pytest.raises(SystemExit) as exit_:
        module.main(["--help"])
    assert exit_.value.code == 0


def test_nothing_loads_a_runner_by_file_path():
    """No test, notebook or page imports a runner from benchmarks/ or scripts/ by its path."""
    suspects = [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("tests/*.py"), *ROOT.glob("irlbook/**/*.py")]
    for path in suspects:
        if path.name == Path(__file__).name:
            continue
        text = path.read_text()
        for runner in ("gcl_mujoco.py", "make_expert_demos.py", "record_label_bias.py", "adversarial_control.py",
                       "run_adversarial_continuous.py"):
            assert runner not in text, (path, runner)


def test_the_library_never_imports_experiments_or_book():
    for layer in ("core", "tabular", "deep", "envs"):
        for path in (ROOT / "irlbook" / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom):
                    module = "." * node.level + (node.module or "")
                    assert "experiments" not in module and not module.lstrip(".").startswith(("book", "irlbook.book")) \
                        and module not in ("..book",), (path, module)


def test_normalised_score_by_hand():
    assert normalised_score(-150.0, R_expert=-100.0, R_random=-300.0) == pytest.approx(0.75)
    assert normalised_score(-300.0, -100.0, -300.0) == 0.0 and normalised_score(-100.0, -100.0, -300.0) == 1.0
    assert isinstance(normalised_score(5, 10, 0), float)
    np.testing.assert_allclose(normalised_score(np.array([0.0, 5.0, 20.0]), 10.0, 0.0), [0.0, 0.5, 2.0])
    # one expert and random return per seed
    np.testing.assert_allclose(normalised_score([1.0, 2.0], [2.0, 4.0], [0.0, 0.0]), [0.5, 0.5])
    with pytest.raises(ValueError, match="R_expert"):
        normalised_score(1.0, 2.0, 2.0)


def test_random_return_is_seeded_and_sums_the_rewards():
    import gymnasium as gym

    env = gym.make("Pendulum-v1")
    out = rollouts_with_rewards(env, None, 2, seed=3)
    assert random_return(env, 2, seed=3) == pytest.approx(float(out["returns"].mean()))
    np.testing.assert_allclose(out["rewards"].sum(1), out["returns"])


def test_episode_totals_sum_the_rewards_and_the_info_entries():
    import gymnasium as gym

    pendulum = gym.make("Pendulum-v1")
    totals = episode_totals(pendulum, None, 2, seed=3)
    by_steps = rollouts_with_rewards(pendulum, None, 2, seed=3)["returns"]
    np.testing.assert_allclose(totals["returns"], by_steps, rtol=1e-12)
    np.testing.assert_array_equal(totals["lengths"], [200, 200])
    pytest.importorskip("mujoco")
    ant = gym.make("Ant-v5", max_episode_steps=30)
    parts = ("reward_forward", "reward_ctrl", "reward_contact", "reward_survive")
    totals = episode_totals(ant, lambda obs: np.full(8, 0.5), 3, seed=0, info_keys=parts)
    np.testing.assert_allclose(sum(totals[key] for key in parts), totals["returns"], rtol=1e-12)
    assert np.all(totals["reward_ctrl"] < 0) and np.all(totals["lengths"] <= 30)
    with pytest.raises(ValueError, match="info_keys"):
        episode_totals(pendulum, None, 1, seed=0, info_keys=("reward_forward",))
    with pytest.raises(ValueError, match="n_episodes"):
        episode_totals(pendulum, None, 0, seed=0)


def test_episode_totals_keep_the_transitions_of_the_same_episodes():
    """With ``transitions``, the flat steps are those of the summed episodes: the same as collect_episodes draws
    for a deterministic policy, one per step, each next observation the following step's observation."""
    import gymnasium as gym

    from irlbook.experiments.onpolicy import collect_episodes

    class Policy:                                   # deterministic, as an agent and as a function of obs
        def act(self, obs, deterministic=True):
            return np.clip(-obs[:1] * obs[2:3], -2.0, 2.0).astype(np.float32)

    pendulum = gym.make("Pendulum-v1", max_episode_steps=25)
    totals = episode_totals(pendulum, Policy().act, 2, seed=7, transitions=True)
    drawn = collect_episodes(Policy(), pendulum, 2, seed=7, deterministic=True)
    for key in ("obs", "actions", "next_obs"):
        assert totals[key].dtype == np.float32 and len(totals[key]) == totals["lengths"].sum() == 50
        np.testing.assert_array_equal(totals[key], drawn[key])
    np.testing.assert_allclose(totals["returns"], drawn["returns"], rtol=1e-12)
    np.testing.assert_array_equal(totals["obs"][1:25], totals["next_obs"][:24])
    assert "obs" not in episode_totals(pendulum, None, 1, seed=0)


def test_record_schema_and_provenance_has_dirty(monkeypatch, tmp_path):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    path = records.save_result("x", {"a": 1.0}, seed=3, command="python -m irlbook.experiments x")
    record = json.loads(path.read_text())
    assert record["schema"] == records.RECORD_SCHEMA and record["name"] == "x" and record["values"] == {"a": 1.0}
    provenance = record["provenance"]
    for key in ("date", "profile", "device", "versions", "seed", "git_commit", "dirty", "command"):
        assert key in provenance, key
    assert provenance["dirty"] in (True, False)                       # this is a git checkout
    assert records._dirty(tmp_path) is None                           # outside one: unknown


def test_dirty_ignores_what_runs_write_to_results(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", "code.py")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "code")
    assert records._dirty(tmp_path) is False
    (tmp_path / "results" / "checkpoints").mkdir(parents=True)
    (tmp_path / "results" / "run.json").write_text("{}")
    (tmp_path / "results" / "checkpoints" / "ppo.pt").write_text("")
    assert records._dirty(tmp_path) is False                          # a run's own outputs
    (tmp_path / "code.py").write_text("x = 2\n")
    assert records._dirty(tmp_path) is True


def test_the_index_marks_superseded_records(tmp_path):
    for name, extra in (("old", {"superseded_by": "new"}), ("new", {})):
        (tmp_path / f"{name}.json").write_text(json.dumps(
            {"name": name, "values": {}, "reproduces": [{"paper": "p"}] if name == "new" else [],
             "provenance": {"date": "2026-01-01"}, **extra}))
    path = records.write_index(tmp_path)
    index = {entry["name"]: entry for entry in json.loads(path.read_text())["records"]}
    assert set(index) == {"old", "new"}                               # the index lists records, not itself
    assert index["old"]["superseded_by"] == "new" and index["new"]["superseded_by"] is None
    assert index["new"] == {"name": "new", "file": "new.json", "date": "2026-01-01", "reproduces": 1,
                            "superseded_by": None}
    assert [r["name"] for r in records.load_results(tmp_path)] == ["new", "old"]
    (tmp_path / "old.json").write_text(json.dumps({"name": "old", "superseded_by": "gone"}))
    with pytest.raises(ValueError, match="gone"):
        records.build_index(tmp_path)


def test_the_committed_index_is_up_to_date():
    committed = json.loads((ROOT / "results" / records.INDEX_NAME).read_text())
    assert committed == records.build_index(ROOT / "results"), \
        "results/index.json is stale: run `python -m irlbook.experiments index`"


def test_expert_demos_names_the_command_when_the_file_is_missing(tmp_path):
    from irlbook.book.presets import expert_demos

    with pytest.raises(FileNotFoundError, match="python -m irlbook.experiments expert_demos --preset pendulum"):
        expert_demos("pendulum", directory=tmp_path)


def test_glue_is_a_no_op_without_myst_nb(monkeypatch):
    import builtins

    from irlbook.book.glue import glue

    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    assert glue("x", 1.0) is None        # runs in Colab, where myst-nb is not installed


@pytest.mark.slow
def test_adversarial_control_runs_give_the_same_numbers_in_worker_processes():
    from irlbook.experiments.adversarial_control import run_jobs

    jobs = [dict(task="pendulum", method=method, iterations=2, seed=0) for method in ("gail", "airl")]
    here, there = run_jobs(jobs, workers=1), run_jobs(jobs, workers=2)
    for a, b in zip(here, there, strict=True):
        assert a["history"] == b["history"] and a["return"] == b["return"]
        assert np.isfinite(a["normalised"]) and len(a["history"]["returns"]) == 2


@pytest.mark.slow
def test_airl_generators_at_toy_sizes_normalise_by_the_seed_baselines():
    """Both generators and the true-reward baseline at toy sizes; the scores follow from the returns."""
    from irlbook.experiments import airl_generators

    values = airl_generators.compare([0], workers=1, sac_iterations=4, ppo_iterations=2, reopt_episodes=2)
    assert values["test_g"] == airl_generators.TEST_G and values["reopt_episodes"] == 2
    for kind in ("sac", "ppo"):
        v = values[kind]
        assert len(v["imitation"]) == len(v["transfer"]) == len(v["reoptimised_at_train_g"]) == 1
        assert v["imitation_normalised"][0] == pytest.approx(
            normalised_score(v["imitation"][0], values["R_expert"], values["R_random"]))
        assert v["transfer_normalised"][0] == pytest.approx(normalised_score(
            v["transfer"][0], values["true_reward_at_test_g"][0], values["random_at_test_g"][0]))
    with pytest.raises(ValueError, match="kind"):
        airl_generators.run_one("td3", 0)


def test_load_finished_ppo_returns_the_saved_agent_only_when_it_has_finished(tmp_path):
    import gymnasium as gym
    import torch

    from irlbook.experiments.onpolicy import load_finished_ppo, ppo_stage

    kwargs = {"hidden": (8,), "n_steps": 64}
    path = tmp_path / "ppo.pt"
    trained = ppo_stage(path, lambda: gym.make("Pendulum-v1"), 128, 0, n_envs=1, ppo_kwargs=kwargs)
    env = gym.make("Pendulum-v1")
    loaded = load_finished_ppo(path, env, 128, 0, kwargs)
    assert loaded is not None and loaded.step == trained.step == 128
    for a, b in zip(loaded.actor.parameters(), trained.actor.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert load_finished_ppo(path, env, 256, 0, kwargs) is None           # saved before its 256 steps
    assert load_finished_ppo(tmp_path / "missing.pt", env, 128, 0, kwargs) is None


def test_a_record_command_names_the_mkl_pin_it_ran_under(monkeypatch):
    from irlbook.experiments import common

    for name in ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR"):
        monkeypatch.delenv(name, raising=False)
    assert common.command("label_bias", ["--seeds", "0"]) == (
        "OMP_NUM_THREADS=1 python -m irlbook.experiments label_bias --seeds 0")
    monkeypatch.setenv("MKL_ENABLE_INSTRUCTIONS", "SSE4_2")
    assert common.command("label_bias", [], env="") == (
        "MKL_ENABLE_INSTRUCTIONS=SSE4_2 python -m irlbook.experiments label_bias")
