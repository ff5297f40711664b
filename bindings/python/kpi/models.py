"""Customer value models: BG/NBD purchases and P(alive), Gamma-Gamma value, predictive CLV, and the
shifted-beta-geometric model of contract retention.

A customer is summarized by four numbers in one time unit (days or weeks): ``x`` repeat purchases in
the calibration period, ``t_x`` the time of the last purchase after the first, ``T`` the time from the
first purchase to the end of the calibration period, and ``zbar`` the mean value of the repeat
purchases. Build them from transactions (``summarize``, ``read_transactions``) or read them
(``read_summary``), then fit and score:

>>> from kpi import models
>>> customers = models.read_summary("cdnow_customers_summary_with_transactions.csv")  # doctest: +SKIP
>>> report = models.analyze(customers, horizon_months=12, monthly_discount=0.01, unit="week")  # doctest: +SKIP
>>> round(report.bgnbd.r, 3), round(report.gamma_gamma.p, 2)  # doctest: +SKIP
(0.243, 6.25)

Sequences may be lists, tuples or anything iterable of numbers. Functions of a fitted model accept a
scalar (and return a float) or sequences (and return a list). Undefined values (no finite mean value)
are ``None``. Errors raise ``kpi.InvalidArgumentError`` (a ``ValueError``), ``kpi.ParseError``,
``kpi.NotFoundError`` (unknown time zone), ``kpi.ConvergenceError`` or ``OSError`` for unreadable files.
Everything here is thread-safe; a ``CustomerSet`` should not be modified from two threads at once.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from ._native import EBUFS, EINVAL, EIO, InvalidArgumentError, check, error_for, lib

__all__ = [
    "BgNbd",
    "Customer",
    "CustomerSet",
    "CustomerValue",
    "GammaGamma",
    "Report",
    "Sbg",
    "analyze",
    "clv",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_sbg",
    "read_summary",
    "read_transactions",
    "summarize",
    "units_per_month",
]

_UNITS = {"day": 0, "week": 1}
_VERSION = 1

_D = ctypes.c_double
_PD = ctypes.POINTER(ctypes.c_double)
_PI32 = ctypes.POINTER(ctypes.c_int32)


class _FitOptions(ctypes.Structure):
    # Mirrors kpi_fit_options (kpi/c/models.h), version 1.
    _fields_ = [("version", ctypes.c_uint32), ("max_iterations", ctypes.c_int32), ("tolerance", _D)]


class _SummaryOptions(ctypes.Structure):
    # Mirrors kpi_summary_options, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("unit", ctypes.c_int32),
        ("has_calibration_end", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
        ("calibration_end_ms", ctypes.c_int64),
        ("time_zone", ctypes.c_char_p),
    ]


class _Customer(ctypes.Structure):
    # Mirrors kpi_customer, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("id", ctypes.c_char_p),
        ("x", _D),
        ("t_x", _D),
        ("T", _D),
        ("zbar", _D),
    ]


class _BgNbd(ctypes.Structure):
    # Mirrors kpi_bgnbd, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("iterations", ctypes.c_int32),
        ("customers", ctypes.c_int64),
        ("r", _D),
        ("alpha", _D),
        ("a", _D),
        ("b", _D),
        ("loglik", _D),
    ]


class _GammaGamma(ctypes.Structure):
    # Mirrors kpi_gamma_gamma, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("iterations", ctypes.c_int32),
        ("customers", ctypes.c_int64),
        ("p", _D),
        ("q", _D),
        ("gamma", _D),
        ("loglik", _D),
    ]


class _ClvOptions(ctypes.Structure):
    # Mirrors kpi_clv_options, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("horizon_months", ctypes.c_int32),
        ("unit", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
        ("monthly_discount", _D),
        ("units_per_month", _D),
    ]


class _Sbg(ctypes.Structure):
    # Mirrors kpi_sbg, version 1.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("iterations", ctypes.c_int32),
        ("alpha", _D),
        ("beta", _D),
        ("loglik", _D),
    ]


class _CustomerSetHandle(ctypes.Structure):
    pass


_PSet = ctypes.POINTER(_CustomerSetHandle)


def _sig(name, *argtypes, restype=ctypes.c_int):
    fn = getattr(lib, name)
    fn.argtypes = list(argtypes)
    fn.restype = restype


_sig("kpi_models_units_per_month", _PD, ctypes.c_int32)
_sig("kpi_fit_options_init", ctypes.POINTER(_FitOptions), ctypes.c_uint32)
_sig("kpi_summary_options_init", ctypes.POINTER(_SummaryOptions), ctypes.c_uint32)
_sig("kpi_clv_options_init", ctypes.POINTER(_ClvOptions), ctypes.c_uint32)
_sig("kpi_customer_init", ctypes.POINTER(_Customer), ctypes.c_uint32)
_sig("kpi_customer_set_new", ctypes.POINTER(_PSet))
_sig("kpi_customer_set_free", _PSet, restype=None)
_sig("kpi_customer_set_add", _PSet, ctypes.POINTER(_Customer))
_sig(
    "kpi_customer_set_add_transactions",
    _PSet,
    ctypes.POINTER(ctypes.c_char_p),
    ctypes.POINTER(ctypes.c_int64),
    _PD,
    ctypes.c_size_t,
    ctypes.POINTER(_SummaryOptions),
)
_sig("kpi_customer_set_read_transactions", _PSet, ctypes.c_char_p, ctypes.POINTER(_SummaryOptions))
_sig("kpi_customer_set_read_summary_csv", _PSet, ctypes.c_char_p)
_sig("kpi_customer_set_count", ctypes.POINTER(ctypes.c_size_t), _PSet)
_sig("kpi_customer_set_get", ctypes.POINTER(_Customer), _PSet, ctypes.c_size_t)
_sig("kpi_customer_set_columns", _PD, _PD, _PD, _PD, ctypes.c_size_t, _PSet)
_sig("kpi_bgnbd_fit", ctypes.POINTER(_BgNbd), _PD, _PD, _PD, ctypes.c_size_t, ctypes.POINTER(_FitOptions))
_sig("kpi_bgnbd_loglik", _PD, ctypes.POINTER(_BgNbd), _PD, _PD, _PD, ctypes.c_size_t)
_sig("kpi_bgnbd_expected_purchases", _PD, ctypes.POINTER(_BgNbd), _D)
_sig("kpi_bgnbd_conditional_expected_purchases", _PD, ctypes.POINTER(_BgNbd), _D, _PD, _PD, _PD, ctypes.c_size_t)
_sig("kpi_bgnbd_p_alive", _PD, ctypes.POINTER(_BgNbd), _PD, _PD, _PD, ctypes.c_size_t)
_sig("kpi_bgnbd_p_purchases", _PD, ctypes.POINTER(_BgNbd), _D, ctypes.c_uint32)
_sig("kpi_gamma_gamma_fit", ctypes.POINTER(_GammaGamma), _PD, _PD, ctypes.c_size_t, ctypes.POINTER(_FitOptions))
_sig("kpi_gamma_gamma_loglik", _PD, ctypes.POINTER(_GammaGamma), _PD, _PD, ctypes.c_size_t)
_sig("kpi_gamma_gamma_expected_value", _PD, _PI32, ctypes.POINTER(_GammaGamma), _PD, _PD, ctypes.c_size_t)
_sig(
    "kpi_clv",
    _PD,
    _PI32,
    ctypes.POINTER(_BgNbd),
    ctypes.POINTER(_GammaGamma),
    _PD,
    _PD,
    _PD,
    _PD,
    ctypes.c_size_t,
    ctypes.POINTER(_ClvOptions),
)
_sig("kpi_sbg_fit", ctypes.POINTER(_Sbg), _PD, ctypes.c_size_t, ctypes.POINTER(_FitOptions))
_sig("kpi_sbg_loglik", _PD, ctypes.POINTER(_Sbg), _PD, ctypes.c_size_t)
_sig("kpi_sbg_survival", _PD, ctypes.POINTER(_Sbg), ctypes.c_uint32)
_sig("kpi_sbg_churn_probability", _PD, ctypes.POINTER(_Sbg), ctypes.c_uint32)
_sig("kpi_sbg_retention", _PD, ctypes.POINTER(_Sbg), ctypes.c_uint32)
_sig("kpi_sbg_project_survival", _PD, ctypes.c_size_t, ctypes.POINTER(_Sbg))


# ------------------------------------------------------------------------------------------------
# helpers


def _unit(unit: str) -> int:
    try:
        return _UNITS[unit]
    except (KeyError, TypeError):
        raise InvalidArgumentError(EINVAL, f"unit must be 'day' or 'week', got {unit!r}") from None


def _doubles(values: Iterable[float], name: str):
    seq = list(values)
    try:
        return (_D * len(seq))(*[float(v) for v in seq]), len(seq)
    except (TypeError, ValueError):
        raise InvalidArgumentError(EINVAL, f"{name} must hold numbers") from None


def _is_scalar(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _columns(x, t_x, T, zbar=None):
    """Parallel ctypes arrays of equal length; a CustomerSet may stand for all four."""
    if isinstance(x, CustomerSet):
        cols = x.columns()
        x, t_x, T, zbar = cols.x, cols.t_x, cols.T, cols.zbar
    arrays = []
    n = None
    for name, values in (("x", x), ("t_x", t_x), ("T", T), ("zbar", zbar)):
        if values is None:
            arrays.append(None)
            continue
        arr, count = _doubles(values, name)
        if n is not None and count != n:
            raise InvalidArgumentError(EINVAL, f"{name} has {count} values, x has {n}")
        n = count
        arrays.append(arr)
    return arrays, n or 0


def _fit_options(max_iterations: int, tolerance: float) -> _FitOptions:
    o = _FitOptions()
    check(lib.kpi_fit_options_init(ctypes.byref(o), _VERSION))
    o.max_iterations = int(max_iterations)
    o.tolerance = float(tolerance)
    return o


def _instant_ms(when, time_zone: Optional[str]) -> int:
    """Unix ms of an instant in the given day: int ms, an aware datetime (a naive one is UTC), or a
    date (noon of that local day, so the day is right in any zone)."""
    if isinstance(when, bool):
        raise InvalidArgumentError(EINVAL, "calibration_end must be a date, a datetime or Unix milliseconds")
    if isinstance(when, int):
        return when
    if isinstance(when, _dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        return int(round(when.timestamp() * 1000))
    if isinstance(when, _dt.date):
        tz = _dt.timezone.utc
        if time_zone:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(time_zone)
        return int(round(_dt.datetime.combine(when, _dt.time(12), tzinfo=tz).timestamp() * 1000))
    raise InvalidArgumentError(EINVAL, "calibration_end must be a date, a datetime or Unix milliseconds")


def _summary_options(unit: str, calibration_end, time_zone: Optional[str]) -> _SummaryOptions:
    o = _SummaryOptions()
    check(lib.kpi_summary_options_init(ctypes.byref(o), _VERSION))
    o.unit = _unit(unit)
    if calibration_end is not None:
        o.has_calibration_end = 1
        o.calibration_end_ms = _instant_ms(calibration_end, time_zone)
    o.time_zone = time_zone.encode() if time_zone else None
    return o


# ------------------------------------------------------------------------------------------------
# customer summaries


@dataclass(frozen=True)
class Customer:
    """One customer summary (times in the summary's unit)."""

    id: str
    x: float  #: repeat purchases in the calibration period (a whole number)
    t_x: float  #: time of the last purchase after the first
    T: float  #: time from the first purchase to the end of the calibration period
    zbar: float  #: mean value of the repeat purchases (0 without any)


@dataclass(frozen=True)
class Columns:
    """The summaries of a CustomerSet as parallel lists."""

    x: List[float]
    t_x: List[float]
    T: List[float]
    zbar: List[float]


class CustomerSet:
    """An ordered set of customer summaries with their ids, held by the library."""

    def __init__(self) -> None:
        handle = _PSet()
        check(lib.kpi_customer_set_new(ctypes.byref(handle)))
        self._handle = handle

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle:
            lib.kpi_customer_set_free(handle)
            self._handle = None

    def __len__(self) -> int:
        n = ctypes.c_size_t()
        check(lib.kpi_customer_set_count(ctypes.byref(n), self._handle))
        return n.value

    def __getitem__(self, index: int) -> Customer:
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"customer index {index} out of range ({n} customers)")
        c = _Customer()
        check(lib.kpi_customer_init(ctypes.byref(c), _VERSION))
        check(lib.kpi_customer_set_get(ctypes.byref(c), self._handle, index))
        return Customer((c.id or b"").decode("utf-8", "replace"), c.x, c.t_x, c.T, c.zbar)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def add(self, id: str, x: float, t_x: float, T: float, zbar: float = 0.0) -> None:
        """Appends one summary (validated: x a whole number >= 0, 0 <= t_x <= T, zbar >= 0)."""
        c = _Customer()
        check(lib.kpi_customer_init(ctypes.byref(c), _VERSION))
        c.id = str(id).encode()
        c.x, c.t_x, c.T, c.zbar = float(x), float(t_x), float(T), float(zbar)
        check(lib.kpi_customer_set_add(self._handle, ctypes.byref(c)))

    def columns(self) -> Columns:
        """x, t_x, T and zbar as four lists, in order."""
        n = len(self)
        arrays = [(_D * n)() for _ in range(4)]
        status = lib.kpi_customer_set_columns(*arrays, n, self._handle)
        if status == EBUFS:  # grew in between: another thread modified the set
            raise RuntimeError("the customer set changed while it was read")
        check(status)
        return Columns(*[list(a) for a in arrays])


