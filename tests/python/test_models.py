"""kpi.models: the CDNOW oracles (FHL 2005, Hardie's spreadsheets, R BTYD), Fader & Hardie 2007's sBG
estimates, hand-computed values, explicit time units, and error paths."""

import datetime as dt
import math
import os

import pytest

import kpi
from kpi import models

CDNOW = os.path.join(os.environ.get("KPI_SHARED_DATA_DIR", "../shared/data"), "cdnow")
SUMMARY = os.path.join(CDNOW, "cdnow_customers_summary_with_transactions.csv")
PUBLISHED = models.BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)


@pytest.fixture(scope="module")
def cdnow():
    return models.read_summary(SUMMARY)


@pytest.fixture(scope="module")
def report(cdnow):
    return models.analyze(cdnow)


def test_reads_the_cdnow_summary(cdnow):
    assert len(cdnow) == 2357
    assert cdnow[0] == models.Customer("1", 2.0, 30.43, 38.86, 22.35)
    assert cdnow[-1].id == "2357"
    cols = cdnow.columns()
    assert len(cols.x) == 2357 and cols.T[0] == 38.86


def test_bgnbd_reproduces_fhl_2005(report):
    # FHL 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    bg = report.bgnbd
    assert bg.r == pytest.approx(0.243, abs=5e-4)
    assert bg.alpha == pytest.approx(4.414, abs=5e-4)
    assert bg.a == pytest.approx(0.793, abs=5e-4)
    assert bg.b == pytest.approx(2.426, abs=5e-4)
    assert bg.loglik == pytest.approx(-9582.4, abs=0.05)
    assert bg.customers == 2357


def test_bgnbd_predictions_match_hardie_and_btyd(report):
    bg = report.bgnbd
    # Hardie's spreadsheet: E[Y(39) | 2, 30.43, 38.86] = 1.226; E[X(t)] at t = 1, 78.
    assert bg.conditional_expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=1e-3)
    assert bg.expected_purchases(1.0) == pytest.approx(0.0532, abs=1e-3)
    assert bg.expected_purchases(78.0) == pytest.approx(1.8576, abs=1e-3)
    # R BTYD with the published parameters: P(X(39) = 0) = 0.5737864, P(X(2) = 10) = 1.07869e-07.
    assert PUBLISHED.p_purchases(39, 0) == pytest.approx(0.5737864, abs=1e-7)
    assert PUBLISHED.p_purchases(2, 10) == pytest.approx(1.07869e-07, rel=1e-5)
    # P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); all parameters 1, x = 1, t_x = 1,
    # T = 2: 1 / (1 + (3/2)^2) = 1 / 3.25.
    assert models.BgNbd(1, 1, 1, 1).p_alive(1, 1, 2) == pytest.approx(1 / 3.25, abs=1e-15)
    assert bg.p_alive([0, 2], [0, 30.43], [38.86, 38.86])[0] == 1.0


def test_bgnbd_loglik_by_hand():
    # r = alpha = a = b = 1: x = 0, T = 1: L = 1/2; x = 1, t_x = 1, T = 2: L = 1/18 + 1/8.
    ones = models.BgNbd(1, 1, 1, 1)
    assert ones.log_likelihood([0, 1], [0, 1], [1, 2]) == pytest.approx(math.log(0.5) + math.log(1 / 18 + 1 / 8))


def test_gamma_gamma_reproduces_fader_hardie(report, cdnow):
    gg = report.gamma_gamma
    assert gg.p == pytest.approx(6.25, abs=5e-3)
    assert gg.q == pytest.approx(3.74, abs=5e-3)
    assert gg.gamma == pytest.approx(15.44, abs=1e-2)
    assert gg.customers == 946
    # Hardie's spreadsheet (note 025) with the published values: 24.65 for customer 1, 35.17 for x = 0.
    published = models.GammaGamma(6.25, 3.74, 15.44)
    assert published.expected_value(2, 22.35) == pytest.approx(24.65, abs=0.1)
    assert published.expected_value(0, 0) == pytest.approx(35.17, abs=0.1)


def test_gamma_gamma_expected_value_by_hand():
    # p = 2, q = 3, gamma = 10: x = 4, zbar = 5 -> 2 (10 + 20) / (8 + 3 - 1) = 6; x = 0 -> 20 / 2 = 10.
    gg = models.GammaGamma(2, 3, 10)
    assert gg.expected_value([4, 0], [5, 0]) == [pytest.approx(6.0), pytest.approx(10.0)]
    # q = 1, x = 0: no finite mean -> None, not 0.
    assert models.GammaGamma(2, 1, 10).expected_value(0, 0) is None


