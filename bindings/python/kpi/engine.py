"""The streaming KPI engine: records in (dicts, or numpy columns without copies), KPIs out.

    import numpy as np
    import kpi

    with kpi.Engine(group_by=["agent_id"], period="day", time_zone="Asia/Jakarta", currency="IDR") as e:
        e.add_call_columns(start_ms=starts, direction=dirs, outcome=outcomes, talk_s=talk,
                           agent_id=(codes, ["A1", "A2"]))
        e.evaluate("connection_rate", group={"agent_id": "A1"}, period="2026-11")   # 0.61, or None

Undefined KPIs are ``None``. Errors raise ``kpi.KpiError`` subclasses. An engine is not thread-safe:
use one per thread and ``merge()`` them.
"""

from __future__ import annotations

import ctypes
import json
import math
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._native import EUNDEFINED, check, lib
from .catalog import info

DIMENSIONS = {"agent_id": 0, "team_id": 1, "campaign_id": 2, "queue_id": 3, "channel": 4, "source": 5}
PERIODS = {"none": 0, "day": 1, "week": 2, "month": 3, "quarter": 4, "year": 5}
DIRECTIONS = {"outbound": 0, "inbound": 1}
OUTCOMES = {"connected": 0, "no_answer": 1, "busy": 2, "failed": 3, "voicemail": 4, "abandoned": 5, "timeout": 6}
ORDER_KINDS = {"new": 0, "upsell": 1, "cross_sell": 2}
OPPORTUNITY_STATUSES = {"open": 0, "won": 1, "lost": 2}
PARAMS = {
    "short_call_threshold_s": 1,
    "service_level_threshold_s": 2,
    "service_level_variant": 3,
    "short_abandon_threshold_s": 4,
    "timeouts_as_abandons": 5,
    "repeat_call_window_days": 6,
    "callback_window_hours": 7,
    "revenue_per_call_denominator": 8,
    "lead_to_opportunity_mode": 9,
    "win_rate_mode": 10,
    "sales_growth_base": 11,
    "sales_growth_of": 12,
    "churn_formula": 13,
    "marketing_roi_basis": 14,
    "clv_margin": 15,
    "clv_retention": 16,
    "clv_discount": 17,
    "churn_inactivity_days": 18,
    "control_revenue": 19,
    "control_size": 20,
    "treated_size": 21,
}
#: Names accepted for the enum-valued parameters.
PARAM_CHOICES = {
    "service_level_variant": {
        "answered_only": 0,
        "ignore_abandons": 1,
        "abandons_negative": 2,
        "abandons_positive": 3,
        "exclude_short_abandons": 4,
    },
    "revenue_per_call_denominator": {"all": 0, "outbound": 1, "connected": 2},
    "lead_to_opportunity_mode": {"cohort": 0, "period": 1},
    "win_rate_mode": {"cohort": 0, "period": 1},
    "sales_growth_base": {"previous": 0, "yoy": 1},
    "churn_formula": {"start": 0, "average": 1},
    "marketing_roi_basis": {"gross_profit": 0, "revenue": 1},
}
NO_TIME = -(2**63)

_c_str = ctypes.c_char_p
_i64 = ctypes.c_int64
_dbl = ctypes.c_double


class _Options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("group_by", ctypes.POINTER(ctypes.c_int32)),
        ("group_by_count", ctypes.c_size_t),
        ("period", ctypes.c_int32),
        ("time_zone", _c_str),
        ("default_currency", _c_str),
        ("deduplicate", ctypes.c_int32),
        ("track_callers", ctypes.c_int32),
        ("track_first_orders", ctypes.c_int32),
        ("track_order_activity", ctypes.c_int32),
        ("order_activity_resolution_days", ctypes.c_double),
    ]


class _Call(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("call_id", _c_str),
        ("agent_id", _c_str),
        ("team_id", _c_str),
        ("campaign_id", _c_str),
        ("queue_id", _c_str),
        ("caller", _c_str),
        ("direction", ctypes.c_int32),
        ("outcome", ctypes.c_int32),
        ("start_ms", _i64),
        ("wait_s", _dbl),
        ("talk_s", _dbl),
        ("hold_s", _dbl),
        ("acw_s", _dbl),
    ]


