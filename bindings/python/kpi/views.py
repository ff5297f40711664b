"""Views over KPIs: targets, leaderboards, coaching flags, anomaly alerts and trend.

Pure functions over KPI values you already have (from the engine or elsewhere); ``None`` is an
undefined value (never read as 0). The definitions and worked examples are in docs/views.md.

>>> from kpi import views
>>> ev = views.evaluate_target(">=", 30_000_000, actual=12_000_000, progress=0.5, additive=True)
>>> ev.status, ev.prorated_target, ev.projection
('at_risk', 15000000.0, 24000000.0)

Anomaly alerts arrive as events:

>>> det = views.AnomalyDetector()
>>> det.on_alert += lambda alert: print(alert.time, alert.score)

Functions are thread-safe; an ``AnomalyDetector`` or ``TargetTable`` must not be used from two threads
at once. Errors raise ``kpi.InvalidArgumentError`` (a ``ValueError``) for inputs out of range,
``kpi.ParseError`` for a bad period label or target file row, ``kpi.NotFoundError`` for an unknown
time zone.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

from ._native import EINVAL, EUNDEFINED, ENOTFOUND, InvalidArgumentError, check, lib

__all__ = [
    "TargetEvaluation",
    "TargetSpec",
    "Target",
    "TargetTable",
    "evaluate_target",
    "period_progress",
    "is_additive",
    "LeaderboardRow",
    "rank",
    "quantile",
    "CoachingFlag",
    "coaching_flags",
    "Alert",
    "Event",
    "AnomalyDetector",
    "detect_anomalies",
    "TrendFit",
    "PeriodProjection",
    "fit_trend",
    "project_to_period_end",
]

Time = Union[datetime, int]

_OPS = {">=": 0, "<=": 1, "between": 2}
_OP_NAMES = {v: k for k, v in _OPS.items()}
_STATUS = {-1: None, 0: "met", 1: "on_track", 2: "at_risk", 3: "missed"}
_BETTER = {"higher": 0, "lower": 1}
_STANDING = {0: "ranked", 1: "below_min_volume", 2: "undefined_value"}
_SEASON = {"none": 0, "day_of_week": 1, "hour_of_week": 2}
_RESOLUTION = {"daily": 0, "hourly": 1}

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class _TargetSpec(ctypes.Structure):
    # Mirrors kpi_target_spec (kpi/c/views.h), version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("op", ctypes.c_int32),
        ("additive", ctypes.c_int32),
        ("value", ctypes.c_double),
        ("value2", ctypes.c_double),
    ]


class _TargetEvaluation(ctypes.Structure):
    # Mirrors kpi_target_evaluation, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("status", ctypes.c_int32),
        ("has_attainment", ctypes.c_int32),
        ("has_projection", ctypes.c_int32),
        ("has_prorated_target2", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
        ("attainment", ctypes.c_double),
        ("prorated_target", ctypes.c_double),
        ("prorated_target2", ctypes.c_double),
        ("projection", ctypes.c_double),
    ]


class _Target(ctypes.Structure):
    # Mirrors kpi_target, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("op", ctypes.c_int32),
        ("kpi", ctypes.c_char_p),
        ("agent_id", ctypes.c_char_p),
        ("team_id", ctypes.c_char_p),
        ("campaign_id", ctypes.c_char_p),
        ("period", ctypes.c_char_p),
        ("value", ctypes.c_double),
        ("value2", ctypes.c_double),
    ]


class _AnomalyOptions(ctypes.Structure):
    # Mirrors kpi_anomaly_options, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("resolution", ctypes.c_int32),
        ("seasonality", ctypes.c_int32),
        ("window_days", ctypes.c_int32),
        ("threshold", ctypes.c_double),
        ("min_history", ctypes.c_int64),
        ("min_deviation", ctypes.c_double),
        ("time_zone", ctypes.c_char_p),
    ]


class _Alert(ctypes.Structure):
    # Mirrors kpi_anomaly_alert, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("direction", ctypes.c_int32),
        ("has_score", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
        ("time_ms", ctypes.c_int64),
        ("actual", ctypes.c_double),
        ("expected", ctypes.c_double),
        ("score", ctypes.c_double),
        ("scale", ctypes.c_double),
        ("history", ctypes.c_int64),
    ]


class _Projection(ctypes.Structure):
    # Mirrors kpi_period_projection, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("has_run_rate", ctypes.c_int32),
        ("has_trend", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
        ("actual", ctypes.c_double),
        ("run_rate", ctypes.c_double),
        ("trend", ctypes.c_double),
    ]


_AlertCallback = ctypes.CFUNCTYPE(None, ctypes.POINTER(_Alert), ctypes.c_void_p)

_c = ctypes
_pd = _c.POINTER(_c.c_double)
_pi32 = _c.POINTER(_c.c_int32)
_pi64 = _c.POINTER(_c.c_int64)
_psize = _c.POINTER(_c.c_size_t)


def _sig(name, *argtypes, restype=ctypes.c_int):
    fn = getattr(lib, name)
    fn.argtypes = list(argtypes)
    fn.restype = restype


_sig("kpi_target_spec_init", _c.POINTER(_TargetSpec), _c.c_uint32)
_sig("kpi_target_evaluation_init", _c.POINTER(_TargetEvaluation), _c.c_uint32)
_sig("kpi_target_evaluate", _c.POINTER(_TargetEvaluation), _c.POINTER(_TargetSpec), _c.c_double, _c.c_int32,
     _c.c_double)
_sig("kpi_period_progress", _pd, _c.c_char_p, _c.c_char_p, _c.c_int64)
_sig("kpi_target_is_additive", _pi32, _c.c_char_p)
_sig("kpi_target_table_new", _c.POINTER(_c.c_void_p))
_sig("kpi_target_table_free", _c.c_void_p, restype=None)
_sig("kpi_target_table_read_csv", _c.c_void_p, _c.c_char_p)
_sig("kpi_target_table_set", _c.c_void_p, _c.POINTER(_Target))
_sig("kpi_target_table_count", _psize, _c.c_void_p)
_sig("kpi_target_table_get", _c.POINTER(_Target), _c.c_void_p, _c.c_size_t)
_sig("kpi_target_table_find", _c.POINTER(_TargetSpec), _c.c_void_p, _c.c_char_p, _c.c_char_p, _c.c_char_p,
     _c.c_char_p, _c.c_char_p)
_sig("kpi_leaderboard_rank", _pi32, _pi32, _psize, _pd, _pi32, _pd, _c.POINTER(_c.c_char_p), _c.c_size_t,
     _c.c_int32, _c.c_double)
_sig("kpi_quantile_type7", _pd, _pd, _c.c_size_t, _c.c_double)
_sig("kpi_coaching_flags", _pi32, _pi64, _pd, _pi32, _pi32, _c.c_size_t, _c.c_size_t, _c.c_size_t, _c.c_double,
     _c.c_int32)
_sig("kpi_anomaly_options_init", _c.POINTER(_AnomalyOptions), _c.c_uint32)
_sig("kpi_anomaly_detector_new", _c.POINTER(_c.c_void_p), _c.POINTER(_AnomalyOptions), _AlertCallback,
     _c.c_void_p)
_sig("kpi_anomaly_detector_free", _c.c_void_p, restype=None)
_sig("kpi_anomaly_detector_push", _pi32, _c.POINTER(_Alert), _c.c_void_p, _c.c_int64, _c.c_double, _c.c_int32)
_sig("kpi_anomaly_detector_push_many", _psize, _c.c_void_p, _pi64, _pd, _pi32, _c.c_size_t)
_sig("kpi_anomaly_detector_reset", _c.c_void_p)
_sig("kpi_trend_fit", _pd, _pd, _pd, _pi32, _c.c_size_t, _c.c_size_t)
_sig("kpi_trend_project", _c.POINTER(_Projection), _pd, _pi32, _c.c_size_t, _c.c_size_t, _c.c_size_t)


def _enum(table: dict, name: str, value):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise InvalidArgumentError(EINVAL, f"{name} must be one of {sorted(table)}, got {value!r}") from None


def _count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgumentError(EINVAL, f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def _values(values: Sequence[Optional[float]]):
    """A C double array and a defined mask (None when every value is defined)."""
    n = len(values)
    arr = (ctypes.c_double * max(n, 1))()
    mask = (ctypes.c_int32 * max(n, 1))()
    all_defined = True
    for i, v in enumerate(values):
        if v is None:
            all_defined = False
        else:
            arr[i] = float(v)
            mask[i] = 1
    return arr, (None if all_defined else mask)


def _ms(t: Time) -> int:
    if isinstance(t, bool):
        raise TypeError("a time must be an aware datetime or int epoch milliseconds, got bool")
    if isinstance(t, int):
        return t
    if isinstance(t, datetime):
        if t.tzinfo is None or t.utcoffset() is None:
            raise InvalidArgumentError(EINVAL, f"naive datetime {t.isoformat()} is ambiguous: give it a tzinfo")
        delta = t - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
    raise TypeError(f"a time must be an aware datetime or int epoch milliseconds, got {type(t).__name__}")


def _text(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else s.encode()


# --------------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class TargetEvaluation:
    """The evaluation of a target.

    ``status`` is "met", "on_track", "at_risk", "missed", or None when the actual is undefined.
    ``attainment`` is actual / value (>=), value / actual (<=), 1 inside a between band (else the
    distance ratio); None where no finite ratio exists. ``prorated_target`` is value x progress for an
    additive KPI (value for a rate); ``projection`` the run rate actual / progress (additive only).
    """

    status: Optional[str]
    attainment: Optional[float]
    prorated_target: float
    prorated_target2: Optional[float]
    projection: Optional[float]


@dataclass(frozen=True)
class TargetSpec:
    """The bound of a target: ``op`` ">=", "<=" or "between" (``value2`` its upper bound)."""

    op: str
    value: float
    value2: Optional[float] = None
    additive: bool = False

    def _c(self) -> _TargetSpec:
        s = _TargetSpec()
        check(lib.kpi_target_spec_init(ctypes.byref(s), 1))
        s.op = _enum(_OPS, "op", self.op)
        s.value = float(self.value)
        if self.op == "between":
            if self.value2 is None:
                raise InvalidArgumentError(EINVAL, "a between target needs value2 (its upper bound)")
            s.value2 = float(self.value2)
        elif self.value2 is not None:
            raise InvalidArgumentError(EINVAL, f"target value2 is only for between, not for {self.op}")
        s.additive = 1 if self.additive else 0
        return s

    def evaluate(self, actual: Optional[float], progress: float = 1.0) -> TargetEvaluation:
        """Evaluates this target against ``actual`` with ``progress`` of the period elapsed (0..1)."""
        spec = self._c()
        ev = _TargetEvaluation()
        check(lib.kpi_target_evaluation_init(ctypes.byref(ev), 1))
        defined = actual is not None
        check(lib.kpi_target_evaluate(ctypes.byref(ev), ctypes.byref(spec), float(actual) if defined else 0.0,
                                      1 if defined else 0, float(progress)))
        return TargetEvaluation(
            status=_STATUS.get(ev.status),
            attainment=ev.attainment if ev.has_attainment else None,
            prorated_target=ev.prorated_target,
            prorated_target2=ev.prorated_target2 if ev.has_prorated_target2 else None,
            projection=ev.projection if ev.has_projection else None,
        )


def evaluate_target(op: str, value: float, actual: Optional[float], progress: float = 1.0, *,
                    value2: Optional[float] = None, additive: bool = False) -> TargetEvaluation:
    """Evaluates a target (see TargetSpec.evaluate and docs/views.md for the status rules)."""
    return TargetSpec(op, value, value2, additive).evaluate(actual, progress)


def period_progress(period: str, as_of: Time, time_zone: Optional[str] = None) -> float:
    """Elapsed fraction (0..1) of a calendar period ("2026-11", "2026-W48") at ``as_of`` in ``time_zone``
    (an IANA name; None for UTC)."""
    out = ctypes.c_double()
    check(lib.kpi_period_progress(ctypes.byref(out), period.encode(), _text(time_zone), _ms(as_of)))
    return out.value


def is_additive(kpi: str) -> bool:
    """True for a KPI that is a count or sum over a period (prorated and projected by run rate)."""
    out = ctypes.c_int32()
    check(lib.kpi_target_is_additive(ctypes.byref(out), kpi.encode()))
    return bool(out.value)


@dataclass(frozen=True)
class Target:
    """One target record (a row of the canonical target CSV)."""

    kpi: str
    period: str
    op: str
    value: float
    value2: Optional[float] = None
    agent_id: str = ""
    team_id: str = ""
    campaign_id: str = ""


class TargetTable:
    """Targets keyed by (kpi, agent_id, team_id, campaign_id, period), read from the canonical target
    CSV or set through the API."""

    def __init__(self, path: Optional[str] = None):
        handle = ctypes.c_void_p()
        check(lib.kpi_target_table_new(ctypes.byref(handle)))
        self._h = handle
        if path is not None:
            self.read_csv(path)

    def close(self) -> None:
        """Frees the native table (also done when the object is collected)."""
        if self._h:
            lib.kpi_target_table_free(self._h)
            self._h = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self) -> "TargetTable":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def read_csv(self, path: str) -> None:
        """Adds the rows of a target CSV file; raises ParseError for a bad row (the table is unchanged)."""
        check(lib.kpi_target_table_read_csv(self._h, str(path).encode()))

    def set(self, target: Target) -> None:
        """Adds or replaces the target of ``target``'s key."""
        t = _Target()
        t.version = 1
        t.op = _enum(_OPS, "op", target.op)
        t.kpi = target.kpi.encode()
        t.agent_id = target.agent_id.encode()
        t.team_id = target.team_id.encode()
        t.campaign_id = target.campaign_id.encode()
        t.period = target.period.encode()
        t.value = float(target.value)
        t.value2 = float(target.value2) if target.value2 is not None else 0.0
        check(lib.kpi_target_table_set(self._h, ctypes.byref(t)))

    def __len__(self) -> int:
        out = ctypes.c_size_t()
        check(lib.kpi_target_table_count(ctypes.byref(out), self._h))
        return out.value

    def __iter__(self):
        for i in range(len(self)):
            t = _Target()
            t.version = 1
            check(lib.kpi_target_table_get(ctypes.byref(t), self._h, i))
            op = _OP_NAMES[t.op]
            yield Target(kpi=t.kpi.decode(), period=t.period.decode(), op=op, value=t.value,
                         value2=t.value2 if op == "between" else None, agent_id=t.agent_id.decode(),
                         team_id=t.team_id.decode(), campaign_id=t.campaign_id.decode())

    def find(self, kpi: str, period: str, *, agent_id: str = "", team_id: str = "",
             campaign_id: str = "") -> Optional[TargetSpec]:
        """The spec of the exact key (additive set from the KPI), or None."""
        s = _TargetSpec()
        check(lib.kpi_target_spec_init(ctypes.byref(s), 1))
        rc = lib.kpi_target_table_find(ctypes.byref(s), self._h, kpi.encode(), agent_id.encode(),
                                       team_id.encode(), campaign_id.encode(), period.encode())
        if rc == ENOTFOUND:
            return None
        check(rc)
        op = _OP_NAMES[s.op]
        return TargetSpec(op, s.value, s.value2 if op == "between" else None, bool(s.additive))


