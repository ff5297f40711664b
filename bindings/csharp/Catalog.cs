// The KPI catalog: every KPI's id, name, unit, record families, description, formula and variants,
// read from libkpi's registry through the C ABI (kpi/c/catalog.h).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Kpi
{
    internal static partial class Native
    {
        internal const uint KpiInfoVersion = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct KpiInfoRaw
        {
            public uint version;
            public int id;
            public int unit;
            public uint families;
            public IntPtr name;
            public IntPtr description;
            public IntPtr formula;
            public IntPtr variants;
            public int windowed;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_catalog_count(out UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_catalog_get(ref KpiInfoRaw info, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_catalog_info(ref KpiInfoRaw info, int id);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_catalog_find(ref KpiInfoRaw info, [MarshalAs(UnmanagedType.LPStr)] string name);
    }

    /// <summary>One KPI of the catalog.</summary>
    public sealed class KpiInfo
    {
        private static readonly string[] Units = { "unknown", "count", "rate", "ratio", "seconds", "days", "money", "score" };
        private static readonly string[] FamilyNames = { "calls", "orders", "leads", "opportunities", "customers", "spend", "targets" };

        /// <summary>Pinned id (the C ABI's KPI_ID_*).</summary>
        public int Id { get; }
        /// <summary>snake_case name, e.g. "connection_rate".</summary>
        public string Name { get; }
        /// <summary>"count", "rate", "ratio", "seconds", "days", "money" or "score".</summary>
        public string Unit { get; }
        /// <summary>Record families the KPI needs, e.g. { "calls" }.</summary>
        public IReadOnlyList<string> Families { get; }
        /// <summary>What it measures.</summary>
        public string Description { get; }
        /// <summary>The exact definition.</summary>
        public string Formula { get; }
        /// <summary>Variant parameters and defaults; "" when none.</summary>
        public string Variants { get; }
        /// <summary>False for per-record KPIs (opportunity_score) and views (target_attainment).</summary>
        public bool Windowed { get; }

        internal KpiInfo(Native.KpiInfoRaw raw)
        {
            Id = raw.id;
            Name = Marshal.PtrToStringAnsi(raw.name);
            Unit = raw.unit > 0 && raw.unit < Units.Length ? Units[raw.unit] : "unknown";
            var families = new List<string>();
            for (int bit = 0; bit < FamilyNames.Length; bit++)
                if ((raw.families & (1u << bit)) != 0) families.Add(FamilyNames[bit]);
            Families = families;
            Description = Marshal.PtrToStringAnsi(raw.description);
            Formula = Marshal.PtrToStringAnsi(raw.formula);
            Variants = Marshal.PtrToStringAnsi(raw.variants);
            Windowed = raw.windowed != 0;
        }
    }

    /// <summary>The KPI catalog of the loaded libkpi.</summary>
    public static class Catalog
    {
        /// <summary>Every KPI, in id order.</summary>
        public static IReadOnlyList<KpiInfo> All()
        {
            Native.Check(Native.kpi_catalog_count(out UIntPtr count));
            var result = new List<KpiInfo>();
            for (ulong i = 0; i < count.ToUInt64(); i++)
            {
                var raw = new Native.KpiInfoRaw { version = Native.KpiInfoVersion };
                Native.Check(Native.kpi_catalog_get(ref raw, new UIntPtr(i)));
                result.Add(new KpiInfo(raw));
            }
            return result;
        }

        /// <summary>The entry of a KPI name; throws KpiException (Status.UnknownKpi) for an unknown one.</summary>
        public static KpiInfo Find(string name)
        {
            var raw = new Native.KpiInfoRaw { version = Native.KpiInfoVersion };
            Native.Check(Native.kpi_catalog_find(ref raw, name));
            return new KpiInfo(raw);
        }

        /// <summary>The entry of a KPI id; throws KpiException (Status.UnknownKpi) for an unknown one.</summary>
        public static KpiInfo Get(int id)
        {
            var raw = new Native.KpiInfoRaw { version = Native.KpiInfoVersion };
            Native.Check(Native.kpi_catalog_info(ref raw, id));
            return new KpiInfo(raw);
        }
    }
}
