"""The engine from Python: dict records and numpy columns, queries, None for undefined, merge, save/load,
and the errors a user meets."""

import datetime as dt

import numpy as np
import pytest

import kpi
from kpi.engine import OUTCOMES, _column_pointer_is_shared

JAKARTA = dt.timezone(dt.timedelta(hours=7))
NOV23 = dt.datetime(2026, 11, 23, 0, 0, tzinfo=JAKARTA)  # local midnight
NOV23_MS = int(NOV23.timestamp() * 1000)
HOUR_MS = 3_600_000

# Outbound calls: 23 Nov A1 connected 300 s, A1 no_answer, A2 connected 200 s, A2 voicemail;
# 22 Nov (1 ms before Jakarta midnight) A1 connected 100 s.
CALLS = [
    dict(call_id="c1", agent_id="A1", outcome="connected", start=NOV23_MS, talk_s=300),
    dict(call_id="c2", agent_id="A1", outcome="no_answer", start=NOV23_MS + HOUR_MS),
    dict(call_id="c3", agent_id="A2", outcome="connected", start=NOV23_MS + 2 * HOUR_MS, talk_s=200),
    dict(call_id="c4", agent_id="A2", outcome="voicemail", start=NOV23_MS + 3 * HOUR_MS),
    dict(call_id="c5", agent_id="A1", outcome="connected", start=NOV23 - dt.timedelta(milliseconds=1), talk_s=100),
]


def engine(**kwargs):
    options = dict(group_by=["agent_id"], period="day", time_zone="Asia/Jakarta", currency="IDR")
    options.update(kwargs)
    return kpi.Engine(**options)


def test_hand_computed_kpis():
    with engine() as e:
        assert e.add_calls(CALLS) == 5
        # 23 Nov: 2 connected of 4 outbound (voicemail is not connected).
        assert e.evaluate("connection_rate", period="2026-11-23") == pytest.approx(0.5)
        assert e.evaluate("connection_rate", {"agent_id": "A1"}, "2026-11-23") == pytest.approx(0.5)
        assert e.evaluate("avg_talk_time_s", period="2026-11-23") == pytest.approx(250.0)
        assert e.evaluate("calls", period="2026-11-22") == 1
        # The month rolls the days up: 3 connected of 5.
        assert e.evaluate("connection_rate", period="2026-11") == pytest.approx(0.6)
        # No inbound calls: undefined is None, never 0.
        assert e.evaluate("abandon_rate") is None
        assert e.counts == dict(read=5, accepted=5, rejected=0, duplicates=0, late=1)


def test_parameters_change_later_queries():
    with engine() as e:
        e.add_calls(CALLS)
        assert e.evaluate("short_call_share", period="2026-11-23") == 0.0  # 300 and 200 >= 120
        e.set_param("short_call_threshold_s", 250)
        assert e.evaluate("short_call_share", period="2026-11-23") == pytest.approx(0.5)
        e.set_param("service_level_variant", "abandons_positive")
        with pytest.raises(kpi.InvalidArgumentError):
            e.set_param("service_level_variant", 9)
        with pytest.raises(ValueError):
            e.set_param("no_such_parameter", 1)


def test_churn_from_orders_and_control_group():
    utc = dt.timezone.utc
    day = lambda m, d: dt.datetime(2026, m, d, tzinfo=utc)  # noqa: E731
    orders = [
        dict(order_id="o1", customer_id="u1", time=day(10, 18), amount_minor=10000),  # 14 days before Nov
        dict(order_id="o2", customer_id="u2", time=day(10, 24), amount_minor=10000),
        dict(order_id="o3", customer_id="u2", time=day(11, 5), amount_minor=10000),  # 12 days later
    ]
    with kpi.Engine(period="day", currency="IDR", track_order_activity=True) as e:
        assert e.add_orders(orders) == 3
        assert e.evaluate("churn_rate", period="2026-11") is None  # contractual: no customer records
        e.set_param("churn_inactivity_days", 14)
        # u1 (10-18) and u2 (10-24) at the start; u1 lost at 11-01, u2 at 11-19.
        assert e.evaluate("customers_at_start", period="2026-11") == 2
        assert e.evaluate("churn_rate", period="2026-11") == 1.0
        e.set_param("churn_inactivity_days", 0)
        # Control group: Rp30.00 over 3 customers, 10 treated: baseline Rp100.00 = November's revenue.
        e.set_param("control_revenue", 30)
        e.set_param("control_size", 3)
        e.set_param("treated_size", 10)
        assert e.evaluate("incremental_sales", period="2026-11") == pytest.approx(0.0)
        e.set_param("control_revenue", None)  # back to the previous period (October, Rp200.00)
        assert e.evaluate("incremental_sales", period="2026-11") == pytest.approx(-100.0)
        with pytest.raises(kpi.InvalidArgumentError):
            e.set_param("control_size", 0)
    with kpi.Engine(period="day", currency="IDR") as plain:  # no order activity: undefined, not 0
        plain.add_orders(orders)
        plain.set_param("churn_inactivity_days", 14)
        assert plain.evaluate("churn_rate", period="2026-11") is None


