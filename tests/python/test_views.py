"""kpi.views: targets, leaderboards, coaching flags, anomaly events, trend. Expected values are worked
out by hand in the comments (the same cases as tests/core/views_*_test.cpp)."""

from datetime import datetime, timedelta, timezone

import pytest

import kpi
from kpi import views

MONDAY = datetime(2026, 1, 5, tzinfo=timezone.utc)  # 2026-01-01 is a Thursday
BASE = [120, 110, 100, 100, 90, 40, 5]  # Monday first


def weekly(days):
    """The weekly pattern +1 in even weeks, -1 in odd ones: each weekday's four values in a 28-day window are
    b+1, b+1, b-1, b-1, so leave-one-out residuals are +-2 (m = 0, MAD = 2) and the median is b."""
    return [(MONDAY + timedelta(days=i), BASE[i % 7] + (1.0 if (i // 7) % 2 == 0 else -1.0)) for i in range(days)]


# Targets -------------------------------------------------------------------------------------------


def test_target_exactly_met_is_met():
    ev = views.evaluate_target(">=", 80, actual=80, progress=1.0, additive=True)
    assert ev.status == "met"
    assert ev.attainment == 1.0  # 80 / 80
    assert views.evaluate_target("<=", 0.05, actual=0.05).status == "met"
    assert views.evaluate_target("between", 240, actual=360, value2=360).status == "met"


def test_month_to_date_prorating_and_run_rate():
    # >= 30e6 revenue, half the month gone, 12e6 so far: prorated 15e6, projection 24e6, at risk.
    ev = views.evaluate_target(">=", 30_000_000, actual=12_000_000, progress=0.5, additive=True)
    assert ev.status == "at_risk"
    assert ev.prorated_target == 15_000_000
    assert ev.projection == 24_000_000
    assert ev.attainment == pytest.approx(0.4, abs=1e-15)
    assert views.evaluate_target(">=", 30_000_000, actual=16_000_000, progress=0.5, additive=True).status == "on_track"


def test_between_attainment_and_rates_not_projected():
    spec = views.TargetSpec("between", 240, 360)
    assert spec.evaluate(200).attainment == pytest.approx(200 / 240, abs=1e-15)
    ev = spec.evaluate(400)
    assert (ev.status, ev.attainment, ev.prorated_target2) == ("missed", 0.9, 360.0)
    mid = spec.evaluate(380, progress=0.5)  # a mean can come back: at risk, not missed
    assert (mid.status, mid.projection) == ("at_risk", None)


def test_undefined_actual_has_no_status():
    ev = views.evaluate_target(">=", 0.6, actual=None)
    assert ev.status is None and ev.attainment is None and ev.projection is None


def test_target_errors():
    with pytest.raises(kpi.InvalidArgumentError, match="1.5"):
        views.evaluate_target(">=", 1, actual=1, progress=1.5)
    with pytest.raises(kpi.InvalidArgumentError):
        views.evaluate_target("=>", 1, actual=1)
    with pytest.raises(kpi.InvalidArgumentError):
        views.evaluate_target("between", 5, actual=1, value2=4)


def test_period_progress():
    # "2026-11" has 30 days: the 16th at 00:00 UTC is half of it; in Jakarta (UTC+7) (15 d + 7 h) / 30 d.
    as_of = datetime(2026, 11, 16, tzinfo=timezone.utc)
    assert views.period_progress("2026-11", as_of) == 0.5
    assert views.period_progress("2026-11", as_of, "Asia/Jakarta") == pytest.approx(367 / 720, abs=1e-15)
    with pytest.raises(kpi.ParseError):
        views.period_progress("2026-13", as_of)
    with pytest.raises(kpi.NotFoundError):
        views.period_progress("2026-11", as_of, "Nowhere/Atlantis")
    with pytest.raises(kpi.InvalidArgumentError):
        views.period_progress("2026-11", datetime(2026, 11, 16))  # naive


def test_is_additive():
    assert views.is_additive("sales_revenue") and views.is_additive("calls")
    assert not views.is_additive("connection_rate") and not views.is_additive("avg_talk_time_s")


def test_target_table_from_csv_and_api(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("kpi,agent_id,team_id,campaign_id,period,op,value,value2\n"
                    "avg_talk_time_s,,north,,2026-11,between,240,360\n"
                    "orders,,,,2026-11,>=,100,\n")
    with views.TargetTable(str(path)) as table:
        assert len(table) == 2
        spec = table.find("avg_talk_time_s", "2026-11", team_id="north")
        assert spec == views.TargetSpec("between", 240.0, 360.0, False)
        assert table.find("orders", "2026-11").additive is True
        assert table.find("orders", "2026-12") is None
        table.set(views.Target("connection_rate", "2026-W48", ">=", 0.6, agent_id="a7"))
        table.set(views.Target("orders", "2026-11", ">=", 120))  # replaces
        rows = list(table)
        assert len(rows) == 3
        assert rows[1] == views.Target("orders", "2026-11", ">=", 120.0)
        assert rows[2].agent_id == "a7" and rows[2].period == "2026-W48"
        # A 300 s mean talk time at the month's end meets 240-360.
        assert spec.evaluate(300.0).status == "met"
    bad = tmp_path / "bad.csv"
    bad.write_text("kpi,period,op,value\norders,2026-11,=>,100\n")
    with pytest.raises(kpi.ParseError, match="bad.csv"):
        views.TargetTable(str(bad))


# Leaderboards and coaching ------------------------------------------------------------------------


def test_leaderboard_dense_ranks_and_minimum_volume():
    rows = views.rank([("dina", 90, 30), ("agus", 100, 40), ("budi", 80, 25), ("citra", 90, 50), ("eka", 500, 5),
                       ("ira", None, 60)], better="higher", min_volume=20)
    assert [(r.name, r.rank, r.standing) for r in rows] == [
        ("agus", 1, "ranked"), ("citra", 2, "ranked"), ("dina", 2, "ranked"), ("budi", 3, "ranked"),
        ("eka", None, "below_min_volume"), ("ira", None, "undefined_value")]
    low = views.rank([("q1", 0.02, 100), ("q2", 0.05, 100), ("q3", 0.01, 100)], better="lower")
    assert [r.name for r in low] == ["q3", "q1", "q2"]
    assert views.rank([]) == []
    with pytest.raises(kpi.InvalidArgumentError):
        views.rank([("a", 1, -1)])
    with pytest.raises(kpi.InvalidArgumentError):
        views.rank([("a", 1, 1)], better="sideways")


def test_quantile_type7():
    assert views.quantile([4, 1, 3, 2], 0.25) == 1.75  # h = 0.75: 1 + 0.75 x 1
    assert views.quantile([15, 20, 35, 40, 50], 0.4) == pytest.approx(29.0, abs=1e-12)  # 20 + 0.6 x 15
    assert views.quantile([], 0.5) is None


def test_coaching_flags():
    # Team A {50,40,30,20,10} then {50,40,30,5,10}: p25 20, then 10 (strictly below only).
    # Team B {100,200,300}: p25 150 every period, so m is under all 4 periods.
    agents = [("a", "A", [50, 50, 50, 50]), ("b", "A", [40, 40, 40, 40]), ("c", "A", [30, 30, 30, 30]),
              ("d", "A", [20, 20, 5, 5]), ("e", "A", [10, 10, 10, 10]), ("m", "B", [100] * 4),
              ("n", "B", [200] * 4), ("o", "B", [300] * 4)]
    flags = views.coaching_flags(agents, k=2)
    assert [(f.agent, f.team, f.streak, f.since) for f in flags] == [("d", "A", 2, 2), ("m", "B", 4, 0)]
    assert [f.agent for f in views.coaching_flags(agents, k=3)] == ["m"]
    agents[5] = ("m", "B", [100, 100, None, 100])  # no data in period 2 breaks m's streak
    assert [f.agent for f in views.coaching_flags(agents, k=2)] == ["d"]
    # Lower is better (AHT): p75 of {100..500} is 400; only 500 is over it.
    aht = [(x, "T", [v]) for x, v in zip("abcde", [100, 200, 300, 400, 500])]
    assert [f.agent for f in views.coaching_flags(aht, k=1, better="lower")] == ["e"]
    with pytest.raises(kpi.InvalidArgumentError):
        views.coaching_flags(agents, k=0)


# Anomaly alerts ------------------------------------------------------------------------------------


def test_flat_series_and_weekly_pattern_raise_nothing():
    flat = [(MONDAY + timedelta(days=i), 100.0) for i in range(90)]
    assert views.detect_anomalies(flat) == []
    assert views.detect_anomalies(weekly(70)) == []
    # Without removing the weekday effect the Sunday trough is flagged (z = 0.6745 x (5 - 99) / 11).
    raw = views.detect_anomalies(weekly(70), seasonality="none")
    assert any(a.time.weekday() == 6 and a.direction == -1 for a in raw)


def test_injected_spike_raises_one_event():
    points = weekly(70)
    points[49] = (points[49][0], 139.0)  # a Monday of an odd week (119): residual 19
    det = views.AnomalyDetector()
    seen = []
    det.on_alert += seen.append
    returned = [a for a in (det.push(t, v) for t, v in points) if a is not None]
    assert len(seen) == 1 and returned == seen
    a = seen[0]
    assert a.time == MONDAY + timedelta(days=49)
    assert a.score == pytest.approx(0.6745 * 19 / 2, abs=1e-12)
    assert (a.actual, a.expected, a.direction, a.history) == (139.0, 120.0, 1, 28)
    det.close()


def test_injected_drop_is_flagged_through_push_many():
    points = weekly(70)
    points[52] = (points[52][0], 60.0)  # a Thursday (99): residual 60 - 100 = -40, z = 0.6745 x -40 / 2
    alerts = views.detect_anomalies(points)
    assert len(alerts) == 1
    assert alerts[0].direction == -1 and alerts[0].score == pytest.approx(-13.49, abs=1e-12)


def test_mad_zero_guard():
    # 28 days of exactly 100 then 100.5: no z (MAD = MeanAD = 0) but flagged; min_deviation 1 ignores it.
    points = [(MONDAY + timedelta(days=i), 100.0) for i in range(28)] + [(MONDAY + timedelta(days=28), 100.5)]
    alerts = views.detect_anomalies(points)
    assert len(alerts) == 1 and alerts[0].score is None and alerts[0].expected == 100.0
    assert views.detect_anomalies(points, min_deviation=1.0) == []


def test_handler_exception_propagates_and_bad_points_raise():
    points = weekly(50)
    points[49] = (points[49][0], 139.0)
    det = views.AnomalyDetector()

    def boom(alert):
        raise RuntimeError("handler failed")

    det.on_alert += boom
    with pytest.raises(RuntimeError, match="handler failed"):
        det.push_many(points)
    det.on_alert -= boom
    with pytest.raises(kpi.InvalidArgumentError):
        det.push(MONDAY, 1.0)  # before the last point
    assert det.push(MONDAY + timedelta(days=60), None) is None  # undefined: skipped
    with pytest.raises(kpi.InvalidArgumentError):
        views.AnomalyDetector(window_days=0)
    with pytest.raises(kpi.NotFoundError):
        views.AnomalyDetector(time_zone="Nowhere/Atlantis")


def test_hourly_series():
    # 10 + hour, +-1 by week; +20 at hour 15 of week 5's Wednesday: residual 19, z = 0.6745 x 19 / 2.
    spike = (5 * 7 + 2) * 24 + 15
    points = []
    for h in range(6 * 7 * 24):
        x = 10.0 + h % 24 + (1.0 if (h // 168) % 2 == 0 else -1.0) + (20.0 if h == spike else 0.0)
        points.append((MONDAY + timedelta(hours=h), x))
    alerts = views.detect_anomalies(points, resolution="hourly")
    assert len(alerts) == 1
    assert alerts[0].time == MONDAY + timedelta(hours=spike)
    assert alerts[0].score == pytest.approx(0.6745 * 19 / 2, abs=1e-12)


# Trend ---------------------------------------------------------------------------------------------


def test_trend():
    assert views.fit_trend([10, 12, 14, 16], 4) == views.TrendFit(pytest.approx(2.0), pytest.approx(10.0))
    # y = 1 3 2 5: Sxy = 5.5, Sxx = 5: slope 1.1, intercept 2.75 - 1.1 x 1.5 = 1.1.
    fit = views.fit_trend([1, 3, 2, 5], 4)
    assert fit.slope == pytest.approx(1.1, abs=1e-12) and fit.intercept == pytest.approx(1.1, abs=1e-12)
    assert fit.at(4) == pytest.approx(1.1 + 4.4, abs=1e-12)
    assert views.fit_trend([None, 5, None], 3) == views.TrendFit(None, None)
    # 10 of 30 days with 10..19: actual 145, run rate 435, trend 145 + 590 = 735.
    p = views.project_to_period_end([10.0 + i for i in range(10)], 30, 10)
    assert p.actual == 145 and p.run_rate == pytest.approx(435) and p.trend == pytest.approx(735, abs=1e-9)
    with pytest.raises(kpi.InvalidArgumentError):
        views.fit_trend([1, 2], 1)
    with pytest.raises(kpi.InvalidArgumentError):
        views.project_to_period_end([1, 2, 3], 2, 2)