def read_summary(path: str) -> CustomerSet:
    """Reads a customer summary CSV (columns ID, x or frequency, t_x or recency, T, zbar or
    monetary_value; the two CDNOW summary files read as given)."""
    s = CustomerSet()
    status = lib.kpi_customer_set_read_summary_csv(s._handle, str(path).encode())
    if status == EIO:
        raise OSError(str(error_for(status)))
    check(status)
    return s


def read_transactions(
    path: str, *, unit: str = "week", calibration_end=None, time_zone: Optional[str] = None
) -> CustomerSet:
    """Reads transactions (a CSV with customer_id, time, amount columns, or the CDNOW layout such as
    CDNOW_master.txt) and summarizes them per customer.

    ``calibration_end`` is a day (``datetime.date``), an instant in it (``datetime``, naive = UTC) or
    Unix milliseconds: purchases on that day count and T runs to its start. ``None``: the day of the
    last purchase. Purchases are grouped by calendar day in ``time_zone`` (UTC when ``None``).
    """
    s = CustomerSet()
    o = _summary_options(unit, calibration_end, time_zone)
    status = lib.kpi_customer_set_read_transactions(s._handle, str(path).encode(), ctypes.byref(o))
    if status == EIO:
        raise OSError(str(error_for(status)))
    check(status)
    return s


