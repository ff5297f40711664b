// The KPI catalog through the C# binding.
using System.Linq;

namespace Kpi.Tests
{
    public static class CatalogTests
    {
        [Test]
        public static void CatalogIsOrderedAndComplete()
        {
            var all = Catalog.All();
            Assert.True(all.Count >= 60, "at least 60 KPIs");
            var ids = all.Select(k => k.Id).ToList();
            Assert.True(ids.SequenceEqual(ids.OrderBy(i => i)), "ordered by id");
            Assert.True(all.Any(k => k.Name == "service_level"), "service_level listed");
        }

        [Test]
        public static void LookupByNameAndId()
        {
            var rate = Catalog.Find("connection_rate");
            Assert.Equal("rate", rate.Unit, "unit");
            Assert.Equal("calls", rate.Families.Single(), "family");
            Assert.Equal(rate.Name, Catalog.Get(rate.Id).Name, "same entry by id");
            Assert.Equal(false, Catalog.Find("opportunity_score").Windowed, "per-record KPI");
        }

        [Test]
        public static void UnknownKpiThrows()
        {
            var e = Assert.Throws<KpiException>(() => Catalog.Find("no_such_kpi"), "unknown name");
            Assert.Equal(Status.UnknownKpi, e.Status, "status");
            Assert.True(e.Message.Contains("no_such_kpi"), "message names the KPI");
        }
    }
}
