"""The measures ``make eval`` reports, as small pure functions so tests can check them by hand.

Latency-weighted F1 follows the early-risk-detection measure of the eRisk lab (Losada et al.) that
Vogt, Leser and Akbik (ACL 2021, "Early Detection of Sexual Predators in Chats") adopt for eSPD:
a true positive raised after ``k`` messages is penalised by

    penalty(k) = -1 + 2 / (1 + exp(-p * (k - 1)))

(0 for a warning at the first message, approaching 1 for a very late one); ``speed`` is
``1 - median(penalty)`` over the true positives and ``F_latency = F1 * speed``. ``p`` sets the
scale: we choose it so that the penalty is 0.5 at ``k_half`` messages, i.e.
``p = ln(3) / (k_half - 1)``, and take ``k_half`` as the median length of the grooming
conversations being evaluated (stated next to every result).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    """None where the measure is undefined (nothing predicted, nothing to find)."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None or precision + recall == 0:
        f1 = 0.0 if (precision == 0 or recall == 0) else None
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative (ties half)."""
    pairs = sorted(zip(scores, labels), key=lambda x: x[0])
    n_pos = sum(1 for _, y in pairs if y)
    n_neg = len(pairs) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2  # ranks i+1..j share their mean
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def latency_p(k_half: float) -> float:
    """The ``p`` that makes ``penalty(k_half) == 0.5``."""
    if k_half <= 1:
        raise ValueError("k_half must be more than one message")
    return math.log(3) / (k_half - 1)


def latency_penalty(k: int, p: float) -> float:
    return -1 + 2 / (1 + math.exp(-p * (k - 1)))


def latency_weighted_f1(tp_delays: Sequence[int], fp: int, fn: int, k_half: float) -> dict:
    """``tp_delays``: for each grooming conversation warned about, the message number of the warning."""
    tp = len(tp_delays)
    _, _, f1 = precision_recall_f1(tp, fp, fn)
    if not tp or f1 is None:
        return {"f1": f1, "speed": 0.0, "f_latency": 0.0, "p": latency_p(k_half), "k_half": k_half}
    p = latency_p(k_half)
    speed = 1 - median([latency_penalty(k, p) for k in tp_delays])
    return {"f1": f1, "speed": speed, "f_latency": f1 * speed, "p": p, "k_half": k_half}


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return float(s[mid]) if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100), the usual definition for latency budgets."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(s)))
    return float(s[rank - 1])
