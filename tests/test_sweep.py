"""The sweep runner (irlbook.experiments.sweep): resumable jobs, a summary, and Ray giving the same records."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import irlbook
from irlbook.experiments import sweep

ROOT = Path(irlbook.__file__).resolve().parents[1]


def job_values(directory):
    """Every job record's values (provenance, with its dates, left out), and the summary's."""
    records = {p.stem: json.loads(p.read_text()) for p in sorted(Path(directory).glob("sweep_toy_*.json"))}
    return {name: record["values"] for name, record in records.items()}


def sequential(tmp_path, monkeypatch, name="sequential"):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path / name))
    out = sweep.run_sweep("sweep_toy", backend="sequential", checkpoint_root=tmp_path / name / "ckpt")
    return out, job_values(tmp_path / name)


def test_sequential_sweep_writes_records_and_a_summary(tmp_path, monkeypatch):
    out, values = sequential(tmp_path, monkeypatch)
    assert out["unfinished"] == [] and out["summary"].name == "sweep_toy_sweep.json"
    assert set(values) == {"sweep_toy_small_seed0", "sweep_toy_small_seed1", "sweep_toy_large_seed0",
                           "sweep_toy_large_seed1", "sweep_toy_sweep"}
    assert values["sweep_toy_small_seed0"]["estimate"] != values["sweep_toy_small_seed1"]["estimate"]
    large = values["sweep_toy_large_seed1"]
    assert large["change_from_small"] == pytest.approx(large["estimate"] - values["sweep_toy_small_seed1"]["estimate"])
    summary = values["sweep_toy_sweep"]["summary"]["small"]["estimate"]
    assert summary["values"] == [values[f"sweep_toy_small_seed{k}"]["estimate"] for k in (0, 1)]
    assert abs(summary["mean"] - 3.14159) < 0.1


def test_stopped_jobs_resume_from_their_checkpoints(tmp_path, monkeypatch):
    _, expected = sequential(tmp_path, monkeypatch, "straight")
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path / "resumed"))
    kwargs = dict(backend="sequential", checkpoint_root=tmp_path / "resumed" / "ckpt")
    first = sweep.run_sweep("sweep_toy", max_seconds=0, **kwargs)     # one chunk per job, then stop
    assert first["finished"] == [] and first["summary"] is None and len(first["unfinished"]) == 4
    state = json.loads((tmp_path / "resumed/ckpt/sweep_toy/small/seed0/state.json").read_text())
    assert state["done"] == 1
    second = sweep.run_sweep("sweep_toy", **kwargs)
    assert len(second["finished"]) == 4
    assert job_values(tmp_path / "resumed") == expected
    # a third run finds every job finished and runs none
    third = sweep.run_sweep("sweep_toy", log=lambda m: pytest.fail(f"ran a finished job: {m}")
                            if m.startswith("start") else None, **kwargs)
    assert len(third["finished"]) == 4


def test_the_summary_waits_for_the_whole_sweep(tmp_path, monkeypatch):
    """A sweep of some of the jobs writes no summary (unless named); the one that finishes the rest does."""
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    kwargs = dict(backend="sequential", checkpoint_root=tmp_path / "ckpt")
    part = sweep.run_sweep("sweep_toy", settings=["small"], seeds=[0], **kwargs)
    assert part["summary"] is None and not (tmp_path / "sweep_toy_sweep.json").exists()
    named = sweep.run_sweep("sweep_toy", settings=["small"], seeds=[0], summary_name="small0", **kwargs)
    assert json.loads(named["summary"].read_text())["values"]["settings"] == ["small"]
    rest = sweep.run_sweep("sweep_toy", settings=["large"], seeds=[0, 1], **kwargs)
    summary = json.loads(rest["summary"].read_text())["values"]
    assert rest["summary"].name == "sweep_toy_sweep.json" and len(summary["jobs"]) == 4
    assert summary["settings"] == ["small", "large"] and summary["seeds"] == [0, 1]


def test_each_group_has_its_own_summary_once_its_jobs_have_finished(tmp_path, monkeypatch):
    """With GROUPS, a group's summary (and only that group's) is written when its jobs, all default seeds, are done."""
    from irlbook.experiments import sweep_toy

    monkeypatch.setattr(sweep_toy, "GROUPS", {"few": ["small"], "many": ["large"]}, raising=False)
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    kwargs = dict(backend="sequential", checkpoint_root=tmp_path / "ckpt")
    assert sweep.run_sweep("sweep_toy", settings=["small"], seeds=[0], **kwargs)["summary"] is None
    few = sweep.run_sweep("sweep_toy", settings=["small"], **kwargs)["summary"]
    assert few.name == "sweep_toy_few_sweep.json" and not (tmp_path / "sweep_toy_many_sweep.json").exists()
    assert json.loads(few.read_text())["values"]["settings"] == ["small"]
    many = sweep.run_sweep("sweep_toy", settings=["large"], **kwargs)["summary"]
    values = json.loads(many.read_text())["values"]
    assert many.name == "sweep_toy_many_sweep.json" and values["settings"] == ["large"]
    assert set(values["jobs"]) == {"large/seed0", "large/seed1"}
    assert not (tmp_path / "sweep_toy_sweep.json").exists()


def test_a_job_record_names_the_device_its_worker_computed_on(tmp_path, monkeypatch):
    """The record is written by the runner, the values computed by the worker: provenance names the worker's device
    (a job on CUDA in a worker whose parent never imported torch is still recorded as CUDA)."""
    monkeypatch.setattr(sweep, "describe_device", lambda: "cuda: a worker's GPU")
    sequential(tmp_path, monkeypatch)
    record = json.loads((tmp_path / "sequential" / "sweep_toy_small_seed0.json").read_text())
    assert record["provenance"]["device"] == "cuda: a worker's GPU"
    assert sweep.execute("sweep_toy", "small", 0, tmp_path / "again")["device"] == "cuda: a worker's GPU"


def test_a_process_pool_gives_the_same_records(tmp_path, monkeypatch):
    _, expected = sequential(tmp_path, monkeypatch)
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path / "pool"))
    sweep.run_sweep("sweep_toy", backend="local", workers=2, checkpoint_root=tmp_path / "pool" / "ckpt")
    assert job_values(tmp_path / "pool") == expected


def test_bad_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    with pytest.raises(ValueError, match="experiment"):
        sweep.run_sweep("gcl_pendulum")
    with pytest.raises(ValueError, match="settings"):
        sweep.run_sweep("sweep_toy", settings=["huge"])
    with pytest.raises(ValueError, match="backend"):
        sweep.run_sweep("sweep_toy", backend="slurm")


def test_the_runner_does_not_import_ray_unless_asked():
    code = "import sys, irlbook.experiments.sweep; assert 'ray' not in sys.modules"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_ray_gives_the_records_of_a_sequential_run(tmp_path, monkeypatch):
    ray = pytest.importorskip("ray")
    _, expected = sequential(tmp_path, monkeypatch)
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path / "ray"))
    # the workers import the irlbook this test imports
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": path}})
    try:
        out = sweep.run_sweep("sweep_toy", backend="ray", checkpoint_root=tmp_path / "ray" / "ckpt")
    finally:
        ray.shutdown()
    assert len(out["finished"]) == 4
    assert job_values(tmp_path / "ray") == expected


@pytest.mark.slow
def test_gail_mujoco_jobs_at_toy_sizes_checkpoint_and_resume(tmp_path):
    """The expert, GAIL and behavioural-cloning jobs of gail_mujoco end to end at toy sizes: a job stopped
    after its first iteration leaves a checkpoint and finishes when run again."""
    pytest.importorskip("mujoco")
    from irlbook.experiments import gail_mujoco

    tiny = {"hopper_expert": {"env": "hopper", "kind": "expert", "steps": 4096},
            "hopper_gail_4": {"env": "hopper", "kind": "gail", "n": 4, "iterations": 2},
            "hopper_bc_4": {"env": "hopper", "kind": "bc", "n": 4, "epochs": 3}}

    def job(setting, max_seconds=None):
        folder = sweep.checkpoint_dir(tmp_path, "gail_mujoco", setting, 0)
        folder.mkdir(parents=True, exist_ok=True)
        return gail_mujoco.run_job(setting, 0, folder, max_seconds=max_seconds, settings=tiny), folder

    assert job("hopper_expert", max_seconds=0)[0] is None                      # one PPO batch, then stop
    values, folder = job("hopper_expert")
    assert (folder / "demos.npz").is_file() and len(values["expert_lengths"]) == 25
    assert job("hopper_gail_4", max_seconds=0)[0] is None
    values, folder = job("hopper_gail_4")
    state = torch_load(folder / "gail.pt")
    assert state["iteration"] == 2 and len(state["history"]["disc_loss"]) == 2
    assert set(values) >= {"return", "normalised", "expert_return", "random_return", "iterations"}
    # the learning curve, read back from the checkpoint: one window per iteration here
    iterations, returns = gail_mujoco.training_curve("hopper_gail_4", 0, tmp_path, n_points=2)
    np.testing.assert_array_equal(iterations, [1, 2])
    np.testing.assert_array_equal(returns, np.asarray(state["history"]["returns"], dtype=float))
    with pytest.raises(ValueError, match="setting"):
        gail_mujoco.training_curve("hopper_bc_4", 0, tmp_path)
    with pytest.raises(ValueError, match="checkpoint_root"):
        gail_mujoco.training_curve("hopper_gail_4", 1, tmp_path)
    assert job("hopper_bc_4")[0]["n_trajectories"] == 4


@pytest.mark.slow
def test_disabled_ant_jobs_at_toy_sizes_score_forward_reward_and_summarise(tmp_path):
    """The expert, true-reward, AIRL and cloned-GAIL jobs of disabled_ant end to end at toy sizes (50-step episodes,
    one PPO batch, two IRL iterations), and the summary's normalised forward reward from their records."""
    pytest.importorskip("mujoco")
    from irlbook.experiments import disabled_ant
    from irlbook.experiments.onpolicy import load_episodes

    toy = {"episode_steps": 50, "n_demos": 2, "eval_episodes": 2}
    tiny = {"expert": {"steps": 2048, **toy}, "true_reward": {"steps": 2048, **toy},
            "airl": {"method": "airl", "iterations": 2, "reopt_steps": 2048, **toy},
            "gail_bc": {"method": "gail", "iterations": 1, "reopt_steps": 2048, "bc_epochs": 2, **toy}}

    def job(setting, max_seconds=None):
        folder = sweep.checkpoint_dir(tmp_path, "disabled_ant", setting, 0)
        folder.mkdir(parents=True, exist_ok=True)
        return disabled_ant.run_job(setting, 0, folder, max_seconds=max_seconds, settings=tiny)

    values = {f"{s}/seed0": job(s) for s in ("expert", "true_reward")}
    demos = sweep.checkpoint_dir(tmp_path, "disabled_ant", "expert", 0) / "demos.npz"
    drawn = load_episodes(demos)
    demos.unlink()                          # not committed: the AIRL job draws them again from the expert
    values["airl/seed0"] = job("airl")
    for key, value in load_episodes(demos).items():
        np.testing.assert_array_equal(value, drawn[key])
    # a draw that differs from the first (as other matrix-product kernels give on a walking ant) is refused
    fingerprint = demos.with_name("demos_returns.json")
    assert json.loads(fingerprint.read_text()) == drawn["returns"].tolist()
    fingerprint.write_text(json.dumps([r + 1.0 for r in drawn["returns"].tolist()]))
    demos.unlink()
    with pytest.raises(ValueError, match="differ from the first draw"):
        job("airl")
    fingerprint.write_text(json.dumps(drawn["returns"].tolist()))
    expert, true_reward, airl = values.values()
    assert expert["n_demos"] == 2 and len(expert["ant_forward_episodes"]) == 2
    assert expert["ant_forward"] == pytest.approx(np.mean(expert["ant_forward_episodes"]))
    assert {"disabled_return", "disabled_forward", "random_forward"} <= set(true_reward)
    assert {"disabled_forward", "imitation_forward", "iterations", "reopt_steps"} <= set(airl)
    for key in ("reward_on_demonstrations", "reward_on_true_reward_policy", "reward_on_reoptimised_policy"):
        assert np.isfinite(airl[key])
    assert disabled_ant.DEPENDS["airl"] == "true_reward" and disabled_ant.DEPENDS["true_reward"] == "expert"
    # what the learned reward tracks, on the job's own evaluation episodes: the same reward means as its record
    from irlbook.experiments.disabled_ant_rewards import JOB_KEYS, SETS, diagnose

    diagnosis = diagnose("airl", 0, tmp_path, settings=tiny)
    for name, key in JOB_KEYS.items():
        assert diagnosis[name]["reward_mean"] == pytest.approx(airl[key], rel=1e-5), name
    assert diagnosis["pooled"]["n"] == sum(diagnosis[name]["n"] for name in SETS) == 2 * 50 + 2 * 50 + 2 * 50
    assert all(-1 <= diagnosis[name]["corr_velocity"] <= 1 for name in (*SETS, "pooled"))
    assert diagnose("gail_bc", 0, tmp_path, settings=tiny) is None       # not run yet
    cloned = job("gail_bc")                 # the generator cloned first; the cloned policy is scored on its own
    assert cloned["bc_epochs"] == 2 and airl["bc_epochs"] == 0
    assert len(cloned["cloned_forward_episodes"]) == 2 and np.isfinite(cloned["cloned_forward"])
    summary = disabled_ant.summarise(values)
    by_hand = ((airl["disabled_forward"] - true_reward["random_forward"])
               / (true_reward["disabled_forward"] - true_reward["random_forward"]))
    assert summary["normalised_forward"]["airl"]["values"] == [pytest.approx(by_hand)]
    assert summary["per_setting"]["true_reward"]["disabled_forward"]["mean"] == true_reward["disabled_forward"]