class _Order(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("order_id", _c_str),
        ("customer_id", _c_str),
        ("agent_id", _c_str),
        ("team_id", _c_str),
        ("campaign_id", _c_str),
        ("call_id", _c_str),
        ("time_ms", _i64),
        ("amount_minor", _i64),
        ("currency", _c_str),
        ("cost_minor", _i64),
        ("has_cost", ctypes.c_int32),
        ("kind", ctypes.c_int32),
    ]


class _Lead(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("lead_id", _c_str),
        ("agent_id", _c_str),
        ("campaign_id", _c_str),
        ("source", _c_str),
        ("created_ms", _i64),
        ("first_contact_ms", _i64),
        ("mql_ms", _i64),
        ("sql_ms", _i64),
        ("opportunity_ms", _i64),
        ("won_ms", _i64),
        ("lost_ms", _i64),
    ]


class _Opportunity(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("opportunity_id", _c_str),
        ("lead_id", _c_str),
        ("agent_id", _c_str),
        ("team_id", _c_str),
        ("campaign_id", _c_str),
        ("created_ms", _i64),
        ("closed_ms", _i64),
        ("status", ctypes.c_int32),
        ("amount_minor", _i64),
        ("currency", _c_str),
        ("probability", _dbl),
    ]


class _Customer(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("customer_id", _c_str),
        ("acquired_ms", _i64),
        ("churned_ms", _i64),
        ("campaign_id", _c_str),
    ]


class _Spend(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("campaign_id", _c_str),
        ("channel", _c_str),
        ("start_ms", _i64),
        ("end_ms", _i64),
        ("amount_minor", _i64),
        ("currency", _c_str),
    ]


_P = ctypes.POINTER


class _CallColumns(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("rows", ctypes.c_size_t),
        ("start_ms", _P(_i64)),
        ("direction", _P(ctypes.c_int32)),
        ("outcome", _P(ctypes.c_int32)),
        ("talk_s", _P(_dbl)),
        ("wait_s", _P(_dbl)),
        ("hold_s", _P(_dbl)),
        ("acw_s", _P(_dbl)),
    ] + [
        field
        for name in ("agent", "team", "campaign", "queue", "caller")
        for field in (
            (name + "_codes", _P(ctypes.c_int32)),
            (name + "_dictionary", _P(_c_str)),
            (name + "_dictionary_size", ctypes.c_size_t),
        )
    ] + [("call_ids", _P(_c_str))]


class _Counts(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("read", ctypes.c_uint64),
        ("accepted", ctypes.c_uint64),
        ("rejected", ctypes.c_uint64),
        ("duplicates", ctypes.c_uint64),
        ("late", ctypes.c_uint64),
    ]


_handle = ctypes.c_void_p
_size_p = _P(ctypes.c_size_t)


def _declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


_declare("kpi_engine_new", ctypes.c_int, _P(_handle), _P(_Options))
_declare("kpi_engine_free", None, _handle)
_declare("kpi_engine_set_rate", ctypes.c_int, _handle, _c_str, _c_str)
_declare("kpi_engine_set_param", ctypes.c_int, _handle, ctypes.c_int32, _dbl)
for _fn, _rec in (
    ("kpi_engine_add_calls", _Call),
    ("kpi_engine_add_orders", _Order),
    ("kpi_engine_add_leads", _Lead),
    ("kpi_engine_add_opportunities", _Opportunity),
    ("kpi_engine_add_customers", _Customer),
    ("kpi_engine_add_spend", _Spend),
):
    _declare(_fn, ctypes.c_int, _handle, _P(_rec), ctypes.c_size_t, ctypes.c_size_t, _size_p)
_declare("kpi_engine_add_call_columns", ctypes.c_int, _handle, _P(_CallColumns), _size_p)
_declare("kpi_engine_merge", ctypes.c_int, _handle, _handle)
_declare(
    "kpi_engine_evaluate",
    ctypes.c_int,
    _P(_dbl),
    _handle,
    ctypes.c_int32,
    _P(ctypes.c_int32),
    _P(_c_str),
    ctypes.c_size_t,
    _c_str,
)
_declare(
    "kpi_engine_report_json",
    ctypes.c_int,
    ctypes.c_char_p,
    ctypes.c_size_t,
    _size_p,
    _handle,
    _P(ctypes.c_int32),
    ctypes.c_size_t,
    _P(ctypes.c_int32),
    ctypes.c_size_t,
    ctypes.c_int32,
)
_declare("kpi_engine_counts", ctypes.c_int, _P(_Counts), _handle)
_declare("kpi_engine_save", ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, _size_p, _handle)
_declare("kpi_engine_load", ctypes.c_int, _P(_handle), ctypes.c_void_p, ctypes.c_size_t)

