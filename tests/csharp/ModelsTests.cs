// The customer value models of the C# binding: the CDNOW oracles (FHL 2005, Fader & Hardie, Hardie's
// spreadsheets, R BTYD), Fader & Hardie 2007's sBG estimates, hand-computed values and errors.
using System;
using System.IO;
using System.Linq;

namespace Kpi.Tests
{
    public static class ModelsTests
    {
        private static string Cdnow(string file) =>
            Path.Combine(Environment.GetEnvironmentVariable("KPI_SHARED_DATA_DIR") ?? "../shared/data", "cdnow", file);

        private static CustomerSet Summary() => CustomerSet.ReadSummaryCsv(Cdnow("cdnow_customers_summary_with_transactions.csv"));

        [Test]
        public static void BgNbdReproducesFhl2005()
        {
            using (var customers = Summary())
            {
                Assert.Equal(2357, customers.Count, "customers");
                var first = customers[0];
                Assert.Equal("1", first.Id, "id");
                Assert.Near(30.43, first.Tx, 0, "t_x");
                // FHL 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
                var bg = BgNbd.Fit(customers);
                Assert.Near(0.243, bg.R, 5e-4, "r");
                Assert.Near(4.414, bg.Alpha, 5e-4, "alpha");
                Assert.Near(0.793, bg.A, 5e-4, "a");
                Assert.Near(2.426, bg.B, 5e-4, "b");
                Assert.Near(-9582.4, bg.LogLikelihood, 0.05, "log-likelihood");
                // Hardie's spreadsheet: E[Y(39) | 2, 30.43, 38.86] = 1.226, E[X(78)] = 1.8576.
                Assert.Near(1.226, bg.ConditionalExpectedPurchases(39, 2, 30.43, 38.86), 1e-3, "E[Y(39)]");
                Assert.Near(1.8576, bg.ExpectedPurchases(78), 1e-3, "E[X(78)]");
                Assert.Near(1.0, bg.PAlive(0, 0, 38.86), 0, "P(alive) without repeat purchases");
            }
        }

        [Test]
        public static void BgNbdMatchesBtydAndHandValues()
        {
            // R BTYD with the published parameters: P(X(39) = 0) = 0.5737864, P(X(30) = 11) = 0.0019995214.
            var published = new BgNbd(0.243, 4.414, 0.793, 2.426);
            Assert.Near(0.5737864, published.PPurchases(39, 0), 1e-7, "P(X(39)=0)");
            Assert.Near(0.0019995214, published.PPurchases(30, 11), 1e-10, "P(X(30)=11)");
            // All parameters 1, x = 1, t_x = 1, T = 2: P(alive) = 1 / (1 + (3/2)^2) = 1 / 3.25.
            Assert.Near(1 / 3.25, new BgNbd(1, 1, 1, 1).PAlive(1, 1, 2), 1e-15, "P(alive) by hand");
            // LL: x = 0, T = 1 -> ln(1/2); x = 1, t_x = 1, T = 2 -> ln(1/18 + 1/8).
            Assert.Near(Math.Log(0.5) + Math.Log(1.0 / 18 + 1.0 / 8),
                        new BgNbd(1, 1, 1, 1).LogLikelihoodOf(new[] { 0.0, 1 }, new[] { 0.0, 1 }, new[] { 1.0, 2 }),
                        1e-13, "log-likelihood by hand");
        }

        [Test]
        public static void GammaGammaReproducesFaderHardie()
        {
            using (var customers = Summary())
            {
                // Fader & Hardie: p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers.
                var gg = GammaGamma.Fit(customers);
                Assert.Near(6.25, gg.P, 5e-3, "p");
                Assert.Near(3.74, gg.Q, 5e-3, "q");
                Assert.Near(15.44, gg.Gamma, 1e-2, "gamma");
                Assert.Equal(946L, gg.Customers, "repeat buyers");
            }
            // p = 2, q = 3, gamma = 10: x = 4, zbar = 5 -> 2 (10 + 20) / (8 + 3 - 1) = 6; x = 0 -> 20 / 2 = 10.
            var hand = new GammaGamma(2, 3, 10);
            Assert.Near(6.0, hand.ExpectedValue(4, 5), 1e-14, "E[M] by hand");
            Assert.Near(10.0, hand.ExpectedValue(0, 0), 1e-14, "population mean");
            Assert.True(new GammaGamma(2, 1, 10).ExpectedValue(0, 0) == null, "q = 1, x = 0: undefined, not 0");
        }

        [Test]
        public static void ClvUsesFourPointThreeFourFiveWeeksAMonth()
        {
            Assert.Equal(4.345, Clv.UnitsPerMonth(TimeUnit.Week), "weeks a month");
            Assert.Near(30.415, Clv.UnitsPerMonth(TimeUnit.Day), 1e-12, "days a month");
            var bg = new BgNbd(0.243, 4.414, 0.793, 2.426);
            var gg = new GammaGamma(6.25, 3.74, 15.44);
            // No discount: the sum telescopes to E[M] E[Y(12 x 4.345)].
            double em = gg.ExpectedValue(2, 22.35).Value;
            double y = bg.ConditionalExpectedPurchases(12 * 4.345, 2, 30.43, 38.86);
            var undiscounted = new ClvOptions { MonthlyDiscount = 0 };
            Assert.Near(em * y, Clv.Compute(bg, gg, 2, 30.43, 38.86, 22.35, undiscounted), 1e-9, "telescoped CLV");
            // One month at 1 %: E[M] E[Y(4.345)] / 1.01.
            double y1 = bg.ConditionalExpectedPurchases(4.345, 2, 30.43, 38.86);
            Assert.Near(em * y1 / 1.01, Clv.Compute(bg, gg, 2, 30.43, 38.86, 22.35, new ClvOptions { HorizonMonths = 1 }),
                        1e-12, "one month");
        }

