"""Call-centre staffing: Erlang B, Erlang C (M/M/N) and Erlang A (M/M/N+M, with abandonment).

Times are seconds, shares are fractions 0..1, traffic is in Erlangs (``calls * aht_s / interval_s``).
Without ``patience_s`` the model is Erlang C (callers never hang up, so agents must exceed the
traffic); with ``patience_s`` (the mean of an exponential patience) it is Erlang A.

>>> from kpi import staffing
>>> plan = staffing.solve(calls=100, interval_s=1800, aht_s=180, target=0.8, answer_within_s=20,
...                       max_occupancy=0.85, shrinkage=0.3)
>>> plan.agents, plan.scheduled
(14, 20)

Every function is thread-safe. Errors raise ``kpi.InvalidArgumentError`` (a ``ValueError``) for inputs
out of range and ``kpi.ConvergenceError`` when no staffing within ten million agents can be found.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Optional

from ._native import EINVAL, InvalidArgumentError, check, lib

__all__ = ["StaffingResult", "erlang_b", "erlang_c", "traffic", "evaluate", "solve"]

ERLANG_C = 0
ERLANG_A = 1
PARAMS_VERSION = 1
RESULT_VERSION = 1


class _Params(ctypes.Structure):
    # Mirrors kpi_staffing_params (kpi/c/staffing.h), version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("model", ctypes.c_int32),
        ("calls", ctypes.c_double),
        ("interval_s", ctypes.c_double),
        ("aht_s", ctypes.c_double),
        ("answer_within_s", ctypes.c_double),
        ("patience_s", ctypes.c_double),
        ("target_service_level", ctypes.c_double),
        ("max_occupancy", ctypes.c_double),
        ("shrinkage", ctypes.c_double),
    ]


class _Result(ctypes.Structure):
    # Mirrors kpi_staffing_result (kpi/c/staffing.h), version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("agents", ctypes.c_int32),
        ("scheduled", ctypes.c_int32),
        ("meets_target", ctypes.c_int32),
        ("has_p_abandon", ctypes.c_int32),
        ("service_level", ctypes.c_double),
        ("p_wait", ctypes.c_double),
        ("asa_s", ctypes.c_double),
        ("mean_wait_s", ctypes.c_double),
        ("occupancy", ctypes.c_double),
        ("p_abandon", ctypes.c_double),
    ]


lib.kpi_staffing_params_init.restype = ctypes.c_int
lib.kpi_staffing_params_init.argtypes = [ctypes.POINTER(_Params), ctypes.c_uint32]
lib.kpi_staffing_result_init.restype = ctypes.c_int
lib.kpi_staffing_result_init.argtypes = [ctypes.POINTER(_Result), ctypes.c_uint32]
lib.kpi_staffing_erlang_b.restype = ctypes.c_int
lib.kpi_staffing_erlang_b.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int32, ctypes.c_double]
lib.kpi_staffing_erlang_c.restype = ctypes.c_int
lib.kpi_staffing_erlang_c.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int32, ctypes.c_double]
lib.kpi_staffing_evaluate.restype = ctypes.c_int
lib.kpi_staffing_evaluate.argtypes = [ctypes.POINTER(_Result), ctypes.POINTER(_Params), ctypes.c_int32]
lib.kpi_staffing_solve.restype = ctypes.c_int
lib.kpi_staffing_solve.argtypes = [ctypes.POINTER(_Result), ctypes.POINTER(_Params)]

_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class StaffingResult:
    """The measures of one staffing level.

    ``service_level`` is the share of all calls answered within ``answer_within_s``; ``asa_s`` the mean
    wait of answered calls and ``mean_wait_s`` of all arrivals (equal under Erlang C); ``p_abandon`` is
    ``None`` under Erlang C, where callers never abandon by assumption.
    """

    agents: int
    scheduled: int
    meets_target: bool
    service_level: float
    p_wait: float
    asa_s: float
    mean_wait_s: float
    occupancy: float
    p_abandon: Optional[float]


def _agents(agents: int) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int):
        raise TypeError(f"agents must be an int, got {type(agents).__name__}")
    if not -_INT32_MAX - 1 <= agents <= _INT32_MAX:
        # Out of int32 range: let the library report it with its own message.
        agents = -1 if agents < 0 else _INT32_MAX
    return agents


def erlang_b(agents: int, traffic: float) -> float:
    """Erlang B: probability that a call is blocked on ``agents`` servers with no queue.

    >>> erlang_b(2, 1.0)
    0.2
    """
    out = ctypes.c_double()
    check(lib.kpi_staffing_erlang_b(ctypes.byref(out), _agents(agents), float(traffic)))
    return out.value


def erlang_c(agents: int, traffic: float) -> float:
    """Erlang C: probability that a call waits; needs ``agents > traffic`` (else InvalidArgumentError)."""
    out = ctypes.c_double()
    check(lib.kpi_staffing_erlang_c(ctypes.byref(out), _agents(agents), float(traffic)))
    return out.value


def traffic(calls: float, interval_s: float, aht_s: float) -> float:
    """Offered traffic in Erlangs: ``calls * aht_s / interval_s``.

    Computed here (it needs no library call) with the library's order of operations.
    """
    for name, value in (("calls", calls), ("interval_s", interval_s), ("aht_s", aht_s)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise InvalidArgumentError(EINVAL, f"{name} must be a finite number > 0, got {value!r}")
    return calls * aht_s / interval_s


def _params(calls, interval_s, aht_s, answer_within_s, patience_s, target, max_occupancy, shrinkage) -> _Params:
    p = _Params()
    check(lib.kpi_staffing_params_init(ctypes.byref(p), PARAMS_VERSION))
    p.calls = float(calls)
    p.interval_s = float(interval_s)
    p.aht_s = float(aht_s)
    p.answer_within_s = float(answer_within_s)
    if patience_s is None:
        p.model = ERLANG_C
    else:
        p.model = ERLANG_A
        p.patience_s = float(patience_s)
    p.target_service_level = float(target)
    p.max_occupancy = float(max_occupancy)
    p.shrinkage = float(shrinkage)
    return p


def _result(r: _Result) -> StaffingResult:
    return StaffingResult(
        agents=r.agents,
        scheduled=r.scheduled,
        meets_target=bool(r.meets_target),
        service_level=r.service_level,
        p_wait=r.p_wait,
        asa_s=r.asa_s,
        mean_wait_s=r.mean_wait_s,
        occupancy=r.occupancy,
        p_abandon=r.p_abandon if r.has_p_abandon else None,
    )


def _new_result() -> _Result:
    r = _Result()
    check(lib.kpi_staffing_result_init(ctypes.byref(r), RESULT_VERSION))
    return r


def evaluate(
    agents: int,
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    answer_within_s: float = 20.0,
    patience_s: Optional[float] = None,
    target: float = 0.8,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """The measures of ``agents`` agents on the phones (Erlang C, or Erlang A with ``patience_s``).

    ``target`` and ``max_occupancy`` only set ``meets_target``; ``shrinkage`` only sets ``scheduled``.
    """
    p = _params(calls, interval_s, aht_s, answer_within_s, patience_s, target, max_occupancy, shrinkage)
    r = _new_result()
    check(lib.kpi_staffing_evaluate(ctypes.byref(r), ctypes.byref(p), _agents(agents)))
    return _result(r)


def solve(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    target: float = 0.8,
    answer_within_s: float = 20.0,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
    patience_s: Optional[float] = None,
) -> StaffingResult:
    """The smallest number of agents whose service level reaches ``target`` (a share in [0, 1)) within
    ``answer_within_s`` seconds with occupancy at most ``max_occupancy``, and its measures; ``scheduled``
    is ``ceil(agents / (1 - shrinkage))``."""
    p = _params(calls, interval_s, aht_s, answer_within_s, patience_s, target, max_occupancy, shrinkage)
    r = _new_result()
    check(lib.kpi_staffing_solve(ctypes.byref(r), ctypes.byref(p)))
    return _result(r)
