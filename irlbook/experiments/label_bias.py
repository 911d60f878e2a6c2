"""Record the label-bias numbers of Ziebart et al. (2008) for the Reproductions page.

Three routes with equal reward, one behind the first action, two behind the second.
Ziebart et al. report that MaxEnt gives each route probability 1/3, while a model that
normalises locally over actions (Boltzmann over hard Q) gives 1/2, 1/4, 1/4. The numbers
are exact (no sampling, no profile dependence), so the record is cheap to regenerate:

    python -m irlbook.experiments label_bias

writes ``results/maxent_label_bias.json``; ``tests/test_reproduction_records.py`` recomputes
the values and checks the committed record against them.
"""

from __future__ import annotations

import numpy as np

from irlbook.book.examples import label_bias_tree, route_local_probabilities, route_maxent_probabilities
from irlbook.experiments import common


def label_bias_values() -> dict:
    """Route probabilities [3] under MaxEnt, local Boltzmann over hard Q, and the soft-Q policy."""
    tree = label_bias_tree()
    return {
        "routes": [route[-1] for route in tree.routes()],
        "maxent": route_maxent_probabilities(tree).tolist(),
        "local_hard_q": route_local_probabilities(tree, soft=False).tolist(),
        "local_soft_q": route_local_probabilities(tree, soft=True).tolist(),
    }


def claims(values: dict) -> list[dict]:
    """The paper's numbers as claims of the record (schema: :mod:`irlbook.book.records`); the measured
    numbers are the record's own ``maxent`` and ``local_hard_q``, the verdict follows from them."""
    from irlbook.book.records import judge_claims

    out = []
    for key, quantity, text, paper in (
        ("maxent", "label bias: route probabilities under MaxEnt", "1/3, 1/3, 1/3", [1 / 3] * 3),
        ("local_hard_q", "label bias: route probabilities, locally normalised (Boltzmann over hard Q)",
         "1/2, 1/4, 1/4", [1 / 2, 1 / 4, 1 / 4]),
    ):
        claim = {"paper": "ziebart2008maximum", "chapter": "04_maxent", "quantity": quantity,
                 "paper_value": {"text": text, "value": paper},
                 "measured": {"key": f"values.{key}", "per": "component", "format": ".4f"},
                 "scale": {"ours": "the three-route example, computed exactly", "paper": "the three-route example"},
                 "rule": {"reproduced": {"within": 1e-12}, "qualitative": None}}
        out.append(claim)
    return judge_claims(out, values, {"reproduced": "exact: equal to the paper's fractions to within 1e-12",
                                      "not reproduced": "differs from the paper's fractions"})


def main(argv=None) -> dict:
    parser = common.parser("label_bias", __doc__)
    common.add_name(parser, "maxent_label_bias")
    args = parser.parse_args(argv)
    values = label_bias_values()
    print(f"MaxEnt {np.round(values['maxent'], 4)}, local hard Q {np.round(values['local_hard_q'], 4)}")
    common.save(args.name, values, None, "label_bias", argv, env="", reproduces=claims(values))
    return values


if __name__ == "__main__":
    main()
