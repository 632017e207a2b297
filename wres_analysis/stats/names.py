"""What each interval method is called in the report and where it comes from.

The one place a method's display name and source are written: the methods chapter, the
workbook description and any sentence that names a method read them from here, for whichever
method the parameters put in force.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["INTERVAL_METHOD_INFO", "MethodInfo", "method_name", "method_source"]


class MethodInfo(NamedTuple):
    """A method's display name (``name``) and its citation (``source``)."""

    name: str
    source: str


#: Every interval method the statistics offer, by the key the functions and parameters use.
INTERVAL_METHOD_INFO: dict[str, MethodInfo] = {
    "scas": MethodInfo(
        "skewness-corrected asymptotic score (SCAS) interval",
        "Laud (2017), Pharmaceutical Statistics 16, 334-348: the Miettinen-Nurminen score with "
        "Gart & Nam's (1988, 1990) skewness correction; the default of R ratesci",
    ),
    "miettinen-nurminen": MethodInfo(
        "Miettinen-Nurminen score interval",
        "Miettinen & Nurminen (1985), Statistics in Medicine 4, 213-226",
    ),
    "koopman": MethodInfo(
        "Koopman score interval", "Koopman (1984), Biometrics 40, 513-517"
    ),
    "katz": MethodInfo("Katz log interval", "Katz et al. (1978), Biometrics 34, 469-474"),
    "adjusted-log": MethodInfo(
        "adjusted log interval",
        "Fagerland, Lydersen & Laake (2015), Statistical Methods in Medical Research 24, "
        "224-254",
    ),
    "newcombe": MethodInfo(
        "Newcombe hybrid score interval",
        "Newcombe (1998), Statistics in Medicine 17, 873-890, method 10",
    ),
    "wilson": MethodInfo(
        "Wilson score interval", "Wilson (1927), JASA 22, 209-212"
    ),
}


def method_name(method: str) -> str:
    """The display name of ``method`` (a key of :data:`INTERVAL_METHOD_INFO`)."""
    return INTERVAL_METHOD_INFO[method].name


def method_source(method: str) -> str:
    """The citation of ``method`` (a key of :data:`INTERVAL_METHOD_INFO`)."""
    return INTERVAL_METHOD_INFO[method].source