def test_clv_uses_4345_weeks_a_month(report):
    bg, gg = report.bgnbd, report.gamma_gamma
    assert models.units_per_month("week") == 4.345
    assert models.units_per_month("day") == pytest.approx(30.415)
    # No discount: the monthly sum telescopes to E[M] * E[Y(12 * 4.345)].
    em = gg.expected_value(2, 22.35)
    y = bg.conditional_expected_purchases(12 * 4.345, 2, 30.43, 38.86)
    assert models.clv(bg, gg, 2, 30.43, 38.86, 22.35, monthly_discount=0) == pytest.approx(em * y, rel=1e-12)
    # One month at 1 %: E[M] E[Y(4.345)] / 1.01.
    y1 = bg.conditional_expected_purchases(4.345, 2, 30.43, 38.86)
    assert models.clv(bg, gg, 2, 30.43, 38.86, 22.35, horizon_months=1) == pytest.approx(em * y1 / 1.01, rel=1e-12)
    # 30 units a month (the lifetimes bug) would give a much larger number.
    wrong = models.clv(bg, gg, 2, 30.43, 38.86, 22.35, units_per_month=30)
    assert wrong > 3 * models.clv(bg, gg, 2, 30.43, 38.86, 22.35)


def test_analyze_rows(report):
    first = report.customers[0]
    assert first.id == "1"
    assert first.clv == pytest.approx(models.clv(report.bgnbd, report.gamma_gamma, 2, 30.43, 38.86, 22.35))
    assert report.customers[2].p_alive == 1.0  # no repeat purchase


def test_summaries_from_the_cdnow_sample_match_the_published_summary(cdnow):
    ours = models.read_transactions(
        os.path.join(CDNOW, "CDNOW_sample.txt"), unit="week", calibration_end=dt.date(1997, 9, 30)
    )
    assert len(ours) == 2357
    for mine, theirs in zip(list(ours)[:200], list(cdnow)[:200]):
        assert mine.x == theirs.x
        assert mine.t_x == pytest.approx(theirs.t_x, abs=0.005 + 1e-9)
        assert mine.T == pytest.approx(theirs.T, abs=0.005 + 1e-9)
        assert mine.zbar == pytest.approx(theirs.zbar, abs=0.005 + 1e-9)


def test_summarize_arrays_merges_same_day_purchases():
    # Days 0 (10 + 5), 7 (24), 14 (6); calibration ends on day 21, in weeks: x = 2, t_x = 2, T = 3,
    # zbar = (24 + 6) / 2 = 15.
    day = 86_400_000
    s = models.summarize(
        ["a", "a", "a", "a"], [0, 3_600_000, 7 * day, 14 * day], [10, 5, 24, 6], calibration_end=21 * day
    )
    assert list(s) == [models.Customer("a", 2.0, 2.0, 3.0, 15.0)]
    d = models.summarize(["a", "a"], [dt.datetime(2026, 11, 23, 20, tzinfo=dt.timezone.utc), 1795485600000], [1, 2],
                         unit="day", time_zone="Asia/Jakarta")
    assert d[0].x == 0  # 03:00 and 09:00 on 2026-11-24 in Jakarta: one day


def test_sbg_reproduces_fader_hardie_2007():
    regular = models.fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])
    assert (round(regular.alpha, 3), round(regular.beta, 3)) == (0.704, 1.182)
    high = models.fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])
    assert (round(high.alpha, 3), round(high.beta, 3)) == (0.668, 3.806)
    assert regular.retention(1) < regular.retention(7)


def test_sbg_by_hand():
    # alpha = beta = 1: S(t) = 1/(t+1), P(T = 2) = 1/6, r_2 = 2/3;
    # LL{10, 6, 3} = 4 ln(1/2) + 3 ln(1/6) + 3 ln(1/3).
    u = models.Sbg(1, 1)
    assert u.project(3) == [pytest.approx(1.0), pytest.approx(0.5), pytest.approx(1 / 3), pytest.approx(0.25)]
    assert u.churn_probability(2) == pytest.approx(1 / 6)
    assert u.retention(2) == pytest.approx(2 / 3)
    assert u.log_likelihood([10, 6, 3]) == pytest.approx(4 * math.log(0.5) + 3 * math.log(1 / 6) + 3 * math.log(1 / 3))


def test_errors():
    with pytest.raises(kpi.InvalidArgumentError):
        models.fit_bgnbd([], [], [])
    with pytest.raises(kpi.InvalidArgumentError):
        models.fit_bgnbd([1], [5], [4])  # t_x > T
    with pytest.raises(kpi.InvalidArgumentError):
        models.BgNbd(0, 1, 1, 1).expected_purchases(1)
    with pytest.raises(kpi.InvalidArgumentError):
        models.units_per_month("fortnight")
    with pytest.raises(kpi.InvalidArgumentError):
        models.fit_sbg([100, 80, 90])
    with pytest.raises(kpi.ConvergenceError):
        models.fit_sbg([1000, 631, 468, 382], max_iterations=1)
    with pytest.raises(OSError):
        models.read_summary(os.path.join(CDNOW, "no-such-file.csv"))
    with pytest.raises(kpi.NotFoundError):
        models.summarize(["a"], [0], [1], time_zone="Mars/Olympus_Mons")
    with pytest.raises(kpi.InvalidArgumentError):
        models.summarize(["a", "b"], [0], [1])
    s = models.CustomerSet()
    with pytest.raises(kpi.InvalidArgumentError):
        s.add("late", 1, 5, 4)
    with pytest.raises(IndexError):
        s[0]
