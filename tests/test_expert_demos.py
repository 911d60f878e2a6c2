"""The expert-data script regenerates a small demonstration set with provenance (chapter 6)."""

import importlib.util
import json

import numpy as np
import pytest

from irlbook.book.presets import load_demonstrations
from irlbook.envs import point_mass_reward


def load_script(repo_root):
    spec = importlib.util.spec_from_file_location("make_expert_demos", repo_root / "scripts" / "make_expert_demos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_regenerates_a_small_set_with_provenance(repo_root, tmp_path):
    script = load_script(repo_root)
    out = script.main(["--preset", "point_mass", "--episodes", "3", "--demos", "4", "--seed", "1",
                       "--env-kwargs", json.dumps({"horizon": 10}), "--device", "cpu", "--out", str(tmp_path / "pm")])
    demos, record = load_demonstrations(out)
    assert demos["states"].shape == (4, 11, 2) and demos["actions"].shape == (4, 10, 2)
    # each return is the true reward -|s_t - goal| summed over the states the demonstration visits
    np.testing.assert_allclose(demos["returns"], point_mass_reward(demos["states"][:, 1:]).sum(axis=1), rtol=1e-5)
    steps = np.linalg.norm(np.diff(demos["states"], axis=1), axis=-1)
    assert steps.max() <= 0.1 * np.sqrt(2) + 1e-6                  # step_size 0.1, actions clipped to [-1, 1]
    assert record["env_id"] == "irlbook/PointMass-v0" and record["env_kwargs"] == {"horizon": 10}
    assert record["mean_return"] == pytest.approx(float(demos["returns"].mean()))
    for key in ("date", "device", "versions", "seed", "command"):
        assert key in record["provenance"]
    assert record["provenance"]["seed"] == 1
    # the same seed reproduces the same demonstrations
    again, _ = load_demonstrations(script.main(["--preset", "point_mass", "--episodes", "3", "--demos", "4",
                                                "--seed", "1", "--env-kwargs", json.dumps({"horizon": 10}),
                                                "--device", "cpu", "--out", str(tmp_path / "pm2")]))
    np.testing.assert_allclose(again["states"], demos["states"], atol=1e-5)


def test_load_rejects_missing_files(tmp_path):
    with pytest.raises(ValueError, match="path"):
        load_demonstrations(tmp_path / "nothing")


def test_cartpole_preset_wraps_the_absorbing_state(repo_root, tmp_path):
    script = load_script(repo_root)
    out = script.main(["--preset", "cartpole", "--episodes", "2", "--demos", "3", "--seed", "1", "--device", "cpu",
                       "--out", str(tmp_path / "cp")])
    demos, record = load_demonstrations(out)
    assert demos["states"].shape == (3, 201, 5) and demos["actions"].shape == (3, 200)
    assert record["env_id"] == "CartPole-v1" and record["absorbing_horizon"] == 200
    assert set(np.unique(demos["actions"])) <= {0, 1}


def test_expert_demos_reads_the_stored_file_or_trains(monkeypatch, tmp_path):
    from irlbook.book import presets as expert_module

    demos, record = expert_module.expert_demos("cartpole")          # the committed file
    assert record["source"].endswith("cartpole.npz") and "provenance" in record
    assert demos["states"].shape == (record["n_demos"], 201, 5)
    assert record["mean_return"] == pytest.approx(float(demos["returns"].mean()))
    # no file in the directory: the expert is trained here with the preset's settings
    monkeypatch.setitem(expert_module.PRESETS, "cartpole", dict(expert_module.PRESETS["cartpole"], episodes=1, demos=2))
    made, made_record = expert_module.expert_demos("cartpole", directory=tmp_path, device="cpu")
    assert made["states"].shape == (2, 201, 5) and made_record["source"].startswith("trained here")
    with pytest.raises(ValueError, match="preset"):
        expert_module.expert_demos("nothing")
