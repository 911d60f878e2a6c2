"""The build-time expressions of ``_ext/irlbook_values.py`` (``{record-calc}``, ``{record-grid}``)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
pytest.importorskip("sphinx")
import irlbook_values as values  # noqa: E402

RECORD = {"values": {"a": [1.0, 2.0, 4.0], "b": [0.5, 3.0, 1.0], "n": 3, "name": "x"}}


def test_expressions_act_entry_by_entry():
    assert values.evaluate(RECORD, "{values.a} - {values.b}") == [0.5, -1.0, 3.0]
    assert values.evaluate(RECORD, "count({values.a} > {values.b})") == 2
    assert values.evaluate(RECORD, "mean({values.a})") == pytest.approx(7 / 3)
    assert values.evaluate(RECORD, "std({values.a})") == pytest.approx(1.247219128924647)
    assert values.evaluate(RECORD, "{values.a}[2] / {values.n}") == pytest.approx(4 / 3)
    assert values.evaluate(RECORD, "len({values.a})") == 3
    assert values.evaluate(RECORD, "all({values.a} > 0)") is True


@pytest.mark.parametrize("expression", ["__import__('os')", "{values.a}.sum()", "open('f')", "{values.a}[0:2]",
                                        "[x for x in {values.a}]", "lambda: 1"])
def test_anything_else_is_refused(expression):
    with pytest.raises(values.RecordError):
        values.evaluate(RECORD, expression)


def test_missing_keys_fail():
    with pytest.raises(values.RecordError, match="no key"):
        values.evaluate(RECORD, "mean({values.missing})")


def test_spec_is_split_at_the_last_colon():
    assert values.split_spec("mean({values.a}):.2f") == ("mean({values.a})", ".2f")
    assert values.split_spec("mean({values.a})") == ("mean({values.a})", "")