def test_numpy_columns_without_copies_equal_records():
    starts = np.array([c["start"] if isinstance(c["start"], int) else NOV23_MS - 1 for c in CALLS], dtype=np.int64)
    outcomes = np.array([OUTCOMES[c["outcome"]] for c in CALLS], dtype=np.int32)
    talk = np.array([c.get("talk_s", 0.0) for c in CALLS], dtype=np.float64)
    directions = np.zeros(len(CALLS), dtype=np.int32)
    assert _column_pointer_is_shared(starts, np.int64)[0]
    assert _column_pointer_is_shared(talk, np.float64)[0]
    assert not _column_pointer_is_shared(talk.astype(np.float32), np.float64)[0]
    with engine() as by_columns, engine() as by_records:
        accepted = by_columns.add_call_columns(
            start_ms=starts,
            direction=directions,
            outcome=outcomes,
            talk_s=talk,
            agent_id=(np.array([0, 0, 1, 1, 0], dtype=np.int32), ["A1", "A2"]),
        )
        assert accepted == 5
        by_records.add_calls(CALLS)
        for name in ("calls", "connection_rate", "avg_talk_time_s", "p90_talk_time_s"):
            assert by_columns.evaluate(name, period="2026-11") == by_records.evaluate(name, period="2026-11")
        # Strings instead of codes are encoded by the binding.
        with engine() as by_strings:
            by_strings.add_call_columns(starts, directions, outcomes, talk, agent_id=["A1", "A1", "A2", "A2", "A1"])
            assert by_strings.evaluate("calls", {"agent_id": "A2"}) == 2
        with pytest.raises(ValueError):
            by_columns.add_call_columns(starts, directions[:2], outcomes, talk)


def test_merge_and_save_load():
    with engine() as a, engine() as b:
        a.add_calls(CALLS[:3])
        b.add_calls(CALLS[3:])
        a.merge(b)
        assert a.evaluate("calls") == 5
        state = a.save()
        assert state[:4] == b"KPIE"
        with kpi.Engine.load(state) as loaded:
            assert loaded.evaluate("connection_rate", period="2026-11") == pytest.approx(0.6)
        with pytest.raises(kpi.CorruptStateError):
            kpi.Engine.load(state[: len(state) // 2])


def test_report_rows():
    with engine() as e:
        e.add_calls(CALLS)
        report = e.report(["calls", "connection_rate", "abandon_rate"], group_by=["agent_id"], period="month")
        rows = {(tuple(r["group"].items()), r["period"]): r["kpis"] for r in report["rows"]}
        assert rows[((("agent_id", "A1"),), "2026-11")]["calls"] == 3
        assert rows[((), "2026-11")]["connection_rate"] == pytest.approx(0.6)
        assert rows[((), "2026-11")]["abandon_rate"] is None


def test_errors_users_meet():
    with pytest.raises(kpi.InvalidArgumentError):
        kpi.Engine(time_zone="Mars/Olympus_Mons")
    with pytest.raises(kpi.CurrencyError):
        kpi.Engine(currency="QQQ")
    with engine() as e:
        with pytest.raises(kpi.UnknownKpiError):
            e.evaluate("no_such_kpi")
        e.add_orders(
            [
                dict(order_id="o1", agent_id="A1", time=NOV23_MS, amount_minor=85_000_000, currency="IDR"),
                dict(order_id="o2", agent_id="A2", time=NOV23_MS, amount_minor=5_000, currency="USD"),
            ]
        )
        assert e.evaluate("sales_revenue", {"agent_id": "A1"}) == pytest.approx(850_000.0)
        with pytest.raises(kpi.CurrencyError):
            e.evaluate("sales_revenue")  # two currencies in one roll-up, no rates
    closed = engine()
    closed.close()
    with pytest.raises(ValueError):
        closed.evaluate("calls")
