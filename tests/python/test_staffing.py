"""kpi.staffing: oracles E1, E2, E6 of oracles.md, Erlang A hand cases, and error paths."""

import math

import pytest

import kpi
from kpi import staffing

E1 = dict(calls=100, interval_s=1800, aht_s=180, answer_within_s=20)


def test_erlang_b_oracle_e6():
    # B(1,1) = 1/(1+1) = 0.5; B(2,1) = 0.5/(2+0.5) = 0.2; B(5,3) = 0.110054; B(10,5) = 0.018385.
    assert staffing.erlang_b(1, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert staffing.erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    assert staffing.erlang_b(5, 3.0) == pytest.approx(0.110054, abs=5e-7)
    assert staffing.erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-7)


def test_erlang_c_oracle_e1():
    assert staffing.traffic(100, 1800, 180) == 10.0  # 100 x 180 / 1800
    assert staffing.erlang_c(14, 10.0) == pytest.approx(0.1741319335950498, abs=1e-15)


def test_solve_oracle_e1():
    # 14 agents, 20 scheduled (14 / 0.7); P(wait) 0.1741319335950498, SL 0.8883500191794669,
    # occupancy 10/14, ASA 7.836 s; no abandonment under Erlang C.
    r = staffing.solve(**E1, target=0.8, max_occupancy=0.85, shrinkage=0.3)
    assert (r.agents, r.scheduled, r.meets_target) == (14, 20, True)
    assert r.p_wait == pytest.approx(0.1741319335950498, abs=1e-15)
    assert r.service_level == pytest.approx(0.8883500191794669, abs=1e-15)
    assert r.occupancy == pytest.approx(0.7142857142857143, abs=1e-15)
    assert r.asa_s == pytest.approx(7.836, abs=5e-4)
    assert r.mean_wait_s == r.asa_s
    assert r.p_abandon is None


def test_solve_oracle_e2_occupancy_cap():
    # Cap 0.70: 15 agents, 22 scheduled (ceil(21.43)); SL 0.941, occupancy 0.667, P(wait) 0.102.
    r = staffing.solve(**E1, target=0.8, max_occupancy=0.70, shrinkage=0.3)
    assert (r.agents, r.scheduled) == (15, 22)
    assert r.service_level == pytest.approx(0.941, abs=5e-4)
    assert r.occupancy == pytest.approx(0.667, abs=5e-4)
    assert r.p_wait == pytest.approx(0.102, abs=5e-4)


def test_evaluate_oracle_e1_neighbours():
    # oracles.md E1: N=11: 0.682118 / 0.389614 / 122.78 s; N=13: 0.285270 / 0.795595 / 17.12 s.
    r = staffing.evaluate(11, **E1)
    assert (r.p_wait, r.service_level, r.asa_s) == pytest.approx((0.682118, 0.389614, 122.78), abs=5e-3)
    assert r.p_wait == pytest.approx(0.682118, abs=5e-7)
    r = staffing.evaluate(13, **E1, target=0.8, shrinkage=0.3)
    assert r.service_level == pytest.approx(0.795595, abs=5e-7)
    assert r.asa_s == pytest.approx(17.12, abs=5e-3)
    assert (r.meets_target, r.scheduled) == (False, 19)  # 0.7956 < 0.8; ceil(13 / 0.7) = 19


def test_erlang_a_single_agent_hand_case():
    # N = 1, 1 call/s, AHT 1 s, patience 1 s: p_n = e^-1/n!, so P(wait) = 1 - 1/e, P(abandon) =
    # theta*Lq/lambda = 1/e, mean wait = Lq/lambda = 1/e s, occupancy = 1 - 1/e, and
    # SL(ln 2) = e^-1 [0.5 + 1.5 (sqrt(e) - 1)] = 0.54191654839750781 (derivation in the C++ test).
    r = staffing.evaluate(1, calls=3600, interval_s=3600, aht_s=1, answer_within_s=math.log(2), patience_s=1)
    e = math.exp(-1)
    assert r.p_wait == pytest.approx(1 - e, abs=1e-15)
    assert r.p_abandon == pytest.approx(e, abs=1e-15)
    assert r.mean_wait_s == pytest.approx(e, abs=1e-15)
    assert r.occupancy == pytest.approx(1 - e, abs=1e-15)
    assert r.service_level == pytest.approx(0.54191654839750781, abs=1e-15)


def test_erlang_a_converges_to_erlang_c():
    c = staffing.evaluate(14, **E1)
    a = staffing.evaluate(14, **E1, patience_s=1e9)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-7)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-7)
    assert a.p_abandon < 1e-7


def test_erlang_a_solve_with_patience():
    # mpmath (docs/staffing.md): SL(12) = 0.7723 < 0.8 <= SL(13) = 0.8581777000307626; ceil(13/0.7) = 19.
    r = staffing.solve(**E1, target=0.8, max_occupancy=0.85, shrinkage=0.3, patience_s=300)
    assert (r.agents, r.scheduled) == (13, 19)
    assert r.service_level == pytest.approx(0.8581777000307626, abs=1e-14)
    assert r.p_abandon == pytest.approx(0.024963303633571875, abs=1e-15)


def test_large_centre():
    # 2,000 agents at 1,900 Erlangs: P(wait) 0.013406437303190343 (mpmath, factorial definition).
    assert staffing.erlang_c(2000, 1900.0) == pytest.approx(0.013406437303190343, abs=1e-13)


def test_errors():
    with pytest.raises(kpi.InvalidArgumentError, match="agents 10 <= traffic 10"):
        staffing.erlang_c(10, 10.0)
    with pytest.raises(ValueError):
        staffing.evaluate(9, **E1)
    with pytest.raises(kpi.InvalidArgumentError, match="target"):
        staffing.solve(**E1, target=1.5)
    with pytest.raises(kpi.InvalidArgumentError, match="target"):
        staffing.solve(**E1, target=-0.1)
    with pytest.raises(kpi.InvalidArgumentError, match="aht_s"):
        staffing.solve(calls=100, interval_s=1800, aht_s=0)
    with pytest.raises(kpi.InvalidArgumentError, match="calls"):
        staffing.solve(calls=-5, interval_s=1800, aht_s=180)
    with pytest.raises(kpi.InvalidArgumentError, match="patience_s"):
        staffing.solve(**E1, patience_s=0)
    with pytest.raises(kpi.InvalidArgumentError, match="shrinkage"):
        staffing.solve(**E1, shrinkage=1.0)
    with pytest.raises(kpi.InvalidArgumentError, match="agents"):
        staffing.erlang_b(2**40, 1.0)
    with pytest.raises(kpi.InvalidArgumentError, match="interval_s"):
        staffing.traffic(100, 0, 180)
    with pytest.raises(TypeError):
        staffing.erlang_b(1.5, 1.0)
    with pytest.raises(kpi.ConvergenceError):
        # 10 agents at 20 Erlangs, patience 1e12 s: the queue would peak near 5.6e10 callers.
        staffing.evaluate(10, calls=200, interval_s=1800, aht_s=180, patience_s=1e12)


def test_docstring_examples():
    import doctest

    assert doctest.testmod(staffing).failed == 0
