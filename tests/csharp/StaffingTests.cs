// The staffing API of the C# binding: oracles E1, E2, E6 of oracles.md, Erlang A, errors.
using System;

namespace Kpi.Tests
{
    public static class StaffingTests
    {
        // E1: 100 calls per 30 min, AHT 180 s, 80 % in 20 s, max occupancy 0.85, shrinkage 0.30 (A = 10).
        private static StaffingQuery E1() => new StaffingQuery
        {
            Calls = 100, IntervalS = 1800, AhtS = 180, AnswerWithinS = 20,
            TargetServiceLevel = 0.8, MaxOccupancy = 0.85, Shrinkage = 0.3,
        };

        [Test]
        public static void ErlangBOracleE6()
        {
            // B(1,1) = 0.5, B(2,1) = 0.5/2.5 = 0.2, B(5,3) = 0.110054, B(10,5) = 0.018385.
            Assert.Near(0.5, Staffing.ErlangB(1, 1.0), 1e-15, "B(1,1)");
            Assert.Near(0.2, Staffing.ErlangB(2, 1.0), 1e-15, "B(2,1)");
            Assert.Near(0.110054, Staffing.ErlangB(5, 3.0), 5e-7, "B(5,3)");
            Assert.Near(0.018385, Staffing.ErlangB(10, 5.0), 5e-7, "B(10,5)");
        }

        [Test]
        public static void SolveOracleE1()
        {
            var r = Staffing.Solve(E1());
            Assert.Equal(14, r.Agents, "agents");
            Assert.Equal(20, r.Scheduled, "scheduled (14 / 0.7)");
            Assert.True(r.MeetsTarget, "meets target");
            Assert.Near(0.1741319335950498, r.PWait, 1e-15, "P(wait)");
            Assert.Near(0.8883500191794669, r.ServiceLevel, 1e-15, "service level");
            Assert.Near(0.7142857142857143, r.Occupancy, 1e-15, "occupancy");
            Assert.Near(7.836, r.AsaS, 5e-4, "ASA");
            Assert.True(r.PAbandon == null, "no abandonment under Erlang C");
            Assert.Near(0.1741319335950498, Staffing.ErlangC(14, 10.0), 1e-15, "ErlangC(14, 10)");
        }

        [Test]
        public static void SolveOracleE2OccupancyCap()
        {
            var q = E1();
            q.MaxOccupancy = 0.70;
            var r = Staffing.Solve(q);
            Assert.Equal(15, r.Agents, "agents");
            Assert.Equal(22, r.Scheduled, "scheduled (ceil(15 / 0.7) = ceil(21.43))");
            Assert.Near(0.941, r.ServiceLevel, 5e-4, "service level");
            Assert.Near(0.667, r.Occupancy, 5e-4, "occupancy");
            Assert.Near(0.102, r.PWait, 5e-4, "P(wait)");
        }

        [Test]
        public static void EvaluateErlangA()
        {
            // E1 load on 14 agents with mean patience 300 s (independent mpmath values, docs/staffing.md).
            var q = E1();
            q.PatienceS = 300;
            var r = Staffing.Evaluate(q, 14);
            Assert.Near(0.013983744122408938, r.PAbandon, 1e-15, "P(abandon)");
            Assert.Near(0.1452601142963612, r.PWait, 1e-15, "P(wait)");
            Assert.Near(0.91679209186354687, r.ServiceLevel, 1e-14, "service level");
            Assert.Near(4.1951232367226813, r.MeanWaitS, 1e-12, "mean wait of all arrivals");
            Assert.Near(3.8784800445210219, r.AsaS, 1e-12, "ASA of answered calls");
            // Solved: SL(12) = 0.7723 < 0.8 <= SL(13) = 0.8582; scheduled ceil(13 / 0.7) = 19.
            var s = Staffing.Solve(q);
            Assert.Equal(13, s.Agents, "agents");
            Assert.Equal(19, s.Scheduled, "scheduled");
        }

        [Test]
        public static void ErrorsAreClear()
        {
            var e = Assert.Throws<KpiArgumentException>(() => Staffing.ErlangC(10, 10.0), "agents <= traffic");
            Assert.True(e.Message.Contains("agents 10 <= traffic 10"), "message names the values: " + e.Message);
            var q = E1();
            q.TargetServiceLevel = 1.5;
            e = Assert.Throws<KpiArgumentException>(() => Staffing.Solve(q), "target 1.5");
            Assert.True(e.Message.Contains("target"), "message names the target: " + e.Message);
            q = E1();
            q.AhtS = 0;
            Assert.Throws<KpiArgumentException>(() => Staffing.Solve(q), "AHT 0");
            q = E1();
            q.PatienceS = -1;
            Assert.Throws<KpiArgumentException>(() => Staffing.Solve(q), "negative patience");
            Assert.Throws<ArgumentNullException>(() => Staffing.Solve(null), "null query");
            var k = Assert.Throws<KpiException>(
                () => Staffing.Evaluate(new StaffingQuery { Calls = 200, AhtS = 180, PatienceS = 1e12 }, 10),
                "overloaded queue with endless patience");
            Assert.Equal(Status.NoConvergence, k.Status, "status");
        }
    }
}
