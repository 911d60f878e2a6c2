"""The records behind the Reproductions page: well-formed, and the exact ones recomputed."""

import json

import numpy as np
import pytest

from irlbook.book.records import load_results, results_dir


def _script(repo_root, name):
    from irlbook.experiments import load

    return load(name)


@pytest.mark.parametrize("record", load_results(), ids=lambda r: r["name"])
def test_every_record_has_provenance_and_well_formed_claims(record):
    provenance = record["provenance"]
    for key in ("command", "date", "device", "profile", "versions"):
        assert provenance.get(key), (record["name"], key)
    for claim in record.get("reproduces", []):
        assert set(claim) >= {"paper", "quantity", "paper_value", "measured"}, claim


def test_label_bias_record_matches_a_fresh_computation(repo_root):
    script = _script(repo_root, "label_bias")
    values = script.label_bias_values()
    record = json.loads((results_dir() / "maxent_label_bias.json").read_text())
    for key in ("maxent", "local_hard_q", "local_soft_q"):
        np.testing.assert_allclose(record["values"][key], values[key], rtol=0, atol=1e-15)
    assert record["reproduces"] == script.claims(values)
    # the numbers Ziebart et al. (2008) report
    np.testing.assert_allclose(values["maxent"], [1 / 3] * 3, atol=1e-15)
    np.testing.assert_allclose(values["local_hard_q"], [1 / 2, 1 / 4, 1 / 4], atol=1e-15)