# --------------------------------------------------------------------------------------------------
# Leaderboards and coaching flags


@dataclass(frozen=True)
class LeaderboardRow:
    """A leaderboard row: ``rank`` is the dense rank from 1, or None when not ranked (``standing`` says
    why: "below_min_volume" or "undefined_value")."""

    index: int
    name: str
    value: Optional[float]
    volume: float
    rank: Optional[int]
    standing: str


def rank(entries: Iterable[Tuple[str, Optional[float], float]], better: str = "higher",
         min_volume: float = 0.0) -> List[LeaderboardRow]:
    """Ranks ``(name, value, volume)`` entries, dense ranks for ties, in listing order: ranked rows by
    rank, then those under ``min_volume`` (listed, not ranked), then undefined values.

    >>> [(r.name, r.rank) for r in rank([("a", 100, 50), ("b", 90, 50), ("c", 90, 50), ("d", 200, 3)],
    ...                                  min_volume=20)]
    [('a', 1), ('b', 2), ('c', 2), ('d', None)]
    """
    items = list(entries)
    n = len(items)
    values, mask = _values([v for _, v, _ in items])
    volumes = (ctypes.c_double * max(n, 1))(*[float(vol) for _, _, vol in items])
    names = (ctypes.c_char_p * max(n, 1))(*[str(name).encode() for name, _, _ in items])
    ranks = (ctypes.c_int32 * max(n, 1))()
    standing = (ctypes.c_int32 * max(n, 1))()
    order = (ctypes.c_size_t * max(n, 1))()
    check(lib.kpi_leaderboard_rank(ranks, standing, order, values, mask, volumes, names, n,
                                   _enum(_BETTER, "better", better), float(min_volume)))
    rows = []
    for pos in range(n):
        i = order[pos]
        name, value, volume = items[i]
        rows.append(LeaderboardRow(index=i, name=name, value=None if value is None else float(value),
                                   volume=float(volume), rank=ranks[i] or None,
                                   standing=_STANDING[standing[i]]))
    return rows


