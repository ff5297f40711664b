// The engine from C#: records and spans, queries with null for undefined, merge, save/load, errors.
using System;
using System.Collections.Generic;

namespace Kpi.Tests
{
    public static class EngineTests
    {
        // 2026-11-23 00:00 in Asia/Jakarta (UTC+7) = 2026-11-22T17:00:00Z.
        private const long Nov23 = 1795366800000L;
        private const long Hour = 3600000L;

        // 23 Nov: A1 connected 300 s, A1 no answer, A2 connected 200 s, A2 voicemail; 22 Nov: A1 connected 100 s.
        private static CallRecord[] Calls() => new[]
        {
            CallRecord.Outbound("c1", "A1", Outcome.Connected, Nov23, 300),
            CallRecord.Outbound("c2", "A1", Outcome.NoAnswer, Nov23 + Hour, 0),
            CallRecord.Outbound("c3", "A2", Outcome.Connected, Nov23 + 2 * Hour, 200),
            CallRecord.Outbound("c4", "A2", Outcome.Voicemail, Nov23 + 3 * Hour, 0),
            CallRecord.Outbound("c5", "A1", Outcome.Connected, Nov23 - 1, 100),
        };

        private static Engine NewEngine() =>
            new Engine(new[] { Dimension.AgentId }, Period.Day, "Asia/Jakarta", "IDR");

        [Test]
        public static void HandComputedKpis()
        {
            using (var e = NewEngine())
            {
                Assert.Equal(5, e.AddCalls(Calls()), "accepted");
                Assert.Near(0.5, e.Evaluate("connection_rate", null, "2026-11-23"), 1e-12, "2 of 4 connected");
                var a1 = new Dictionary<Dimension, string> { { Dimension.AgentId, "A1" } };
                Assert.Near(0.5, e.Evaluate("connection_rate", a1, "2026-11-23"), 1e-12, "A1: 1 of 2");
                Assert.Near(250.0, e.Evaluate("avg_talk_time_s", null, "2026-11-23"), 1e-9, "(300 + 200) / 2");
                Assert.Near(0.6, e.Evaluate("connection_rate", null, "2026-11"), 1e-12, "month: 3 of 5");
                Assert.Equal(null, e.Evaluate("abandon_rate"), "no inbound calls: undefined is null");
                Assert.Equal(5UL, e.Counts.Accepted, "counts");
            }
        }

        [Test]
        public static void SpansEqualRecordsAndMergeAndSave()
        {
            long[] start = { Nov23, Nov23 + Hour, Nov23 + 2 * Hour, Nov23 + 3 * Hour, Nov23 - 1 };
            int[] direction = { 0, 0, 0, 0, 0 };
            int[] outcome = { 0, 1, 0, 4, 0 };
            double[] talk = { 300, 0, 200, 0, 100 };
            int[] agents = { 0, 0, 1, 1, 0 };
            string[] dictionary = { "A1", "A2" };
            using (var a = NewEngine())
            using (var b = NewEngine())
            using (var single = NewEngine())
            {
                single.AddCalls(Calls());
                Assert.Equal(3, a.AddCallColumns(start.AsSpan(0, 3), direction.AsSpan(0, 3), outcome.AsSpan(0, 3),
                                                 talk.AsSpan(0, 3), agents.AsSpan(0, 3), dictionary), "first shard");
                Assert.Equal(2, b.AddCallColumns(start.AsSpan(3), direction.AsSpan(3), outcome.AsSpan(3), talk.AsSpan(3),
                                                 agents.AsSpan(3), dictionary), "second shard");
                a.Merge(b);
                Assert.Equal(single.Evaluate("p90_talk_time_s", null, "2026-11"), a.Evaluate("p90_talk_time_s", null, "2026-11"),
                             "merged shards equal the single pass");
                byte[] state = a.Save();
                using (var loaded = Engine.Load(state))
                    Assert.Near(0.6, loaded.Evaluate("connection_rate", null, "2026-11"), 1e-12, "after load");
                var e = Assert.Throws<KpiException>(() => Engine.Load(new byte[] { 1, 2, 3 }), "garbage state");
                Assert.Equal(Status.Corrupt, e.Status, "corrupt status");
                Assert.True(a.ReportJson(new[] { "calls" }, new[] { Dimension.AgentId }, Period.Month).Contains("\"A1\""),
                            "report rows");
            }
        }