def test_disabled_ant_claims_follow_from_the_summary():
    from irlbook.book.records import check_claim, fill_scale
    from irlbook.experiments import disabled_ant

    job = {"expert_steps": 5_000_000, "n_demos": 50, "iterations": 1000, "reopt_steps": 3_000_000}
    normalised = {"airl": [0.5, 0.45, 0.6], "gail": [0.1, -0.2, 0.0], "gan_gcl": [0.7, 0.6, 0.5]}
    values = {"jobs": {"expert/seed0": job, "airl/seed0": job},
              "summary": {"normalised_forward": {m: {"values": v} for m, v in normalised.items()}},
              "settings": disabled_ant.GROUPS["scratch"]}
    claims = disabled_ant.claims(values)
    assert [c["verdict"] for c in claims] == ["reproduced", "qualitative", "not reproduced"]
    for claim in claims:
        check_claim(claim)
    assert "5,000,000 steps" in fill_scale({"values": values}, claims[0]["scale"]["ours"])
    values["summary"]["normalised_forward"]["airl"]["values"] = [0.3, 0.3, 0.3]   # below 0.4, above GAIL
    assert [c["verdict"] for c in disabled_ant.claims(values)] == ["not reproduced", "qualitative", "not reproduced"]
    # the variant whose generator is cloned first has its own claims, on its own settings' numbers
    cloned = {"jobs": {"expert/seed0": job, "airl_bc/seed0": job}, "settings": disabled_ant.GROUPS["cloned"],
              "summary": {"normalised_forward": {m + "_bc": {"values": v} for m, v in normalised.items()}}}
    claims = disabled_ant.claims(cloned)
    assert [c["verdict"] for c in claims] == ["reproduced", "qualitative", "not reproduced"]
    assert all("cloned" in c["quantity"] and "behavioural cloning" in fill_scale({"values": cloned},
                                                                                 c["scale"]["ours"]) for c in claims)
    assert disabled_ant.DEPENDS["gail_bc"] == "true_reward" and disabled_ant.SETTINGS["gail_bc"]["bc_epochs"] > 0


