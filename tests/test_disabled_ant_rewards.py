"""irlbook.experiments.disabled_ant_rewards: what a learned reward of the disabled-ant sweep tracks (the end-to-end
check against a job's record is in tests/test_sweep.py, at toy sizes)."""

import numpy as np
import pytest
import torch

from irlbook.experiments import disabled_ant_rewards as rewards


def test_correlation_is_pearsons_and_nan_for_a_constant():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50), rng.normal(size=50)
    assert rewards.correlation(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert rewards.correlation(x, 3 * x - 1) == pytest.approx(1.0)
    assert np.isnan(rewards.correlation(x, np.ones(50)))


def test_describe_reads_velocity_and_height_from_the_next_observation():
    rng = np.random.default_rng(1)
    next_obs = rng.normal(size=(40, 27)).astype(np.float32)
    transitions = {"obs": rng.normal(size=(40, 27)), "actions": rng.normal(size=(40, 8)), "next_obs": next_obs}

    def reward(obs, actions, next_obs):       # pays the forward velocity in s', and nothing for height
        return 2.0 * next_obs[:, rewards.VELOCITY] + 1.0

    out = rewards.describe(reward, transitions)
    assert out["n"] == 40 and out["corr_velocity"] == pytest.approx(1.0, abs=1e-6)
    assert out["reward_mean"] == pytest.approx(2.0 * next_obs[:, 13].mean() + 1.0, rel=1e-5)
    assert out["velocity_mean"] == pytest.approx(next_obs[:, 13].mean(), rel=1e-5)
    assert out["corr_height"] == pytest.approx(np.corrcoef(next_obs[:, 13], next_obs[:, 0])[0, 1], abs=1e-5)


def test_load_reward(tmp_path):
    with pytest.raises(ValueError, match="setting"):
        rewards.load_reward("expert")
    assert rewards.load_reward("airl", 0, tmp_path) is None            # no checkpoint there
    pytest.importorskip("mujoco")
    reward = rewards.load_reward("airl", 0)                              # the committed seed-0 run
    if reward is None:
        pytest.skip("results/checkpoints/disabled_ant/airl/seed0 is not here")
    batch = torch.zeros(5, 27), torch.zeros(5, 8), torch.randn(5, 27, generator=torch.Generator().manual_seed(0))
    out = reward(*batch)
    assert out.shape == (5,) and torch.isfinite(out).all()
    # AIRL's reward is g(s'): it ignores s and a
    assert torch.equal(out, reward(torch.ones(5, 27), torch.ones(5, 8), batch[2]))


def test_the_command_needs_a_finished_job(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    with pytest.raises(ValueError, match="settings/seeds"):
        rewards.main(["--settings", "airl", "--seeds", "0", "--checkpoint-root", str(tmp_path / "none")])
    assert not (tmp_path / "disabled_ant_rewards.json").exists()


def test_matches_job_record_compares_the_three_reward_means(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    diagnosis = {name: {"reward_mean": -2.0 - i} for i, name in enumerate(rewards.SETS)}
    assert rewards.matches_job_record(diagnosis, "airl", 7) is None                  # no job record here
    job = {key: diagnosis[name]["reward_mean"] * (1 + 1e-7) for name, key in rewards.JOB_KEYS.items()}
    (tmp_path / "disabled_ant_airl_seed7.json").write_text(json.dumps({"values": job}))
    assert rewards.matches_job_record(diagnosis, "airl", 7) is True
    job["reward_on_true_reward_policy"] = -3.1                                       # other episodes
    (tmp_path / "disabled_ant_airl_seed7.json").write_text(json.dumps({"values": job}))
    assert rewards.matches_job_record(diagnosis, "airl", 7) is False
