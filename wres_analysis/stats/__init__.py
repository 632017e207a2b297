"""Statistics for WRES: relative likelihoods, differences, pooling, classification, funnels.

Pure, vectorised functions over scalars, NumPy arrays and pandas Series. Every function that
returns an interval returns a :class:`pandas.DataFrame` with the columns
``estimate, lower, upper, method, confidence``, one row per element (the index of a Series
input, otherwise a ``RangeIndex``). Nothing is rounded. The methods, their formulae and a
coverage study are in ``docs/methodology.md``.

- :func:`proportion` – one proportion with its Wilson interval (module ``proportion``);
- :func:`relative_likelihood` – ratio of two proportions (SCAS, Miettinen-Nurminen, Koopman,
  Katz, adjusted-log intervals);
- :func:`difference` – difference of two proportions (SCAS, Newcombe, Miettinen-Nurminen);
- :func:`ratio_change`, :func:`difference_change`, :func:`weighted_trend` – changes between
  years (MOVER) and trends over years (module ``change``);
- :func:`pooled_relative_likelihood` – Mantel-Haenszel (Greenland-Robins) and crude ratios;
- :func:`non_adverse`, :func:`is_significant` – classification;
- :func:`range_evidence`, :func:`prob_within_if_equal` – the non-adverse range with evidence
  (module ``ranges``); :func:`ratio_heterogeneity` – Cochran's Q across strata;
- :func:`rank_intervals` – ranks with rank intervals (module ``ranks``);
- :func:`funnel_points`, :func:`funnel_limits`, :func:`funnel_overdispersion`,
  :func:`benjamini_hochberg` – funnel plots across organisations;
- :func:`method_name`, :func:`method_source` – how the report names each method (``names``).
"""

from .change import difference_change, ratio_change, weighted_trend
from .classify import NON_ADVERSE_LABELS, is_significant, non_adverse
from .difference import (
    DEFAULT_DIFFERENCE_METHOD,
    DIFFERENCE_METHODS,
    difference,
    wilson_interval,
)
from .funnel import (
    FUNNEL_LEVELS,
    OVERDISPERSION_METHODS,
    Overdispersion,
    benjamini_hochberg,
    funnel_limits,
    funnel_overdispersion,
    funnel_points,
    winsorised_null_moment,
)
from .names import INTERVAL_METHOD_INFO, method_name, method_source
from .pooled import (
    POOLED_METHODS,
    Heterogeneity,
    pooled_relative_likelihood,
    ratio_heterogeneity,
)
from .proportion import proportion
from .ranges import (
    RANGE_EVIDENCE_LABELS,
    equivalence_confidence,
    prob_within_if_equal,
    range_evidence,
)
from .ranks import rank_intervals
from .ratio import DEFAULT_RATIO_METHOD, RATIO_METHODS, relative_likelihood

__all__ = [
    "DEFAULT_DIFFERENCE_METHOD",
    "DEFAULT_RATIO_METHOD",
    "DIFFERENCE_METHODS",
    "FUNNEL_LEVELS",
    "INTERVAL_METHOD_INFO",
    "NON_ADVERSE_LABELS",
    "OVERDISPERSION_METHODS",
    "POOLED_METHODS",
    "RANGE_EVIDENCE_LABELS",
    "RATIO_METHODS",
    "Heterogeneity",
    "Overdispersion",
    "benjamini_hochberg",
    "difference",
    "difference_change",
    "equivalence_confidence",
    "funnel_limits",
    "funnel_overdispersion",
    "funnel_points",
    "is_significant",
    "method_name",
    "method_source",
    "non_adverse",
    "pooled_relative_likelihood",
    "prob_within_if_equal",
    "proportion",
    "range_evidence",
    "rank_intervals",
    "ratio_change",
    "ratio_heterogeneity",
    "relative_likelihood",
    "weighted_trend",
    "wilson_interval",
    "winsorised_null_moment",
]
