// The streaming KPI engine (kpi/c/engine.h) for C#: a SafeHandle-owned kpi_engine, records in (arrays of
// structs, or columns as spans without copies), KPIs out (null when undefined).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Kpi
{
    internal static partial class Native
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct EngineOptions
        {
            public uint version;
            public IntPtr group_by;
            public UIntPtr group_by_count;
            public int period;
            [MarshalAs(UnmanagedType.LPStr)] public string time_zone;
            [MarshalAs(UnmanagedType.LPStr)] public string default_currency;
            public int deduplicate;
            public int track_callers;
            public int track_first_orders;
            public int track_order_activity;              // version 2
            public double order_activity_resolution_days; // version 2
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct CallColumns
        {
            public uint version;
            public UIntPtr rows;
            public IntPtr start_ms, direction, outcome, talk_s, wait_s, hold_s, acw_s;
            public IntPtr agent_codes, agent_dictionary;
            public UIntPtr agent_dictionary_size;
            public IntPtr team_codes, team_dictionary;
            public UIntPtr team_dictionary_size;
            public IntPtr campaign_codes, campaign_dictionary;
            public UIntPtr campaign_dictionary_size;
            public IntPtr queue_codes, queue_dictionary;
            public UIntPtr queue_dictionary_size;
            public IntPtr caller_codes, caller_dictionary;
            public UIntPtr caller_dictionary_size;
            public IntPtr call_ids;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct IngestCounts
        {
            public uint version;
            public ulong read, accepted, rejected, duplicates, late;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_new(out EngineHandle engine, ref EngineOptions options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void kpi_engine_free(IntPtr engine);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_set_param(EngineHandle engine, int key, double value);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_set_rate(EngineHandle engine, [MarshalAs(UnmanagedType.LPStr)] string from,
                                                       [MarshalAs(UnmanagedType.LPStr)] string rate);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_add_calls(EngineHandle engine, [In] CallRecord[] records, UIntPtr count,
                                                        UIntPtr stride, out UIntPtr accepted);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_add_orders(EngineHandle engine, [In] OrderRecord[] records, UIntPtr count,
                                                         UIntPtr stride, out UIntPtr accepted);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_add_call_columns(EngineHandle engine, ref CallColumns columns,
                                                               out UIntPtr accepted);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_merge(EngineHandle dst, EngineHandle src);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_evaluate(out double value, EngineHandle engine, int kpiId, int[] dims,
                                                       IntPtr[] values, UIntPtr count,
                                                       [MarshalAs(UnmanagedType.LPStr)] string period);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_report_json(byte[] buffer, UIntPtr capacity, out UIntPtr written,
                                                          EngineHandle engine, int[] kpiIds, UIntPtr countKpis,
                                                          int[] groupBy, UIntPtr groupByCount, int period);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_counts(ref IngestCounts counts, EngineHandle engine);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_save(byte[] buffer, UIntPtr capacity, out UIntPtr written, EngineHandle engine);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_engine_load(out EngineHandle engine, byte[] bytes, UIntPtr size);
    }

    /// <summary>Owns a native kpi_engine; freed by the runtime's SafeHandle machinery.</summary>
    public sealed class EngineHandle : SafeHandle
    {
        private EngineHandle() : base(IntPtr.Zero, true) { }

        /// <summary>True when no engine is held.</summary>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Frees the engine.</summary>
        protected override bool ReleaseHandle()
        {
            Native.kpi_engine_free(handle);
            return true;
        }
    }

    /// <summary>KPI variant parameter keys (KPI_PARAM_*) for <see cref="Engine.SetParam"/>; values are
    /// doubles, enums by number.</summary>
    public static class Param
    {
        /// <summary>short_call_share: talk &lt; this, whole seconds (default 120).</summary>
        public const int ShortCallThresholdS = 1;
        /// <summary>service_level: wait &lt;= this, whole seconds (default 20).</summary>
        public const int ServiceLevelThresholdS = 2;
        /// <summary>service_level formula: 0 answered_only (default) .. 4 exclude_short_abandons.</summary>
        public const int ServiceLevelVariant = 3;
        /// <summary>Abandons with wait &lt; this are short (default 0).</summary>
        public const int ShortAbandonThresholdS = 4;
        /// <summary>1: count timeouts as abandons.</summary>
        public const int TimeoutsAsAbandons = 5;
        /// <summary>repeat_call_rate horizon, days (default 7).</summary>
        public const int RepeatCallWindowDays = 6;
        /// <summary>abandon_callback_rate horizon, hours (default 24).</summary>
        public const int CallbackWindowHours = 7;
        /// <summary>revenue_per_call denominator: 0 all, 1 outbound, 2 connected.</summary>
        public const int RevenuePerCallDenominator = 8;
        /// <summary>lead_to_opportunity_rate: 0 cohort, 1 period.</summary>
        public const int LeadToOpportunityMode = 9;
        /// <summary>win_rate: 0 cohort, 1 period (default).</summary>
        public const int WinRateMode = 10;
        /// <summary>sales_growth base: 0 previous period, 1 year before.</summary>
        public const int SalesGrowthBase = 11;
        /// <summary>The KPI id whose growth sales_growth measures.</summary>
        public const int SalesGrowthOf = 12;
        /// <summary>churn_rate denominator: 0 at start, 1 average.</summary>
        public const int ChurnFormula = 13;
        /// <summary>marketing_roi basis: 0 gross profit, 1 revenue.</summary>
        public const int MarketingRoiBasis = 14;
        /// <summary>clv margin per period (major units); NaN: measured.</summary>
        public const int ClvMargin = 15;
        /// <summary>clv retention per period in [0, 1); NaN: measured.</summary>
        public const int ClvRetention = 16;
        /// <summary>clv discount rate per period (default 0.01).</summary>
        public const int ClvDiscount = 17;
        /// <summary>0 (default): churn family from customer records; N days: from orders (no order for N
        /// days = lost; needs trackOrderActivity).</summary>
        public const int ChurnInactivityDays = 18;
        /// <summary>incremental_sales / campaign_lift: a control group's revenue (major units); NaN
        /// (default): the previous period is the baseline.</summary>
        public const int ControlRevenue = 19;
        /// <summary>Control group size, &gt; 0 (default 1).</summary>
        public const int ControlSize = 20;
        /// <summary>Treated group size, &gt; 0 (default 1); baseline = control revenue x treated / control.</summary>
        public const int TreatedSize = 21;
    }

    /// <summary>Group-by dimensions (KPI_DIM_*).</summary>
    public enum Dimension
    {
        /// <summary>The agent.</summary>
        AgentId = 0,
        /// <summary>The team.</summary>
        TeamId = 1,
        /// <summary>The campaign.</summary>
        CampaignId = 2,
        /// <summary>The call queue.</summary>
        QueueId = 3,
        /// <summary>The marketing channel.</summary>
        Channel = 4,
        /// <summary>The lead source.</summary>
        Source = 5,
    }

    /// <summary>Calendar periods (KPI_PERIOD_*).</summary>
    public enum Period
    {
        /// <summary>All time.</summary>
        None = 0,
        /// <summary>Local day.</summary>
        Day = 1,
        /// <summary>ISO week.</summary>
        Week = 2,
        /// <summary>Month.</summary>
        Month = 3,
        /// <summary>Quarter.</summary>
        Quarter = 4,
        /// <summary>Year.</summary>
        Year = 5,
    }

    /// <summary>Call outcomes (KPI_OUTCOME_*).</summary>
    public enum Outcome
    {
        /// <summary>A person talked with an agent.</summary>
        Connected = 0,
        /// <summary>Rang out.</summary>
        NoAnswer = 1,
        /// <summary>Busy.</summary>
        Busy = 2,
        /// <summary>Could not be placed.</summary>
        Failed = 3,
        /// <summary>Reached a machine.</summary>
        Voicemail = 4,
        /// <summary>Inbound caller hung up while waiting.</summary>
        Abandoned = 5,
        /// <summary>Inbound queue timeout.</summary>
        Timeout = 6,
    }

    /// <summary>One call (kpi_call_record version 1). Times in UTC milliseconds; durations in seconds,
    /// NaN for absent optional ones.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CallRecord
    {
        /// <summary>Struct version (1).</summary>
        public uint Version;
        /// <summary>Unique id.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string CallId;
        /// <summary>Agent (null for an unanswered inbound call).</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string AgentId;
        /// <summary>Team.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string TeamId;
        /// <summary>Campaign.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string CampaignId;
        /// <summary>Queue.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string QueueId;
        /// <summary>Customer number or contact key.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string Caller;
        /// <summary>0 outbound, 1 inbound.</summary>
        public int Direction;
        /// <summary>The outcome.</summary>
        public Outcome Outcome;
        /// <summary>Start, UTC milliseconds.</summary>
        public long StartMs;
        /// <summary>Seconds waiting (NaN: absent).</summary>
        public double WaitS;
        /// <summary>Seconds talking.</summary>
        public double TalkS;
        /// <summary>Seconds on hold (NaN: absent).</summary>
        public double HoldS;
        /// <summary>Seconds of after-call work (NaN: absent).</summary>
        public double AcwS;

        /// <summary>An outbound call with the absent fields set to NaN.</summary>
        public static CallRecord Outbound(string callId, string agentId, Outcome outcome, long startMs, double talkS)
        {
            return new CallRecord
            {
                Version = 1, CallId = callId, AgentId = agentId, Direction = 0, Outcome = outcome, StartMs = startMs,
                WaitS = double.NaN, TalkS = talkS, HoldS = double.NaN, AcwS = double.NaN,
            };
        }
    }

    /// <summary>One order (kpi_order_record version 1); amounts in minor units of Currency.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OrderRecord
    {
        /// <summary>Struct version (1).</summary>
        public uint Version;
        /// <summary>Unique id.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string OrderId;
        /// <summary>Customer.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string CustomerId;
        /// <summary>Agent.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string AgentId;
        /// <summary>Team.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string TeamId;
        /// <summary>Campaign.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string CampaignId;
        /// <summary>The call that made the sale.</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string CallId;
        /// <summary>Order time, UTC milliseconds.</summary>
        public long TimeMs;
        /// <summary>Revenue in minor units.</summary>
        public long AmountMinor;
        /// <summary>ISO 4217 code (null: the engine's default).</summary>
        [MarshalAs(UnmanagedType.LPStr)] public string Currency;
        /// <summary>Cost in minor units (when HasCost is 1).</summary>
        public long CostMinor;
        /// <summary>1 when CostMinor is known.</summary>
        public int HasCost;
        /// <summary>0 new, 1 upsell, 2 cross-sell.</summary>
        public int Kind;
    }

    /// <summary>The streaming KPI engine. Not thread-safe: one per thread, then Merge().</summary>
    public sealed class Engine : IDisposable
    {
        private readonly EngineHandle _handle;

        private Engine(EngineHandle handle) { _handle = handle; }

        /// <summary>Creates an engine grouping by <paramref name="groupBy"/> (roll-up order), with cells of
        /// <paramref name="period"/> cut in the IANA <paramref name="timeZone"/>. <paramref name="trackOrderActivity"/>
        /// keeps per-customer order spells (at <paramref name="orderActivityResolutionDays"/>) for churn
        /// derived from orders (<see cref="Param.ChurnInactivityDays"/>).</summary>
        public Engine(Dimension[] groupBy, Period period = Period.Day, string timeZone = "UTC", string currency = null,
                      bool deduplicate = false, bool trackCallers = false, bool trackFirstOrders = false,
                      bool trackOrderActivity = false, double orderActivityResolutionDays = 1.0)
        {
            groupBy = groupBy ?? new Dimension[0];
            var dims = Array.ConvertAll(groupBy, d => (int)d);
            var pin = GCHandle.Alloc(dims, GCHandleType.Pinned);
            try
            {
                var options = new Native.EngineOptions
                {
                    version = 2, group_by = pin.AddrOfPinnedObject(), group_by_count = new UIntPtr((uint)dims.Length),
                    period = (int)period, time_zone = timeZone, default_currency = currency,
                    deduplicate = deduplicate ? 1 : 0, track_callers = trackCallers ? 1 : 0,
                    track_first_orders = trackFirstOrders ? 1 : 0,
                    track_order_activity = trackOrderActivity ? 1 : 0,
                    order_activity_resolution_days = orderActivityResolutionDays,
                };
                Native.Check(Native.kpi_engine_new(out _handle, ref options));
            }
            finally
            {
                pin.Free();
            }
        }

        /// <summary>Frees the native engine.</summary>
        public void Dispose() => _handle.Dispose();

        /// <summary>Sets a KPI variant parameter (a <see cref="Param"/> key) for later queries.</summary>
        public void SetParam(int key, double value) => Native.Check(Native.kpi_engine_set_param(_handle, key, value));

        /// <summary>Converts amounts in <paramref name="from"/> at an exact decimal rate.</summary>
        public void SetRate(string from, string rate) => Native.Check(Native.kpi_engine_set_rate(_handle, from, rate));

        /// <summary>Adds calls; returns how many were accepted (invalid ones are counted as rejected).</summary>
        public int AddCalls(CallRecord[] calls)
        {
            Native.Check(Native.kpi_engine_add_calls(_handle, calls, new UIntPtr((uint)calls.Length),
                                                     new UIntPtr((uint)Marshal.SizeOf(typeof(CallRecord))), out UIntPtr accepted));
            return (int)accepted.ToUInt32();
        }

        /// <summary>Adds orders; returns how many were accepted.</summary>
        public int AddOrders(OrderRecord[] orders)
        {
            Native.Check(Native.kpi_engine_add_orders(_handle, orders, new UIntPtr((uint)orders.Length),
                                                      new UIntPtr((uint)Marshal.SizeOf(typeof(OrderRecord))), out UIntPtr accepted));
            return (int)accepted.ToUInt32();
        }

        /// <summary>Adds a batch of calls as columns, pinned in place (no copy of the numbers). Agents are
        /// dictionary codes (-1: none) into <paramref name="agentDictionary"/>.</summary>
        public unsafe int AddCallColumns(ReadOnlySpan<long> startMs, ReadOnlySpan<int> direction, ReadOnlySpan<int> outcome,
                                         ReadOnlySpan<double> talkS, ReadOnlySpan<int> agentCodes, string[] agentDictionary)
        {
            int n = startMs.Length;
            if (direction.Length != n || outcome.Length != n || talkS.Length != n || (agentCodes.Length != 0 && agentCodes.Length != n))
                throw new KpiArgumentException("every column must have the same number of rows");
            var dictionary = new IntPtr[agentDictionary?.Length ?? 0];
            try
            {
                for (int i = 0; i < dictionary.Length; i++) dictionary[i] = Utf8(agentDictionary[i]);
                fixed (long* s = &MemoryMarshal.GetReference(startMs))
                fixed (int* d = &MemoryMarshal.GetReference(direction))
                fixed (int* o = &MemoryMarshal.GetReference(outcome))
                fixed (double* t = &MemoryMarshal.GetReference(talkS))
                fixed (int* a = &MemoryMarshal.GetReference(agentCodes))
                fixed (IntPtr* dict = dictionary)
                {
                    var columns = new Native.CallColumns
                    {
                        version = 1, rows = new UIntPtr((uint)n), start_ms = (IntPtr)s, direction = (IntPtr)d,
                        outcome = (IntPtr)o, talk_s = (IntPtr)t,
                        agent_codes = agentCodes.Length == 0 ? IntPtr.Zero : (IntPtr)a,
                        agent_dictionary = (IntPtr)dict, agent_dictionary_size = new UIntPtr((uint)dictionary.Length),
                    };
                    Native.Check(Native.kpi_engine_add_call_columns(_handle, ref columns, out UIntPtr accepted));
                    return (int)accepted.ToUInt32();
                }
            }
            finally
            {
                foreach (var p in dictionary) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
            }
        }

        /// <summary>Adds <paramref name="other"/>'s state into this engine (same options required).</summary>
        public void Merge(Engine other) => Native.Check(Native.kpi_engine_merge(_handle, other._handle));

        /// <summary>One KPI (a catalog name) for a group (fixed dimensions; null: the whole business) and a
        /// period label ("2026-11"; null: all time). Null when undefined; money in major units.</summary>
        public double? Evaluate(string kpi, IDictionary<Dimension, string> group = null, string period = null)
        {
            int id = Catalog.Find(kpi).Id;
            group = group ?? new Dictionary<Dimension, string>();
            var dims = new int[group.Count];
            var values = new IntPtr[group.Count];
            int i = 0;
            try
            {
                foreach (var pair in group)
                {
                    dims[i] = (int)pair.Key;
                    values[i++] = Utf8(pair.Value);
                }
                int status = Native.kpi_engine_evaluate(out double value, _handle, id, dims, values,
                                                        new UIntPtr((uint)dims.Length), period);
                return Native.Defined(status, value);
            }
            finally
            {
                foreach (var p in values) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
            }
        }

        /// <summary>The report rows as JSON (the `kpi report --format json` row shape).</summary>
        public string ReportJson(string[] kpis, Dimension[] groupBy, Period period)
        {
            var ids = Array.ConvertAll(kpis, k => Catalog.Find(k).Id);
            var dims = Array.ConvertAll(groupBy ?? new Dimension[0], d => (int)d);
            Native.kpi_engine_report_json(null, UIntPtr.Zero, out UIntPtr size, _handle, ids, new UIntPtr((uint)ids.Length),
                                          dims, new UIntPtr((uint)dims.Length), (int)period);
            var buffer = new byte[size.ToUInt64()];
            Native.Check(Native.kpi_engine_report_json(buffer, size, out size, _handle, ids, new UIntPtr((uint)ids.Length),
                                                       dims, new UIntPtr((uint)dims.Length), (int)period));
            return Encoding.UTF8.GetString(buffer, 0, buffer.Length - 1);
        }

        /// <summary>Records read, accepted, rejected and dropped as duplicates.</summary>
        public (ulong Read, ulong Accepted, ulong Rejected, ulong Duplicates) Counts
        {
            get
            {
                var c = new Native.IngestCounts { version = 1 };
                Native.Check(Native.kpi_engine_counts(ref c, _handle));
                return (c.read, c.accepted, c.rejected, c.duplicates);
            }
        }

        /// <summary>The engine's whole state (versioned binary format).</summary>
        public byte[] Save()
        {
            Native.kpi_engine_save(null, UIntPtr.Zero, out UIntPtr size, _handle);
            var buffer = new byte[size.ToUInt64()];
            Native.Check(Native.kpi_engine_save(buffer, size, out size, _handle));
            return buffer;
        }

        /// <summary>An engine from Save()'s bytes; throws KpiException (Status.Corrupt) for anything else.</summary>
        public static Engine Load(byte[] bytes)
        {
            Native.Check(Native.kpi_engine_load(out EngineHandle handle, bytes, new UIntPtr((uint)bytes.Length)));
            return new Engine(handle);
        }

        private static IntPtr Utf8(string s)
        {
            var bytes = Encoding.UTF8.GetBytes((s ?? "") + "\0");
            var p = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, p, bytes.Length);
            return p;
        }
    }
}