Time = Union[int, float, "datetime.datetime"]  # noqa: F821  (documentation only)


def _ms(t) -> int:
    """Milliseconds since the Unix epoch of an int (ms), a timezone-aware datetime, or None (absent)."""
    if t is None:
        return NO_TIME
    if isinstance(t, int):
        return t
    if hasattr(t, "timestamp"):
        if t.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware one (UTC instants)")
        return int(round(t.timestamp() * 1000))
    raise TypeError(f"a time is int milliseconds or an aware datetime, not {type(t).__name__}")


def _b(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else str(s).encode()


def _opt(x) -> float:
    return math.nan if x is None else float(x)


def _enum(table: Mapping[str, int], value: Union[str, int], what: str) -> int:
    if isinstance(value, int):
        return value
    try:
        return table[value]
    except KeyError:
        raise ValueError(f"unknown {what} {value!r}; expected one of {sorted(table)}") from None


def _kpi_id(kpi: Union[str, int]) -> int:
    return info(kpi).id


class Engine:
    """A streaming, grouped, windowed, mergeable KPI engine (libkpi's ``kpi_engine``).

    ``group_by``: dimensions in roll-up order (``agent_id``, ``team_id``, ``campaign_id``, ``queue_id``,
    ``channel``, ``source``); ``period``: ``day``, ``week``, ``month``, ``quarter``, ``year`` or ``none``;
    ``time_zone``: IANA name periods are cut in; ``currency``: ISO 4217 code of amounts given without
    one. Use as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        group_by: Sequence[str] = (),
        period: str = "day",
        time_zone: str = "UTC",
        currency: Optional[str] = None,
        deduplicate: bool = False,
        track_callers: bool = False,
        track_first_orders: bool = False,
        track_order_activity: bool = False,
        order_activity_resolution_days: float = 1.0,
        _handle_value: Optional[int] = None,
    ):
        self._handle = _handle()
        self._keep: List[Any] = []
        if _handle_value is not None:
            self._handle.value = _handle_value
            return
        dims = (ctypes.c_int32 * max(1, len(group_by)))(*[_enum(DIMENSIONS, d, "dimension") for d in group_by])
        options = _Options(
            version=2,
            group_by=dims,
            group_by_count=len(group_by),
            period=_enum(PERIODS, period, "period"),
            time_zone=_b(time_zone),
            default_currency=_b(currency),
            deduplicate=int(deduplicate),
            track_callers=int(track_callers),
            track_first_orders=int(track_first_orders),
            track_order_activity=int(track_order_activity),
            order_activity_resolution_days=float(order_activity_resolution_days),
        )
        check(lib.kpi_engine_new(ctypes.byref(self._handle), ctypes.byref(options)))

    # Lifetime -----------------------------------------------------------------------------------------
    def close(self) -> None:
        """Frees the engine; further calls raise ValueError. Idempotent."""
        if self._handle.value:
            lib.kpi_engine_free(self._handle)
            self._handle.value = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> ctypes.c_void_p:
        if not self._handle.value:
            raise ValueError("the engine is closed")
        return self._handle

    # Configuration -----------------------------------------------------------------------------------
    def set_param(self, name: str, value: Union[float, str, None]) -> None:
        """Sets a KPI variant parameter for later queries, e.g. ``set_param("service_level_threshold_s",
        30)`` or ``set_param("service_level_variant", "abandons_positive")``. ``None`` for ``clv_margin``
        or ``clv_retention`` means "measured"; ``None`` for ``control_revenue`` means "no control group"
        (the previous period is the baseline). ``churn_inactivity_days`` > 0 derives the churn KPIs from
        orders (needs ``track_order_activity=True``)."""
        key = _enum(PARAMS, name, "parameter")
        if name == "sales_growth_of" and value is not None:
            value = _kpi_id(value)  # a KPI name or id
        elif isinstance(value, str):
            value = _enum(PARAM_CHOICES.get(name, {}), value, name)
        check(lib.kpi_engine_set_param(self._h(), key, _opt(value)))

    def set_rate(self, from_currency: str, rate: str) -> None:
        """Converts amounts in ``from_currency`` into the engine's currency at ``rate`` (an exact decimal
        string: units of the engine's currency per unit of ``from_currency``)."""
        check(lib.kpi_engine_set_rate(self._h(), _b(from_currency), _b(str(rate))))

    # Ingest ------------------------------------------------------------------------------------------
    def _add(self, fn, struct, rows: List[Any]) -> int:
        array = (struct * len(rows))(*rows)
        accepted = ctypes.c_size_t()
        check(fn(self._h(), array, len(rows), ctypes.sizeof(struct), ctypes.byref(accepted)))
        return accepted.value

    def add_calls(self, calls: Iterable[Mapping[str, Any]]) -> int:
        """Adds call records given as dicts with the canonical CSV column names (``start`` as int ms or
        an aware datetime; ``direction`` and ``outcome`` as their CSV spellings). Returns how many were
        accepted; invalid records are counted in ``counts`` as rejected."""
        rows = [
            _Call(
                version=1,
                call_id=_b(c["call_id"]),
                agent_id=_b(c.get("agent_id")),
                team_id=_b(c.get("team_id")),
                campaign_id=_b(c.get("campaign_id")),
                queue_id=_b(c.get("queue_id")),
                caller=_b(c.get("caller")),
                direction=_enum(DIRECTIONS, c.get("direction", "outbound"), "direction"),
                outcome=_enum(OUTCOMES, c["outcome"], "outcome"),
                start_ms=_ms(c["start"]),
                wait_s=_opt(c.get("wait_s")),
                talk_s=float(c.get("talk_s", 0)),
                hold_s=_opt(c.get("hold_s")),
                acw_s=_opt(c.get("acw_s")),
            )
            for c in calls
        ]
        return self._add(lib.kpi_engine_add_calls, _Call, rows)

    def add_orders(self, orders: Iterable[Mapping[str, Any]]) -> int:
        """Adds orders as dicts; ``amount_minor`` (and ``cost_minor``) in minor units of ``currency``."""
        rows = [
            _Order(
                version=1,
                order_id=_b(o["order_id"]),
                customer_id=_b(o.get("customer_id")),
                agent_id=_b(o.get("agent_id")),
                team_id=_b(o.get("team_id")),
                campaign_id=_b(o.get("campaign_id")),
                call_id=_b(o.get("call_id")),
                time_ms=_ms(o["time"]),
                amount_minor=int(o["amount_minor"]),
                currency=_b(o.get("currency")),
                cost_minor=int(o.get("cost_minor") or 0),
                has_cost=int(o.get("cost_minor") is not None),
                kind=_enum(ORDER_KINDS, o.get("kind", "new"), "order kind"),
            )
            for o in orders
        ]
        return self._add(lib.kpi_engine_add_orders, _Order, rows)

    def add_leads(self, leads: Iterable[Mapping[str, Any]]) -> int:
        """Adds leads as dicts (milestone times absent or None when not reached)."""
        rows = [
            _Lead(
                version=1,
                lead_id=_b(x["lead_id"]),
                agent_id=_b(x.get("agent_id")),
                campaign_id=_b(x.get("campaign_id")),
                source=_b(x.get("source")),
                created_ms=_ms(x["created"]),
                first_contact_ms=_ms(x.get("first_contact")),
                mql_ms=_ms(x.get("mql")),
                sql_ms=_ms(x.get("sql")),
                opportunity_ms=_ms(x.get("opportunity")),
                won_ms=_ms(x.get("won")),
                lost_ms=_ms(x.get("lost")),
            )
            for x in leads
        ]
        return self._add(lib.kpi_engine_add_leads, _Lead, rows)

    def add_opportunities(self, opportunities: Iterable[Mapping[str, Any]]) -> int:
        """Adds opportunities as dicts (``status``: open, won or lost; ``amount_minor`` in minor units)."""
        rows = [
            _Opportunity(
                version=1,
                opportunity_id=_b(x["opportunity_id"]),
                lead_id=_b(x.get("lead_id")),
                agent_id=_b(x.get("agent_id")),
                team_id=_b(x.get("team_id")),
                campaign_id=_b(x.get("campaign_id")),
                created_ms=_ms(x["created"]),
                closed_ms=_ms(x.get("closed")),
                status=_enum(OPPORTUNITY_STATUSES, x.get("status", "open"), "status"),
                amount_minor=int(x["amount_minor"]),
                currency=_b(x.get("currency")),
                probability=_opt(x.get("probability")),
            )
            for x in opportunities
        ]
        return self._add(lib.kpi_engine_add_opportunities, _Opportunity, rows)

    def add_customers(self, customers: Iterable[Mapping[str, Any]]) -> int:
        """Adds customer relationships as dicts (``churned`` absent or None while active)."""
        rows = [
            _Customer(
                version=1,
                customer_id=_b(x["customer_id"]),
                acquired_ms=_ms(x["acquired"]),
                churned_ms=_ms(x.get("churned")),
                campaign_id=_b(x.get("campaign_id")),
            )
            for x in customers
        ]
        return self._add(lib.kpi_engine_add_customers, _Customer, rows)

    def add_spend(self, spend: Iterable[Mapping[str, Any]]) -> int:
        """Adds spend rows as dicts (``amount_minor`` in minor units over ``[start, end)``)."""
        rows = [
            _Spend(
                version=1,
                campaign_id=_b(x["campaign_id"]),
                channel=_b(x.get("channel")),
                start_ms=_ms(x["start"]),
                end_ms=_ms(x["end"]),
                amount_minor=int(x["amount_minor"]),
                currency=_b(x.get("currency")),
            )
            for x in spend
        ]
        return self._add(lib.kpi_engine_add_spend, _Spend, rows)

    def add_call_columns(
        self,
        start_ms,
        direction,
        outcome,
        talk_s,
        wait_s=None,
        hold_s=None,
        acw_s=None,
        agent_id=None,
        team_id=None,
        campaign_id=None,
        queue_id=None,
        caller=None,
        call_id: Optional[Sequence[str]] = None,
    ) -> int:
        """Adds a batch of calls given as columns: the fast path.

        Numeric columns are numpy arrays (or sequences): ``start_ms`` int64, ``direction`` and
        ``outcome`` int32 codes (see ``DIRECTIONS``, ``OUTCOMES``), durations float64 with NaN for
        absent. Arrays that already have that dtype and are C-contiguous are passed **without a copy**;
        others are converted once. String dimensions are ``(codes, dictionary)`` pairs (int32 codes, -1
        for none) or a sequence of strings (encoded here). Returns how many rows were accepted.
        """
        import numpy as np

        n = len(start_ms)
        keep: List[Any] = []

        def numeric(values, dtype, ctype, name):
            if values is None:
                return None
            array = np.ascontiguousarray(values, dtype=dtype)  # no copy when already right
            if array.shape != (n,):
                raise ValueError(f"{name} has {array.shape[0] if array.ndim else 0} rows, expected {n}")
            keep.append(array)
            return array.ctypes.data_as(_P(ctype))

        columns = _CallColumns(version=1, rows=n)
        columns.start_ms = numeric(start_ms, np.int64, _i64, "start_ms")
        columns.direction = numeric(direction, np.int32, ctypes.c_int32, "direction")
        columns.outcome = numeric(outcome, np.int32, ctypes.c_int32, "outcome")
        columns.talk_s = numeric(talk_s, np.float64, _dbl, "talk_s")
        for name, values in (("wait_s", wait_s), ("hold_s", hold_s), ("acw_s", acw_s)):
            if values is not None:
                setattr(columns, name, numeric(values, np.float64, _dbl, name))
        for name, values in (
            ("agent", agent_id),
            ("team", team_id),
            ("campaign", campaign_id),
            ("queue", queue_id),
            ("caller", caller),
        ):
            if values is None:
                continue
            if isinstance(values, tuple) and len(values) == 2:
                codes, dictionary = values
            else:
                dictionary, codes = np.unique(np.asarray(values, dtype=str), return_inverse=True)
            setattr(columns, name + "_codes", numeric(codes, np.int32, ctypes.c_int32, name + " codes"))
            table = (_c_str * max(1, len(dictionary)))(*[_b(s) for s in dictionary])
            keep.append(table)
            setattr(columns, name + "_dictionary", table)
            setattr(columns, name + "_dictionary_size", len(dictionary))
        if call_id is not None:
            ids = (_c_str * max(1, n))(*[_b(s) for s in call_id])
            keep.append(ids)
            columns.call_ids = ids
        accepted = ctypes.c_size_t()
        check(lib.kpi_engine_add_call_columns(self._h(), ctypes.byref(columns), ctypes.byref(accepted)))
        return accepted.value

    # State -------------------------------------------------------------------------------------------
    def merge(self, other: "Engine") -> None:
        """Adds ``other``'s state into this engine (same options required)."""
        check(lib.kpi_engine_merge(self._h(), other._h()))

    def save(self) -> bytes:
        """The engine's whole state in libkpi's versioned binary format."""
        size = ctypes.c_size_t()
        lib.kpi_engine_save(None, 0, ctypes.byref(size), self._h())  # size query (KPI_EBUFS)
        buffer = ctypes.create_string_buffer(size.value)
        check(lib.kpi_engine_save(buffer, size.value, ctypes.byref(size), self._h()))
        return buffer.raw[: size.value]

    @classmethod
    def load(cls, data: bytes) -> "Engine":
        """An engine from ``save()``'s bytes. Raises CorruptStateError for anything else."""
        handle = _handle()
        check(lib.kpi_engine_load(ctypes.byref(handle), data, len(data)))
        return cls(_handle_value=handle.value)

    @property
    def counts(self) -> Dict[str, int]:
        """Records read, accepted, rejected, duplicates and late (accepted but older than the latest)."""
        c = _Counts(version=1)
        check(lib.kpi_engine_counts(ctypes.byref(c), self._h()))
        return {k: getattr(c, k) for k in ("read", "accepted", "rejected", "duplicates", "late")}

    # Queries -----------------------------------------------------------------------------------------
    def evaluate(
        self, kpi: Union[str, int], group: Optional[Mapping[str, str]] = None, period: Optional[str] = None
    ) -> Optional[float]:
        """One KPI for a group (dimensions fixed; the others rolled up) and a period label ("2026-11",
        "2026-W48", ...; None: all time). ``None`` when undefined. Money is in major units."""
        group = group or {}
        dims = (ctypes.c_int32 * max(1, len(group)))(*[_enum(DIMENSIONS, d, "dimension") for d in group])
        values = (_c_str * max(1, len(group)))(*[_b(v) for v in group.values()])
        out = ctypes.c_double()
        status = check(
            lib.kpi_engine_evaluate(ctypes.byref(out), self._h(), _kpi_id(kpi), dims, values, len(group), _b(period))
        )
        return None if status == EUNDEFINED else out.value

    def report(self, kpis: Sequence[Union[str, int]], group_by: Sequence[str] = (), period: str = "day") -> Dict:
        """The rows of a report as a dict (the ``kpi report --format json`` row shape)."""
        ids = (ctypes.c_int32 * max(1, len(kpis)))(*[_kpi_id(k) for k in kpis])
        dims = (ctypes.c_int32 * max(1, len(group_by)))(*[_enum(DIMENSIONS, d, "dimension") for d in group_by])
        args = (self._h(), ids, len(kpis), dims, len(group_by), _enum(PERIODS, period, "period"))
        size = ctypes.c_size_t()
        lib.kpi_engine_report_json(None, 0, ctypes.byref(size), *args)  # size query
        buffer = ctypes.create_string_buffer(size.value)
        check(lib.kpi_engine_report_json(buffer, size.value, ctypes.byref(size), *args))
        return json.loads(buffer.value.decode())


def _column_pointer_is_shared(array, dtype) -> Tuple[bool, Any]:
    """For tests and users: whether ``add_call_columns`` would pass ``array`` without copying it."""
    import numpy as np

    converted = np.ascontiguousarray(array, dtype=dtype)
    return converted is array or np.shares_memory(converted, array), converted