        [Test]
        public static void ErrorsUsersMeet()
        {
            var zone = Assert.Throws<KpiArgumentException>(() => new Engine(null, Period.Day, "Mars/Olympus_Mons"), "zone");
            Assert.True(zone.Message.Contains("Mars/Olympus_Mons"), "message names the zone");
            using (var e = NewEngine())
            {
                var unknown = Assert.Throws<KpiException>(() => e.Evaluate("no_such_kpi"), "unknown KPI");
                Assert.Equal(Status.UnknownKpi, unknown.Status, "status");
                e.AddOrders(new[]
                {
                    new OrderRecord { Version = 1, OrderId = "o1", AgentId = "A1", TimeMs = Nov23, AmountMinor = 85000000, Currency = "IDR" },
                    new OrderRecord { Version = 1, OrderId = "o2", AgentId = "A2", TimeMs = Nov23, AmountMinor = 5000, Currency = "USD" },
                });
                var money = Assert.Throws<KpiException>(() => e.Evaluate("sales_revenue"), "two currencies in one roll-up");
                Assert.Equal(Status.CurrencyMismatch, money.Status, "currency status");
                Assert.Throws<KpiArgumentException>(() => e.SetParam(3, 9), "service-level variant out of range");
            }
        }

        // Churn from orders and the control-group baseline, by hand (UTC days, N = 14).
        [Test]
        public static void ChurnFromOrdersAndControlGroup()
        {
            const long oct18 = 1792281600000L, oct24 = 1792800000000L, nov5 = 1793836800000L;
            var orders = new[]
            {
                new OrderRecord { Version = 1, OrderId = "o1", CustomerId = "u1", TimeMs = oct18, AmountMinor = 10000, Currency = "IDR" },
                new OrderRecord { Version = 1, OrderId = "o2", CustomerId = "u2", TimeMs = oct24, AmountMinor = 10000, Currency = "IDR" },
                new OrderRecord { Version = 1, OrderId = "o3", CustomerId = "u2", TimeMs = nov5, AmountMinor = 10000, Currency = "IDR" },
            };
            using (var e = new Engine(null, Period.Day, "UTC", "IDR", trackOrderActivity: true))
            {
                Assert.Equal(3, e.AddOrders(orders), "accepted");
                Assert.Equal(null, e.Evaluate("churn_rate", null, "2026-11"), "contractual: no customer records");
                e.SetParam(Param.ChurnInactivityDays, 14);
                Assert.Near(2.0, e.Evaluate("customers_at_start", null, "2026-11"), 0, "u1 (10-18 = s - N) and u2");
                Assert.Near(1.0, e.Evaluate("churn_rate", null, "2026-11"), 0, "u1 lost 11-01, u2 11-19");
                e.SetParam(Param.ChurnInactivityDays, 0);
                e.SetParam(Param.ControlRevenue, 30);
                e.SetParam(Param.ControlSize, 3);
                e.SetParam(Param.TreatedSize, 10);
                Assert.Near(0.0, e.Evaluate("incremental_sales", null, "2026-11"), 1e-9, "baseline 30 x 10 / 3 = 100");
                e.SetParam(Param.ControlRevenue, double.NaN);
                Assert.Near(-100.0, e.Evaluate("incremental_sales", null, "2026-11"), 1e-9, "previous period: 200");
                Assert.Throws<KpiArgumentException>(() => e.SetParam(Param.ControlSize, 0), "control size 0");
            }
        }
    }
}