def quantile(values: Sequence[float], p: float) -> Optional[float]:
    """The type-7 sample quantile (R's default): quantile([1, 2, 3, 4], 0.25) == 1.75; None when empty."""
    n = len(values)
    arr = (ctypes.c_double * max(n, 1))(*[float(v) for v in values])
    out = ctypes.c_double()
    rc = check(lib.kpi_quantile_type7(ctypes.byref(out), arr, n, float(p)))
    return None if rc == EUNDEFINED else out.value


@dataclass(frozen=True)
class CoachingFlag:
    """An agent under its team's quantile for ``streak`` consecutive periods ending at the last one,
    the first of them at period index ``since``."""

    index: int
    agent: str
    team: str
    streak: int
    since: int


def coaching_flags(agents: Sequence[Tuple[str, str, Sequence[Optional[float]]]], k: int = 3,
                   percentile: float = 0.25, better: str = "higher") -> List[CoachingFlag]:
    """Agents ``(agent, team, values per period)`` strictly below their team's type-7 ``percentile``
    (strictly above the 1 - percentile one when ``better="lower"``) for the last ``k`` periods."""
    n = len(agents)
    periods = len(agents[0][2]) if n else 0
    flat: List[Optional[float]] = []
    team_ids: dict = {}
    teams = (ctypes.c_int32 * max(n, 1))()
    for i, (agent, team, values) in enumerate(agents):
        if len(values) != periods:
            raise InvalidArgumentError(
                EINVAL, f"coaching series of agent {agent!r} has {len(values)} periods, expected {periods}")
        flat.extend(values)
        teams[i] = team_ids.setdefault(team, len(team_ids))
    values, mask = _values(flat)
    flagged = (ctypes.c_int32 * max(n, 1))()
    streak = (ctypes.c_int64 * max(n, 1))()
    check(lib.kpi_coaching_flags(flagged, streak, values, mask, teams, n, periods, _count("coaching k", k, 1),
                                 float(percentile),
                                 _enum(_BETTER, "better", better)))
    return [CoachingFlag(i, agents[i][0], agents[i][1], streak[i], periods - streak[i])
            for i in range(n) if flagged[i]]


