"""The expert-data experiment regenerates a small demonstration set with provenance (chapter 6); the stored
sets ship with the package, and a missing one is an error, never a silent retrain."""

import json

import numpy as np
import pytest

from irlbook.book.presets import load_demonstrations
from irlbook.envs import point_mass_reward


def load_script(repo_root=None):
    from irlbook.experiments import load

    return load("expert_demos")


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


def test_expert_demos_reads_the_stored_file_or_trains_only_when_asked(monkeypatch, tmp_path):
    from irlbook.book import presets as expert_module

    demos, record = expert_module.expert_demos("cartpole")          # the file shipped with the package
    assert record["source"] == "irlbook/book/data/demos/cartpole.npz" and "provenance" in record
    assert demos["states"].shape == (record["n_demos"], 201, 5)
    assert record["mean_return"] == pytest.approx(float(demos["returns"].mean()))
    # read through importlib.resources, not from the results folder
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path / "elsewhere"))
    again, _ = expert_module.expert_demos("cartpole")
    np.testing.assert_array_equal(again["states"], demos["states"])
    # no file: an error that names the preset and the command that makes the file
    with pytest.raises(FileNotFoundError, match="'cartpole'") as error:
        expert_module.expert_demos("cartpole", directory=tmp_path)
    assert "python -m irlbook.experiments expert_demos --preset cartpole" in str(error.value)
    assert "train_if_missing" in str(error.value)
    # the explicit flag trains the expert here with the preset's settings
    monkeypatch.setitem(expert_module.PRESETS, "cartpole", dict(expert_module.PRESETS["cartpole"], episodes=1, demos=2))
    made, made_record = expert_module.expert_demos("cartpole", directory=tmp_path, device="cpu", train_if_missing=True)
    assert made["states"].shape == (2, 201, 5) and made_record["source"].startswith("trained here")
    with pytest.raises(ValueError, match="preset"):
        expert_module.expert_demos("nothing")


def test_presets_without_a_stored_file_raise_with_the_command():
    from irlbook.book.presets import expert_demos, make_demos_command

    with pytest.raises(FileNotFoundError) as error:
        expert_demos("halfcheetah")                                   # never run for the book
    assert make_demos_command("halfcheetah") in str(error.value) and "halfcheetah" in str(error.value)