def summarize(
    customer_ids: Sequence[str],
    times,
    amounts: Sequence[float],
    *,
    unit: str = "week",
    calibration_end=None,
    time_zone: Optional[str] = None,
) -> CustomerSet:
    """Summarizes transactions given as three parallel sequences: customer ids, times (aware
    datetimes, naive ones are UTC, or Unix milliseconds) and amounts. Customers come out in order of
    first appearance; same-day purchases are one purchase worth their sum."""
    ids = [str(i).encode() for i in customer_ids]
    ms = [_instant_ms(t, None) if isinstance(t, _dt.datetime) else int(t) for t in times]
    vals, n = _doubles(amounts, "amounts")
    if not len(ids) == len(ms) == n:
        raise InvalidArgumentError(EINVAL, f"{len(ids)} ids, {len(ms)} times and {n} amounts: lengths differ")
    o = _summary_options(unit, calibration_end, time_zone)
    s = CustomerSet()
    check(
        lib.kpi_customer_set_add_transactions(
            s._handle, (ctypes.c_char_p * n)(*ids), (ctypes.c_int64 * n)(*ms), vals, n, ctypes.byref(o)
        )
    )
    return s


def _month(unit: str) -> float:
    out = _D()
    check(lib.kpi_models_units_per_month(ctypes.byref(out), _unit(unit)))
    return out.value