# --------------------------------------------------------------------------------------------------
# Anomaly alerts


@dataclass(frozen=True)
class Alert:
    """An anomaly: ``direction`` +1 (spike) or -1 (drop); ``score`` the robust z-score, None when the
    history was perfectly regular; ``expected`` the seasonal median plus the median residual; ``scale``
    the robust sigma in KPI units; ``history`` the number of points judged against."""

    time: datetime
    actual: float
    expected: float
    score: Optional[float]
    direction: int
    scale: float
    history: int


def _alert(a: _Alert) -> Alert:
    return Alert(time=_EPOCH + timedelta(milliseconds=a.time_ms), actual=a.actual, expected=a.expected,
                 score=a.score if a.has_score else None, direction=a.direction, scale=a.scale,
                 history=a.history)


class Event:
    """A list of handlers: ``event += handler``, ``event -= handler``; ``event(x)`` calls each in order."""

    def __init__(self):
        self._handlers: List[Callable] = []

    def __iadd__(self, handler: Callable) -> "Event":
        self._handlers.append(handler)
        return self

    def __isub__(self, handler: Callable) -> "Event":
        self._handlers.remove(handler)
        return self

    def __len__(self) -> int:
        return len(self._handlers)

    def __call__(self, *args) -> None:
        for h in list(self._handlers):
            h(*args)