def test_gail_mujoco_summary_and_claims_follow_from_the_jobs():
    """The summary holds each GAIL or BC setting's normalised returns seed by seed; the claims' verdicts follow
    from them; the paper's normalised values come from its table by (R - R_random) / (R_expert - R_random)."""
    from irlbook.book.records import check_claim
    from irlbook.experiments import gail_mujoco

    assert gail_mujoco.paper_normalised("hopper", "gail", 25) == pytest.approx((3560.85 - 14.47) / (3571.38 - 14.47))
    scores = {"gail_25": [0.95, 0.92, 0.97], "gail_4": [0.8, 0.9, 0.7], "bc_4": [0.0, 0.1, -0.05]}
    jobs = {f"{env}_expert/seed{k}": {"steps": 2_000_000} for env in gail_mujoco.ENVS for k in range(3)}
    for env in gail_mujoco.ENVS:
        for setting, values in scores.items():
            jobs.update({f"{env}_{setting}/seed{k}": {"normalised": v, "return": 100.0 * v} for k, v in
                         enumerate(values if env == "hopper" else [x - 0.3 for x in values])})
    summary = gail_mujoco.summarise(jobs)
    assert summary["per_setting"]["hopper_gail_25"]["normalised"]["values"] == scores["gail_25"]
    assert summary["per_setting"]["hopper_gail_25"]["normalised"]["mean"] == pytest.approx(np.mean(scores["gail_25"]))
    assert summary["per_setting"]["hopper_gail_4"]["return"]["mean"] == pytest.approx(80.0)
    claims = gail_mujoco.claims({"jobs": jobs, "summary": summary})
    for claim in claims:
        check_claim(claim)
    # Hopper: at expert level and above BC; HalfCheetah: 0.3 lower, below 0.9 but still above BC
    assert [c["verdict"] for c in claims] == ["reproduced", "qualitative", "not reproduced", "qualitative"]
    # a task's own summary (its group) carries that task's claims only
    hopper = {key: value for key, value in jobs.items() if key.startswith("hopper")}
    alone = gail_mujoco.claims({"jobs": hopper, "summary": gail_mujoco.summarise(hopper),
                                "settings": gail_mujoco.GROUPS["hopper"]})
    assert alone == claims[:2]
    assert set(gail_mujoco.summarise(hopper)["paper_normalised"]) == {"hopper_gail_25", "hopper_gail_4", "hopper_bc_4"}


def torch_load(path):
    import torch

    return torch.load(path, weights_only=False)


def test_reward_per_step_is_the_mean_reward_over_transitions():
    from irlbook.experiments.disabled_ant import reward_per_step

    rng = np.random.default_rng(0)
    transitions = {"obs": rng.normal(size=(5, 3)), "actions": rng.normal(size=(5, 2)),
                   "next_obs": rng.normal(size=(5, 3))}
    paid = reward_per_step(lambda o, a, n: n[:, 0] - a.sum(1), transitions)
    assert paid == pytest.approx(np.mean(transitions["next_obs"][:, 0] - transitions["actions"].sum(1)), rel=1e-6)


def test_a_sequential_sweep_writes_each_record_before_the_next_job_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    lines = []
    sweep.run_sweep("sweep_toy", backend="sequential", checkpoint_root=tmp_path / "ckpt", log=lines.append)
    events = [line.split()[0] for line in lines if not line.endswith("sweep_toy_sweep.json")]
    assert events == ["start", "wrote"] * 4, lines
