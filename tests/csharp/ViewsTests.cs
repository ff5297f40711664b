// The views API of the C# binding: targets, target tables, leaderboards, coaching flags, anomaly alerts
// as events, trend. Expected values are worked out by hand (the same cases as the C++ tests).
using System;
using System.Collections.Generic;
using System.IO;

namespace Kpi.Tests
{
    public static class ViewsTests
    {
        // 2026-01-05 is a Monday (2026-01-01 is a Thursday).
        private static readonly DateTimeOffset Monday = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        private static readonly double[] Base = { 120, 110, 100, 100, 90, 40, 5 };

        // Weekly pattern +1 in even weeks, -1 in odd ones: each weekday's four values in a 28-day window are
        // b+1, b+1, b-1, b-1: leave-one-out residuals +-2 (m = 0, MAD = 2), median b.
        private static void Weekly(int days, out List<DateTimeOffset> times, out List<double?> values)
        {
            times = new List<DateTimeOffset>();
            values = new List<double?>();
            for (int i = 0; i < days; i++)
            {
                times.Add(Monday.AddDays(i));
                values.Add(Base[i % 7] + ((i / 7) % 2 == 0 ? 1.0 : -1.0));
            }
        }

        [Test]
        public static void TargetExactlyMetIsMet()
        {
            var ev = Views.EvaluateTarget(TargetOp.AtLeast, 80, 80, 1.0, additive: true);
            Assert.Equal((TargetStatus?)TargetStatus.Met, ev.Status, "status");
            Assert.Near(1.0, ev.Attainment, 0.0, "attainment 80/80");
            Assert.Equal((TargetStatus?)TargetStatus.Met, Views.EvaluateTarget(TargetOp.AtMost, 0.05, 0.05).Status, "<= met");
        }

        [Test]
        public static void TargetMonthToDate()
        {
            // >= 30e6, half the month gone, 12e6 so far: prorated 15e6, run rate 24e6, at risk, attainment 0.4.
            var ev = Views.EvaluateTarget(TargetOp.AtLeast, 30000000, 12000000, 0.5, additive: true);
            Assert.Equal((TargetStatus?)TargetStatus.AtRisk, ev.Status, "status");
            Assert.Near(15000000, ev.ProratedTarget, 0.0, "prorated");
            Assert.Near(24000000, ev.Projection, 0.0, "projection");
            Assert.Near(0.4, ev.Attainment, 1e-15, "attainment");
            // Talk time 240-360 at 400: missed, 360/400 = 0.9; undefined actual: no status.
            var talk = new TargetSpec { Op = TargetOp.Between, Value = 240, Value2 = 360 };
            var t = talk.Evaluate(400);
            Assert.Equal((TargetStatus?)TargetStatus.Missed, t.Status, "talk status");
            Assert.Near(0.9, t.Attainment, 1e-15, "talk attainment");
            Assert.True(talk.Evaluate(null).Status == null, "no data");
            Assert.Throws<KpiArgumentException>(() => talk.Evaluate(300, 1.5), "progress 1.5");
        }

        [Test]
        public static void PeriodProgressAndAdditive()
        {
            var asOf = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
            Assert.Near(0.5, Views.PeriodProgress("2026-11", asOf), 0.0, "15 of 30 days");
            Assert.Near(367.0 / 720.0, Views.PeriodProgress("2026-11", asOf, "Asia/Jakarta"), 1e-15, "Jakarta");
            var e = Assert.Throws<KpiException>(() => Views.PeriodProgress("2026-13", asOf), "bad label");
            Assert.Equal(Status.Parse, e.Status, "parse status");
            Assert.True(Views.IsAdditive("orders"), "orders additive");
            Assert.True(!Views.IsAdditive("abandon_rate"), "abandon_rate not additive");
        }