def units_per_month(unit: str) -> float:
    """Model time units in a month: 4.345 weeks or 30.415 days."""
    return _month(unit)


# ------------------------------------------------------------------------------------------------
# BG/NBD


@dataclass(frozen=True)
class BgNbd:
    """A BG/NBD model (Fader, Hardie & Lee 2005). Build one with known parameters or with
    ``fit_bgnbd``; times are in the unit of the summaries it was fitted on."""

    r: float
    alpha: float
    a: float
    b: float
    loglik: Optional[float] = None  #: after a fit
    iterations: int = 0
    customers: int = 0

    def _raw(self) -> _BgNbd:
        return _BgNbd(_VERSION, 0, 0, float(self.r), float(self.alpha), float(self.a), float(self.b), 0.0)

    def expected_purchases(self, t: float) -> float:
        """E[X(t)]: expected purchases of a new customer in (0, t]."""
        out = _D()
        check(lib.kpi_bgnbd_expected_purchases(ctypes.byref(out), ctypes.byref(self._raw()), float(t)))
        return out.value

    def _batch(self, fn, head, x, t_x, T):
        scalar = _is_scalar(x)
        (xa, ta, Ta, _), n = _columns([x] if scalar else x, [t_x] if scalar else t_x, [T] if scalar else T)
        out = (_D * n)()
        check(fn(out, ctypes.byref(self._raw()), *head, xa, ta, Ta, n))
        return out[0] if scalar else list(out)

    def conditional_expected_purchases(self, t: float, x, t_x, T):
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units (scalars or sequences)."""
        return self._batch(lib.kpi_bgnbd_conditional_expected_purchases, (float(t),), x, t_x, T)

    def p_alive(self, x, t_x, T):
        """P(alive | x, t_x, T), 1 when x = 0 (scalars or sequences)."""
        return self._batch(lib.kpi_bgnbd_p_alive, (), x, t_x, T)

    def p_purchases(self, t: float, n: int) -> float:
        """P(X(t) = n): probability of exactly ``n`` purchases in (0, t] for a new customer."""
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 2**32:
            raise InvalidArgumentError(EINVAL, f"n must be an int in [0, 2^32), got {n!r}")
        out = _D()
        check(lib.kpi_bgnbd_p_purchases(ctypes.byref(out), ctypes.byref(self._raw()), float(t), n))
        return out.value

    def log_likelihood(self, x, t_x=None, T=None) -> float:
        """The log-likelihood of these parameters for the customers (sequences or a CustomerSet)."""
        (xa, ta, Ta, _), n = _columns(x, t_x, T)
        out = _D()
        check(lib.kpi_bgnbd_loglik(ctypes.byref(out), ctypes.byref(self._raw()), xa, ta, Ta, n))
        return out.value


def fit_bgnbd(x, t_x=None, T=None, *, max_iterations: int = 500, tolerance: float = 1e-9) -> BgNbd:
    """Fits BG/NBD by maximum likelihood on sequences x, t_x, T or on a CustomerSet."""
    (xa, ta, Ta, _), n = _columns(x, t_x, T)
    raw = _BgNbd(_VERSION)
    o = _fit_options(max_iterations, tolerance)
    check(lib.kpi_bgnbd_fit(ctypes.byref(raw), xa, ta, Ta, n, ctypes.byref(o)))
    return BgNbd(raw.r, raw.alpha, raw.a, raw.b, raw.loglik, raw.iterations, raw.customers)


# ------------------------------------------------------------------------------------------------
# Gamma-Gamma


@dataclass(frozen=True)
class GammaGamma:
    """A Gamma-Gamma value model (Fader & Hardie; Colombo & Jiang 1999); gamma in currency units."""

    p: float
    q: float
    gamma: float
    loglik: Optional[float] = None
    iterations: int = 0
    customers: int = 0  #: customers in the fit (x >= 1 and zbar > 0)

    def _raw(self) -> _GammaGamma:
        return _GammaGamma(_VERSION, 0, 0, float(self.p), float(self.q), float(self.gamma), 0.0)

    def expected_value(self, x, zbar):
        """E[M | x, zbar] = p (gamma + x zbar) / (p x + q - 1); ``None`` where p x + q <= 1.
        Scalars give a float (or None), sequences a list."""
        scalar = _is_scalar(x)
        (xa, _, _, za), n = _columns([x] if scalar else x, None, None, [zbar] if scalar else zbar)
        out = (_D * n)()
        defined = (ctypes.c_int32 * n)()
        check(lib.kpi_gamma_gamma_expected_value(out, defined, ctypes.byref(self._raw()), xa, za, n))
        values = [v if d else None for v, d in zip(out, defined)]
        return values[0] if scalar else values

    def log_likelihood(self, x, zbar=None) -> float:
        """The log-likelihood over the customers with x >= 1 and zbar > 0 (sequences or a CustomerSet)."""
        if isinstance(x, CustomerSet):
            cols = x.columns()
            x, zbar = cols.x, cols.zbar
        (xa, _, _, za), n = _columns(x, None, None, zbar)
        out = _D()
        check(lib.kpi_gamma_gamma_loglik(ctypes.byref(out), ctypes.byref(self._raw()), xa, za, n))
        return out.value


def fit_gamma_gamma(x, zbar=None, *, max_iterations: int = 500, tolerance: float = 1e-9) -> GammaGamma:
    """Fits Gamma-Gamma on the customers with x >= 1 and zbar > 0 (sequences x, zbar or a CustomerSet)."""
    if isinstance(x, CustomerSet):
        cols = x.columns()
        x, zbar = cols.x, cols.zbar
    (xa, _, _, za), n = _columns(x, None, None, zbar)
    raw = _GammaGamma(_VERSION)
    o = _fit_options(max_iterations, tolerance)
    check(lib.kpi_gamma_gamma_fit(ctypes.byref(raw), xa, za, n, ctypes.byref(o)))
    return GammaGamma(raw.p, raw.q, raw.gamma, raw.loglik, raw.iterations, raw.customers)


# ------------------------------------------------------------------------------------------------
# CLV


def _clv_options(horizon_months: int, monthly_discount: float, unit: str, per_month: Optional[float]) -> _ClvOptions:
    o = _ClvOptions()
    check(lib.kpi_clv_options_init(ctypes.byref(o), _VERSION))
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int):
        raise InvalidArgumentError(EINVAL, f"horizon_months must be an int, got {horizon_months!r}")
    o.horizon_months = max(min(horizon_months, 2**31 - 1), -1)
    o.monthly_discount = float(monthly_discount)
    o.unit = _unit(unit)
    o.units_per_month = 0.0 if per_month is None else float(per_month)
    return o


def clv(
    purchases: BgNbd,
    value: GammaGamma,
    x,
    t_x=None,
    T=None,
    zbar=None,
    *,
    horizon_months: int = 12,
    monthly_discount: float = 0.01,
    unit: str = "week",
    units_per_month: Optional[float] = None,
):
    """Discounted CLV over ``horizon_months``: sum over months k of
    E[M] (E[Y(k f)] - E[Y((k-1) f)]) / (1 + monthly_discount)^k, with f = 4.345 weeks or 30.415 days
    a month (``unit`` is the models' time unit; ``units_per_month`` overrides f). Scalars give a float
    (or None), sequences or a CustomerSet a list; ``None`` where E[M] is undefined."""
    scalar = _is_scalar(x)
    if scalar:
        x, t_x, T, zbar = [x], [t_x], [T], [zbar]
    (xa, ta, Ta, za), n = _columns(x, t_x, T, zbar)
    o = _clv_options(horizon_months, monthly_discount, unit, units_per_month)
    out = (_D * n)()
    defined = (ctypes.c_int32 * n)()
    check(
        lib.kpi_clv(
            out, defined, ctypes.byref(purchases._raw()), ctypes.byref(value._raw()), xa, ta, Ta, za, n, ctypes.byref(o)
        )
    )
    values = [v if d else None for v, d in zip(out, defined)]
    return values[0] if scalar else values


@dataclass(frozen=True)
class CustomerValue:
    """What the models predict for one customer."""

    id: str
    p_alive: float
    expected_purchases: float  #: over the CLV horizon
    expected_value: Optional[float]  #: E[M]; None without a value model
    clv: Optional[float]  #: None without a value model


@dataclass(frozen=True)
class Report:
    """Both fits and every customer's scores (what ``kpi clv`` prints)."""

    bgnbd: BgNbd
    gamma_gamma: Optional[GammaGamma]  #: None when fewer than two customers have x >= 1 and zbar > 0
    customers: List[CustomerValue]


def analyze(
    customers: CustomerSet,
    *,
    horizon_months: int = 12,
    monthly_discount: float = 0.01,
    unit: str = "week",
    units_per_month: Optional[float] = None,
    max_iterations: int = 500,
    tolerance: float = 1e-9,
) -> Report:
    """Fits BG/NBD on all customers and Gamma-Gamma on the repeat buyers, then scores everyone."""
    cols = customers.columns()
    bg = fit_bgnbd(cols.x, cols.t_x, cols.T, max_iterations=max_iterations, tolerance=tolerance)
    repeat_buyers = sum(1 for xi, zi in zip(cols.x, cols.zbar) if xi >= 1 and zi > 0)
    gg = None
    if repeat_buyers >= 2:
        gg = fit_gamma_gamma(cols.x, cols.zbar, max_iterations=max_iterations, tolerance=tolerance)
    per_month = units_per_month if units_per_month is not None else _month(unit)
    horizon = horizon_months * per_month
    alive = bg.p_alive(cols.x, cols.t_x, cols.T)
    expected = bg.conditional_expected_purchases(horizon, cols.x, cols.t_x, cols.T)
    values = gg.expected_value(cols.x, cols.zbar) if gg else [None] * len(cols.x)
    clvs = (
        clv(
            bg,
            gg,
            cols.x,
            cols.t_x,
            cols.T,
            cols.zbar,
            horizon_months=horizon_months,
            monthly_discount=monthly_discount,
            unit=unit,
            units_per_month=units_per_month,
        )
        if gg
        else [None] * len(cols.x)
    )
    ids = [c.id for c in customers]
    rows = [CustomerValue(*row) for row in zip(ids, alive, expected, values, clvs)]
    return Report(bg, gg, rows)


# ------------------------------------------------------------------------------------------------
# sBG


@dataclass(frozen=True)
class Sbg:
    """A shifted-beta-geometric model of contract duration (Fader & Hardie 2007)."""

    alpha: float
    beta: float
    loglik: Optional[float] = None
    iterations: int = 0

    def _raw(self) -> _Sbg:
        return _Sbg(_VERSION, 0, float(self.alpha), float(self.beta), 0.0)

    def _call(self, fn, t: int) -> float:
        if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t < 2**32:
            raise InvalidArgumentError(EINVAL, f"t must be an int in [0, 2^32), got {t!r}")
        out = _D()
        check(fn(ctypes.byref(out), ctypes.byref(self._raw()), t))
        return out.value

    def survival(self, t: int) -> float:
        """S(t): share of a new cohort still active after t renewal opportunities (S(0) = 1)."""
        return self._call(lib.kpi_sbg_survival, t)

    def churn_probability(self, t: int) -> float:
        """P(T = t): probability that a new customer cancels at the end of period t >= 1."""
        return self._call(lib.kpi_sbg_churn_probability, t)

    def retention(self, t: int) -> float:
        """r_t = S(t) / S(t-1), the retention rate of period t >= 1 (rises with t)."""
        return self._call(lib.kpi_sbg_retention, t)

    def project(self, periods: int) -> List[float]:
        """S(0), S(1), ..., S(periods)."""
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 0:
            raise InvalidArgumentError(EINVAL, f"periods must be an int >= 0, got {periods!r}")
        out = (_D * (periods + 1))()
        check(lib.kpi_sbg_project_survival(out, periods + 1, ctypes.byref(self._raw())))
        return list(out)

    def log_likelihood(self, survivors: Sequence[float]) -> float:
        """The log-likelihood for one cohort's survivor counts."""
        arr, n = _doubles(survivors, "survivors")
        out = _D()
        check(lib.kpi_sbg_loglik(ctypes.byref(out), ctypes.byref(self._raw()), arr, n))
        return out.value


def fit_sbg(survivors: Sequence[float], *, max_iterations: int = 500, tolerance: float = 1e-9) -> Sbg:
    """Fits the sBG model to one cohort's survivor counts (survivors[0] at the start, survivors[t]
    still active after t renewals)."""
    arr, n = _doubles(survivors, "survivors")
    raw = _Sbg(_VERSION)
    o = _fit_options(max_iterations, tolerance)
    check(lib.kpi_sbg_fit(ctypes.byref(raw), arr, n, ctypes.byref(o)))
    return Sbg(raw.alpha, raw.beta, raw.loglik, raw.iterations)
