"""The records behind the Reproductions page: well-formed, their claims measured and judged from
their own numbers, and the exact ones recomputed (the index: tests/test_experiments.py)."""

import json
import re

import numpy as np
import pybtex.database
import pytest

from irlbook.book.records import (
    check_claim,
    claim_verdict,
    fill_scale,
    load_results,
    measure_claim,
    results_dir,
)
from tests.helpers import ROOT

RECORDS = load_results()
BY_NAME = {record["name"]: record for record in RECORDS}
CLAIMS = [(record, claim) for record in RECORDS for claim in record.get("reproduces") or []]


def _script(repo_root, name):
    from irlbook.experiments import load

    return load(name)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["name"])
def test_every_record_has_provenance(record):
    provenance = record["provenance"]
    for key in ("command", "date", "device", "profile", "versions"):
        assert provenance.get(key), (record["name"], key)


@pytest.fixture(scope="module")
def bib_keys():
    return set(pybtex.database.parse_file(str(ROOT / "references.bib")).entries)


@pytest.mark.parametrize(("record", "claim"), CLAIMS, ids=lambda x: x.get("quantity", x.get("name")))
def test_every_claim_is_measured_from_its_record_and_its_verdict_follows(record, claim, bib_keys):
    check_claim(claim)
    assert claim["paper"] in bib_keys, claim["paper"]
    assert (ROOT / "book" / f"{claim['chapter']}.md").is_file(), claim["chapter"]
    summary = measure_claim(record, claim, BY_NAME)
    assert claim_verdict(claim, summary) == claim["verdict"], (record["name"], claim["quantity"], summary["mean"])
    if claim["measured"].get("per", "seed") == "seed":
        assert summary["n_seeds"] >= 1 and np.isfinite(summary["mean"])
    scale = fill_scale(record, claim["scale"]["ours"])
    assert "{" not in scale and "}" not in scale, scale


def test_label_bias_record_matches_a_fresh_computation(repo_root):
    script = _script(repo_root, "label_bias")
    values = script.label_bias_values()
    record = json.loads((results_dir() / "maxent_label_bias.json").read_text())
    for key in ("maxent", "local_hard_q", "local_soft_q"):
        np.testing.assert_allclose(record["values"][key], values[key], rtol=0, atol=1e-15)
    assert record["reproduces"] == script.claims(values)
    assert [claim["verdict"] for claim in record["reproduces"]] == ["reproduced", "reproduced"]
    # the numbers Ziebart et al. (2008) report
    np.testing.assert_allclose(values["maxent"], [1 / 3] * 3, atol=1e-15)
    np.testing.assert_allclose(values["local_hard_q"], [1 / 2, 1 / 4, 1 / 4], atol=1e-15)


def test_claims_name_no_measured_number():
    """`measured` is a path into the record, never a typed number; reasons quote no measured value."""
    for record, claim in CLAIMS:
        assert isinstance(claim["measured"], dict) and isinstance(claim["measured"]["key"], str)
        summary = measure_claim(record, claim, BY_NAME)
        means = np.atleast_1d(summary["mean"])
        for mean in means:
            text = f"{mean:.2f}"
            assert not re.search(rf"(?<![\d.]){re.escape(text)}(?!\d)", claim["reason"]), (claim["reason"], text)