        [Test]
        public static void TargetTableFromCsvAndApi()
        {
            string path = Path.Combine(Path.GetTempPath(), "kpi_views_targets_" + Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllText(path, "kpi,agent_id,team_id,campaign_id,period,op,value,value2\n" +
                                    "avg_talk_time_s,,north,,2026-11,between,240,360\n" +
                                    "orders,,,,2026-11,>=,100,\n");
            try
            {
                using (var table = new TargetTable())
                {
                    table.ReadCsv(path);
                    Assert.Equal(2, table.Count, "count");
                    var talk = table.Find("avg_talk_time_s", "2026-11", teamId: "north");
                    Assert.True(talk != null && talk.Op == TargetOp.Between && talk.Value2 == 360 && !talk.Additive, "talk spec");
                    Assert.True(table.Find("orders", "2026-11").Additive, "orders additive");
                    Assert.True(table.Find("orders", "2026-12") == null, "no December target");
                    table.Set(new Target { Kpi = "connection_rate", Period = "2026-W48", Op = TargetOp.AtLeast, Value = 0.6, AgentId = "a7" });
                    table.Set(new Target { Kpi = "orders", Period = "2026-11", Op = TargetOp.AtLeast, Value = 120 });
                    var all = table.Targets;
                    Assert.Equal(3, all.Count, "count after set");
                    Assert.Near(120, all[1].Value, 0.0, "replaced in place");
                    Assert.Equal("a7", all[2].AgentId, "agent");
                    Assert.Equal("2026-W48", all[2].Period, "period label");
                    Assert.Equal((TargetStatus?)TargetStatus.Met, talk.Evaluate(300).Status, "300 s meets 240-360");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Test]
        public static void LeaderboardDenseRanksAndMinimumVolume()
        {
            var rows = Views.Rank(new[]
            {
                new LeaderboardEntry { Name = "dina", Value = 90, Volume = 30 },
                new LeaderboardEntry { Name = "agus", Value = 100, Volume = 40 },
                new LeaderboardEntry { Name = "budi", Value = 80, Volume = 25 },
                new LeaderboardEntry { Name = "citra", Value = 90, Volume = 50 },
                new LeaderboardEntry { Name = "eka", Value = 500, Volume = 5 },
                new LeaderboardEntry { Name = "ira", Value = null, Volume = 60 },
            }, Better.Higher, 20);
            string got = string.Join(" ", rows.ConvertAll(r => r.Name + ":" + (r.Rank?.ToString() ?? "-")));
            Assert.Equal("agus:1 citra:2 dina:2 budi:3 eka:- ira:-", got, "listing");
            Assert.Equal(Standing.BelowMinVolume, rows[4].Standing, "eka standing");
            Assert.Equal(Standing.UndefinedValue, rows[5].Standing, "ira standing");
            Assert.Throws<KpiArgumentException>(() => Views.Rank(new[] { new LeaderboardEntry { Name = "x", Value = 1, Volume = -1 } }), "negative volume");
        }

        private static List<T> ConvertAll<T>(this IList<LeaderboardRow> rows, Func<LeaderboardRow, T> f)
        {
            var list = new List<T>();
            foreach (var r in rows) list.Add(f(r));
            return list;
        }

        [Test]
        public static void QuantileAndCoachingFlags()
        {
            Assert.Near(1.75, Views.Quantile(new double[] { 4, 1, 3, 2 }, 0.25), 1e-15, "type 7 p25");
            Assert.True(Views.Quantile(new double[0], 0.5) == null, "empty sample");
            // Team A {50,40,30,20,10} then {50,40,30,5,10}: p25 20 then 10; team B {100,200,300}: p25 150.
            var agents = new List<CoachingAgent>
            {
                new CoachingAgent { Agent = "a", Team = "A", Values = new double?[] { 50, 50, 50, 50 } },
                new CoachingAgent { Agent = "b", Team = "A", Values = new double?[] { 40, 40, 40, 40 } },
                new CoachingAgent { Agent = "c", Team = "A", Values = new double?[] { 30, 30, 30, 30 } },
                new CoachingAgent { Agent = "d", Team = "A", Values = new double?[] { 20, 20, 5, 5 } },
                new CoachingAgent { Agent = "e", Team = "A", Values = new double?[] { 10, 10, 10, 10 } },
                new CoachingAgent { Agent = "m", Team = "B", Values = new double?[] { 100, 100, 100, 100 } },
                new CoachingAgent { Agent = "n", Team = "B", Values = new double?[] { 200, 200, 200, 200 } },
                new CoachingAgent { Agent = "o", Team = "B", Values = new double?[] { 300, 300, 300, 300 } },
            };
            var flags = Views.CoachingFlags(agents, k: 2);
            Assert.Equal(2, flags.Count, "flags with k = 2");
            Assert.Equal("d", flags[0].Agent, "d");
            Assert.Equal(2, flags[0].Streak, "d streak");
            Assert.Equal(2, flags[0].Since, "d since");
            Assert.Equal("m", flags[1].Agent, "m");
            Assert.Equal(4, flags[1].Streak, "m streak");
            Assert.Equal(1, Views.CoachingFlags(agents, k: 3).Count, "k = 3: only m");
            Assert.Throws<KpiArgumentException>(() => Views.CoachingFlags(agents, k: 0), "k = 0");
        }

        [Test]
        public static void WeeklyPatternAndFlatSeriesRaiseNothing()
        {
            Weekly(70, out var times, out var values);
            Assert.Equal(0, Views.DetectAnomalies(times, values).Count, "weekly pattern");
            var flat = new List<double?>();
            foreach (var _ in times) flat.Add(100.0);
            Assert.Equal(0, Views.DetectAnomalies(times, flat).Count, "flat");
        }

        [Test]
        public static void InjectedSpikeRaisesOneEvent()
        {
            Weekly(70, out var times, out var values);
            values[49] = 139.0;  // a Monday of an odd week (119): residual 19, z = 0.6745 x 19 / 2
            var seen = new List<AnomalyAlert>();
            using (var d = new AnomalyDetector())
            {
                d.Alert += (sender, e) => seen.Add(e.Alert);
                int returned = 0;
                for (int i = 0; i < times.Count; i++)
                    if (d.Push(times[i], values[i]) != null) returned++;
                Assert.Equal(1, returned, "returned alerts");
            }
            Assert.Equal(1, seen.Count, "events");
            Assert.Equal(Monday.AddDays(49), seen[0].Time, "time");
            Assert.Near(0.6745 * 19 / 2, seen[0].Score, 1e-12, "score");
            Assert.Near(120, seen[0].Expected, 0.0, "expected");
            Assert.Equal(1, seen[0].Direction, "spike");
            Assert.Equal(28L, seen[0].History, "history");
        }

        [Test]
        public static void InjectedDropAndHandlerErrors()
        {
            Weekly(70, out var times, out var values);
            values[52] = 60.0;  // a Thursday (99): residual -40, z = 0.6745 x -40 / 2 = -13.49
            var alerts = Views.DetectAnomalies(times, values);
            Assert.Equal(1, alerts.Count, "one alert");
            Assert.Equal(-1, alerts[0].Direction, "drop");
            Assert.Near(-13.49, alerts[0].Score, 1e-12, "score");
            using (var d = new AnomalyDetector())
            {
                d.Alert += (s, e) => throw new ApplicationException("handler failed");
                var ex = Assert.Throws<InvalidOperationException>(() => d.PushMany(times, values), "handler exception");
                Assert.True(ex.InnerException is ApplicationException, "inner exception kept");
                Assert.Throws<KpiArgumentException>(() => d.Push(Monday, 1.0), "out of order");
            }
            Assert.Throws<KpiArgumentException>(() => new AnomalyDetector(new AnomalyOptions { WindowDays = 0 }), "window 0");
        }

        [Test]
        public static void Trend()
        {
            var fit = Views.FitTrend(new double?[] { 10, 12, 14, 16 }, 4);
            Assert.Near(2.0, fit.Slope, 1e-12, "slope");
            Assert.Near(10.0, fit.Intercept, 1e-12, "intercept");
            Assert.Near(22.0, fit.At(6), 1e-12, "at 6");
            Assert.True(Views.FitTrend(new double?[] { null, 5, null }, 3).Slope == null, "one point");
            // 10 of 30 days with 10..19: actual 145, run rate 435, trend 735.
            var days = new double?[10];
            for (int i = 0; i < 10; i++) days[i] = 10 + i;
            var p = Views.ProjectToPeriodEnd(days, 30, 10);
            Assert.Near(145, p.Actual, 0.0, "actual");
            Assert.Near(435, p.RunRate, 1e-9, "run rate");
            Assert.Near(735, p.Trend, 1e-9, "trend");
            Assert.Throws<KpiArgumentException>(() => Views.FitTrend(days, 1), "n = 1");
        }
    }
}