class AnomalyDetector:
    """A streaming anomaly detector over one daily or hourly series (docs/views.md).

    Subscribe with ``detector.on_alert += handler``; each handler receives an ``Alert`` while
    ``push`` runs (an exception it raises propagates out of ``push``). ``seasonality`` defaults to
    "day_of_week" for a daily series and "hour_of_week" for an hourly one.
    """

    def __init__(self, *, resolution: str = "daily", seasonality: Optional[str] = None, window_days: int = 28,
                 threshold: float = 3.5, min_history: int = 14, min_deviation: float = 0.0,
                 time_zone: Optional[str] = None):
        o = _AnomalyOptions()
        check(lib.kpi_anomaly_options_init(ctypes.byref(o), 1))
        o.resolution = _enum(_RESOLUTION, "resolution", resolution)
        if seasonality is None:
            seasonality = "hour_of_week" if resolution == "hourly" else "day_of_week"
        o.seasonality = _enum(_SEASON, "seasonality", seasonality)
        o.window_days = min(_count("window_days", window_days, 1), 2**31 - 1)
        o.threshold = float(threshold)
        o.min_history = min(_count("min_history", min_history, 0), 2**63 - 1)
        o.min_deviation = float(min_deviation)
        zone = _text(time_zone)
        o.time_zone = zone
        self.on_alert = Event()
        self._error: Optional[BaseException] = None
        self._callback = _AlertCallback(self._trampoline)  # kept alive as long as the detector
        handle = ctypes.c_void_p()
        check(lib.kpi_anomaly_detector_new(ctypes.byref(handle), ctypes.byref(o), self._callback, None))
        self._h = handle

    def _trampoline(self, alert_ptr, _payload) -> None:
        if self._error is not None:
            return
        try:
            self.on_alert(_alert(alert_ptr.contents))
        except BaseException as exc:  # re-raised by push(): a ctypes callback cannot raise
            self._error = exc

    def _raise_pending(self) -> None:
        if self._error is not None:
            exc, self._error = self._error, None
            raise exc

    def push(self, time: Time, value: Optional[float]) -> Optional[Alert]:
        """Judges one point (``value`` None is skipped), raises the event if it is an anomaly, and
        returns the alert or None. Points must come in increasing time."""
        flagged = ctypes.c_int32()
        a = _Alert()
        a.version = 1
        defined = value is not None
        rc = lib.kpi_anomaly_detector_push(ctypes.byref(flagged), ctypes.byref(a), self._h, _ms(time),
                                           float(value) if defined else 0.0, 1 if defined else 0)
        self._raise_pending()
        check(rc)
        return _alert(a) if flagged.value else None

    def push_many(self, points: Iterable[Tuple[Time, Optional[float]]]) -> List[Alert]:
        """Pushes ``(time, value)`` points in one native call; returns their alerts (also raised as
        events)."""
        pts = list(points)
        n = len(pts)
        times = (ctypes.c_int64 * max(n, 1))(*[_ms(t) for t, _ in pts])
        values, mask = _values([v for _, v in pts])
        got: List[Alert] = []
        collect = got.append
        self.on_alert += collect
        try:
            rc = lib.kpi_anomaly_detector_push_many(None, self._h, times, values, mask, n)
        finally:
            self.on_alert -= collect
        self._raise_pending()
        check(rc)
        return got

    def reset(self) -> None:
        """Forgets the history."""
        check(lib.kpi_anomaly_detector_reset(self._h))

    def close(self) -> None:
        """Frees the native detector (also done when the object is collected)."""
        if getattr(self, "_h", None):
            lib.kpi_anomaly_detector_free(self._h)
            self._h = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self) -> "AnomalyDetector":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def detect_anomalies(points: Iterable[Tuple[Time, Optional[float]]], **options) -> List[Alert]:
    """Runs an AnomalyDetector(**options) over ``(time, value)`` points and returns the alerts."""
    with AnomalyDetector(**options) as det:
        return det.push_many(points)


