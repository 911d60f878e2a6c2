"""irlbook.experiments.disabled_ant_kernels: a committed checkpoint re-scored through a pinned MKL instruction set."""

import json
from pathlib import Path

import pytest

from irlbook.experiments import disabled_ant_kernels as kernels

RESULTS = Path(__file__).parent.parent / "results"


def test_bad_body_and_unfinished_job_raise():
    with pytest.raises(ValueError, match="body"):
        kernels.score_with("SSE4_2", "true_reward", 1, body="moon")
    pytest.importorskip("mujoco")
    with pytest.raises(ValueError, match="seed 99"):
        kernels.score_with("SSE4_2", "true_reward", 99, n_episodes=1)


def test_sse42_rescoring_reproduces_the_job_record_exactly():
    """The seed-1 true-reward job was scored with MKL held to SSE4.2 (which every x86 CPU has): its checkpoint,
    re-scored so in a fresh process, gives the record's episodes to the last bit."""
    pytest.importorskip("mujoco")
    record = json.loads((RESULTS / "disabled_ant_true_reward_seed1.json").read_text())["values"]
    out = kernels.score_with("SSE4_2", "true_reward", 1, n_episodes=10)
    assert out["forward_episodes"] == record["disabled_forward_episodes"]
    assert out["forward"] == record["disabled_forward"]