        [Test]
        public static void SummariesFromTransactions()
        {
            // Days 0 (10 + 5), 7 (24), 14 (6); calibration ends on day 21, in weeks: x = 2, t_x = 2, T = 3,
            // zbar = (24 + 6) / 2 = 15.
            const long day = 86400000;
            var options = new SummaryOptions { CalibrationEnd = DateTimeOffset.FromUnixTimeMilliseconds(21 * day) };
            using (var s = CustomerSet.FromTransactions(new[] { "a", "a", "a", "a" },
                                                        new[] { 0, 3600000, 7 * day, 14 * day },
                                                        new[] { 10.0, 5, 24, 6 }, options))
            {
                Assert.Equal(1, s.Count, "customers");
                var a = s[0];
                Assert.True(a.Id == "a" && a.X == 2 && a.Tx == 2 && a.T == 3 && a.Zbar == 15, "summary of a");
            }
            // The CDNOW master file as given, 39-week calibration ending 1997-09-30: 23,570 customers.
            var calibration = new SummaryOptions { CalibrationEnd = new DateTimeOffset(1997, 9, 30, 0, 0, 0, TimeSpan.Zero) };
            using (var master = CustomerSet.ReadTransactions(Cdnow("CDNOW_master.txt"), calibration))
                Assert.Equal(23570, master.Count, "master customers");
        }

        [Test]
        public static void SbgReproducesFaderHardie2007()
        {
            var regular = Sbg.Fit(new double[] { 1000, 631, 468, 382, 326, 289, 262, 241 });
            Assert.Near(0.704, regular.Alpha, 5e-4, "regular alpha");
            Assert.Near(1.182, regular.Beta, 5e-4, "regular beta");
            var high = Sbg.Fit(new double[] { 1000, 869, 743, 653, 593, 551, 517, 491 });
            Assert.Near(0.668, high.Alpha, 5e-4, "high-end alpha");
            Assert.Near(3.806, high.Beta, 5e-4, "high-end beta");
            // alpha = beta = 1: S(t) = 1/(t+1), P(T = 2) = 1/6, r_2 = 2/3.
            var u = new Sbg(1, 1);
            var curve = u.Project(3);
            Assert.True(curve.Length == 4, "four values");
            Assert.Near(0.25, curve[3], 1e-15, "S(3)");
            Assert.Near(1.0 / 6, u.ChurnProbability(2), 1e-15, "P(T=2)");
            Assert.Near(2.0 / 3, u.Retention(2), 1e-15, "r_2");
            Assert.Near(1.0 / 3, u.Survival(2), 1e-15, "S(2)");
        }

        [Test]
        public static void Errors()
        {
            Assert.Throws<KpiArgumentException>(() => BgNbd.Fit(new double[0], new double[0], new double[0]), "no customers");
            Assert.Throws<KpiArgumentException>(() => BgNbd.Fit(new[] { 1.0 }, new[] { 5.0 }, new[] { 4.0 }), "t_x > T");
            Assert.Throws<KpiArgumentException>(() => new BgNbd(0, 1, 1, 1).ExpectedPurchases(1), "r = 0");
            Assert.Throws<KpiArgumentException>(() => BgNbd.Fit(new[] { 1.0 }, new[] { 1.0, 2 }, new[] { 4.0 }), "lengths");
            Assert.Throws<KpiArgumentException>(() => Sbg.Fit(new double[] { 100, 80, 90 }), "rising counts");
            var e = Assert.Throws<KpiException>(
                () => Sbg.Fit(new double[] { 1000, 631, 468, 382 }, new FitOptions { MaxIterations = 1 }), "one iteration");
            Assert.Equal(Status.NoConvergence, e.Status, "status");
            var io = Assert.Throws<KpiException>(() => CustomerSet.ReadSummaryCsv(Cdnow("no-such-file.csv")), "missing file");
            Assert.Equal(Status.Io, io.Status, "io status");
            var tz = Assert.Throws<KpiException>(
                () => CustomerSet.FromTransactions(new[] { "a" }, new[] { 0L }, new[] { 1.0 },
                                                   new SummaryOptions { TimeZone = "Mars/Olympus_Mons" }), "zone");
            Assert.Equal(Status.NotFound, tz.Status, "unknown zone");
            using (var s = new CustomerSet())
            {
                Assert.Throws<KpiArgumentException>(() => s.Add(new Customer("late", 1, 5, 4, 0)), "t_x > T");
                s.Add(new Customer("ok", 1, 2, 4, 10));
                Assert.True(s.Count == 1 && s.Single().Id == "ok", "one customer");
            }
        }
    }
}