# --------------------------------------------------------------------------------------------------
# Trend


@dataclass(frozen=True)
class TrendFit:
    """A least-squares line ``intercept + slope * x`` (x the 0-based index in the series); None with
    fewer than 2 defined points."""

    slope: Optional[float]
    intercept: Optional[float]

    def at(self, x: float) -> Optional[float]:
        """The fitted value at index ``x``."""
        if self.slope is None or self.intercept is None:
            return None
        return self.intercept + self.slope * x


@dataclass(frozen=True)
class PeriodProjection:
    """Projections of an additive KPI to the period's end: ``run_rate`` = actual x total / elapsed,
    ``trend`` = actual + the fitted line over the remaining sub-periods."""

    actual: float
    run_rate: Optional[float]
    trend: Optional[float]


def fit_trend(values: Sequence[Optional[float]], n: int) -> TrendFit:
    """Fits a line to the last ``n`` values (None skipped, its index kept).

    >>> fit_trend([10, 12, 14, 16], 4).slope
    2.0
    """
    arr, mask = _values(values)
    slope = ctypes.c_double()
    intercept = ctypes.c_double()
    rc = check(lib.kpi_trend_fit(ctypes.byref(slope), ctypes.byref(intercept), arr, mask, len(values),
                                _count("trend n", n, 2)))
    if rc == EUNDEFINED:
        return TrendFit(None, None)
    return TrendFit(slope.value, intercept.value)


def project_to_period_end(values: Sequence[Optional[float]], total: int, n: int) -> PeriodProjection:
    """Projects an additive KPI from its elapsed sub-periods (``values``) to a period of ``total``."""
    arr, mask = _values(values)
    p = _Projection()
    p.version = 1
    check(lib.kpi_trend_project(ctypes.byref(p), arr, mask, len(values), _count("total", total, 0),
                                _count("trend n", n, 2)))
    return PeriodProjection(actual=p.actual, run_rate=p.run_rate if p.has_run_rate else None,
                            trend=p.trend if p.has_trend else None)

