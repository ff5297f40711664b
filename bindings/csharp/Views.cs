// libkpi for C#: views over KPIs (targets, leaderboards, coaching flags, anomaly alerts as events,
// trend). Pure functions over KPI values the caller has; null is an undefined value (never read as 0).
// The definitions are in docs/views.md.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Kpi
{
    internal static partial class Native
    {
        internal const int TargetNoData = -1;

        /// <summary>Mirror of kpi_target_spec (kpi/c/views.h), version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TargetSpecStruct
        {
            internal uint Version;
            internal int Op;
            internal int Additive;
            internal double Value;
            internal double Value2;
        }

        /// <summary>Mirror of kpi_target_evaluation, version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TargetEvaluationStruct
        {
            internal uint Version;
            internal int Status;
            internal int HasAttainment;
            internal int HasProjection;
            internal int HasProratedTarget2;
            internal int Reserved;
            internal double Attainment;
            internal double ProratedTarget;
            internal double ProratedTarget2;
            internal double Projection;
        }

        /// <summary>Mirror of kpi_target, version 1 (strings are UTF-8 pointers).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TargetStruct
        {
            internal uint Version;
            internal int Op;
            internal IntPtr Kpi;
            internal IntPtr AgentId;
            internal IntPtr TeamId;
            internal IntPtr CampaignId;
            internal IntPtr Period;
            internal double Value;
            internal double Value2;
        }

        /// <summary>Mirror of kpi_anomaly_options, version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct AnomalyOptionsStruct
        {
            internal uint Version;
            internal int Resolution;
            internal int Seasonality;
            internal int WindowDays;
            internal double Threshold;
            internal long MinHistory;
            internal double MinDeviation;
            internal IntPtr TimeZone;
        }

        /// <summary>Mirror of kpi_anomaly_alert, version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct AnomalyAlertStruct
        {
            internal uint Version;
            internal int Direction;
            internal int HasScore;
            internal int Reserved;
            internal long TimeMs;
            internal double Actual;
            internal double Expected;
            internal double Score;
            internal double Scale;
            internal long History;
        }

        /// <summary>Mirror of kpi_period_projection, version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PeriodProjectionStruct
        {
            internal uint Version;
            internal int HasRunRate;
            internal int HasTrend;
            internal int Reserved;
            internal double Actual;
            internal double RunRate;
            internal double Trend;
        }

        /// <summary>kpi_anomaly_callback.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void AnomalyCallback(IntPtr alert, IntPtr payload);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_spec_init(out TargetSpecStruct spec, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_evaluation_init(out TargetEvaluationStruct evaluation, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_evaluate(ref TargetEvaluationStruct result, ref TargetSpecStruct spec,
                                                       double actual, int actualDefined, double progress);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_period_progress(out double result, byte[] period, byte[] timeZone, long asOfMs);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_is_additive(out int result, byte[] kpiName);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_new(out IntPtr table);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void kpi_target_table_free(IntPtr table);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_read_csv(IntPtr table, byte[] path);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_set(IntPtr table, ref TargetStruct target);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_count(out UIntPtr count, IntPtr table);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_get(ref TargetStruct target, IntPtr table, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_target_table_find(ref TargetSpecStruct spec, IntPtr table, byte[] kpi,
                                                         byte[] agentId, byte[] teamId, byte[] campaignId,
                                                         byte[] period);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_leaderboard_rank(int[] ranks, int[] standing, UIntPtr[] order, double[] values,
                                                        int[] defined, double[] volumes, IntPtr[] names,
                                                        UIntPtr count, int better, double minVolume);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_quantile_type7(out double result, double[] values, UIntPtr count, double p);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_coaching_flags(int[] flagged, long[] streak, double[] values, int[] defined,
                                                      int[] teams, UIntPtr agents, UIntPtr periods, UIntPtr k,
                                                      double percentile, int better);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_anomaly_options_init(out AnomalyOptionsStruct options, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_anomaly_detector_new(out IntPtr detector, ref AnomalyOptionsStruct options,
                                                            AnomalyCallback callback, IntPtr payload);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void kpi_anomaly_detector_free(IntPtr detector);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_anomaly_detector_push(out int flagged, ref AnomalyAlertStruct alert,
                                                             IntPtr detector, long timeMs, double value, int defined);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_anomaly_detector_push_many(out UIntPtr alerts, IntPtr detector, long[] timesMs,
                                                                  double[] values, int[] defined, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_anomaly_detector_reset(IntPtr detector);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_trend_fit(out double slope, out double intercept, double[] values, int[] defined,
                                                 UIntPtr count, UIntPtr n);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_trend_project(ref PeriodProjectionStruct result, double[] values, int[] defined,
                                                     UIntPtr count, UIntPtr total, UIntPtr n);

        /// <summary>NUL-terminated UTF-8 bytes of s (null stays null).</summary>
        internal static byte[] Utf8(string s)
        {
            if (s == null) return null;
            byte[] body = Encoding.UTF8.GetBytes(s);
            byte[] z = new byte[body.Length + 1];
            Array.Copy(body, z, body.Length);
            return z;
        }

        /// <summary>The UTF-8 string at p ("" for a null pointer).</summary>
        internal static string ReadUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero) return "";
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            byte[] bytes = new byte[n];
            Marshal.Copy(p, bytes, 0, n);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A double array and a defined mask (null when every value is defined).</summary>
        internal static double[] Values(IList<double?> values, out int[] defined)
        {
            int n = values.Count;
            var v = new double[Math.Max(n, 1)];
            var mask = new int[Math.Max(n, 1)];
            bool all = true;
            for (int i = 0; i < n; i++)
            {
                if (values[i].HasValue) { v[i] = values[i].Value; mask[i] = 1; }
                else all = false;
            }
            defined = all ? null : mask;
            return v;
        }

        internal static long UnixMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

        internal static UIntPtr Count(int n, string what, int minimum)
        {
            if (n < minimum) throw new KpiArgumentException($"{what} must be >= {minimum}, got {n}");
            return (UIntPtr)(ulong)n;
        }
    }

    /// <summary>The comparison of a target.</summary>
    public enum TargetOp
    {
        /// <summary>actual &gt;= value (CSV "&gt;=").</summary>
        AtLeast = 0,
        /// <summary>actual &lt;= value (CSV "&lt;=").</summary>
        AtMost = 1,
        /// <summary>value &lt;= actual &lt;= value2, both inclusive (CSV "between").</summary>
        Between = 2,
    }

    /// <summary>The status of a target (docs/views.md gives the rules).</summary>
    public enum TargetStatus
    {
        /// <summary>The period is over and the condition holds, or an additive &gt;= target is reached.</summary>
        Met = 0,
        /// <summary>Period open; the projection (additive) or the current value (rate) meets it.</summary>
        OnTrack = 1,
        /// <summary>Period open; the projection (additive) or the current value (rate) misses it.</summary>
        AtRisk = 2,
        /// <summary>The period is over and it fails, or an additive upper bound is already exceeded.</summary>
        Missed = 3,
    }

    /// <summary>Which direction of a KPI is better.</summary>
    public enum Better
    {
        /// <summary>Larger is better (revenue, connection rate).</summary>
        Higher = 0,
        /// <summary>Smaller is better (abandon rate, ASA, churn).</summary>
        Lower = 1,
    }

    /// <summary>Why a leaderboard row is or is not ranked.</summary>
    public enum Standing
    {
        /// <summary>Ranked.</summary>
        Ranked = 0,
        /// <summary>Listed, not ranked: volume below the minimum.</summary>
        BelowMinVolume = 1,
        /// <summary>Listed, not ranked: the value is undefined.</summary>
        UndefinedValue = 2,
    }

    /// <summary>The seasonal effect removed before anomaly scoring.</summary>
    public enum Seasonality
    {
        /// <summary>None.</summary>
        None = 0,
        /// <summary>Local weekday (daily series).</summary>
        DayOfWeek = 1,
        /// <summary>Local weekday and hour (hourly series).</summary>
        HourOfWeek = 2,
    }

    /// <summary>The resolution of an anomaly series.</summary>
    public enum Resolution
    {
        /// <summary>One point per local day.</summary>
        Daily = 0,
        /// <summary>One point per hour.</summary>
        Hourly = 1,
    }

    /// <summary>The evaluation of a target.</summary>
    public sealed class TargetEvaluation
    {
        /// <summary>The status; null when the actual is undefined (no data is not a miss).</summary>
        public TargetStatus? Status { get; internal set; }
        /// <summary>actual / value (&gt;=), value / actual (&lt;=), 1 inside a between band; null where no
        /// finite ratio exists.</summary>
        public double? Attainment { get; internal set; }
        /// <summary>value × progress for an additive KPI; value for a rate.</summary>
        public double ProratedTarget { get; internal set; }
        /// <summary>The prorated upper bound of a between target; null otherwise.</summary>
        public double? ProratedTarget2 { get; internal set; }
        /// <summary>Run rate actual / progress (additive KPIs, progress &gt; 0); null otherwise.</summary>
        public double? Projection { get; internal set; }
    }

    /// <summary>The bound of a target.</summary>
    public sealed class TargetSpec
    {
        /// <summary>The comparison.</summary>
        public TargetOp Op { get; set; }
        /// <summary>The bound (lower bound of Between).</summary>
        public double Value { get; set; }
        /// <summary>The upper bound of Between; null for the other ops.</summary>
        public double? Value2 { get; set; }
        /// <summary>True for an additive KPI (count or sum): prorated and projected by run rate.</summary>
        public bool Additive { get; set; }

        internal Native.TargetSpecStruct ToNative()
        {
            Native.Check(Native.kpi_target_spec_init(out var s, 1));
            s.Op = (int)Op;
            s.Value = Value;
            if (Op == TargetOp.Between)
            {
                if (Value2 == null) throw new KpiArgumentException("a Between target needs Value2 (its upper bound)");
                s.Value2 = Value2.Value;
            }
            else if (Value2 != null)
            {
                throw new KpiArgumentException($"target Value2 is only for Between, not for {Op}");
            }
            s.Additive = Additive ? 1 : 0;
            return s;
        }

        /// <summary>Evaluates the target against actual (null: undefined) with progress (0..1) of the
        /// period elapsed.</summary>
        public TargetEvaluation Evaluate(double? actual, double progress = 1.0)
        {
            var spec = ToNative();
            Native.Check(Native.kpi_target_evaluation_init(out var ev, 1));
            Native.Check(Native.kpi_target_evaluate(ref ev, ref spec, actual ?? 0.0, actual.HasValue ? 1 : 0, progress));
            return new TargetEvaluation
            {
                Status = ev.Status == Native.TargetNoData ? (TargetStatus?)null : (TargetStatus)ev.Status,
                Attainment = ev.HasAttainment != 0 ? ev.Attainment : (double?)null,
                ProratedTarget = ev.ProratedTarget,
                ProratedTarget2 = ev.HasProratedTarget2 != 0 ? ev.ProratedTarget2 : (double?)null,
                Projection = ev.HasProjection != 0 ? ev.Projection : (double?)null,
            };
        }
    }

    /// <summary>One target record (a row of the canonical target CSV).</summary>
    public sealed class Target
    {
        /// <summary>The KPI id ("connection_rate").</summary>
        public string Kpi { get; set; } = "";
        /// <summary>The period label ("2026-11", "2026-W48").</summary>
        public string Period { get; set; } = "";
        /// <summary>The comparison.</summary>
        public TargetOp Op { get; set; }
        /// <summary>The bound (lower bound of Between).</summary>
        public double Value { get; set; }
        /// <summary>The upper bound of Between; null otherwise.</summary>
        public double? Value2 { get; set; }
        /// <summary>Group: agent, or "".</summary>
        public string AgentId { get; set; } = "";
        /// <summary>Group: team, or "".</summary>
        public string TeamId { get; set; } = "";
        /// <summary>Group: campaign, or "".</summary>
        public string CampaignId { get; set; } = "";
    }

    /// <summary>Targets keyed by (kpi, agent, team, campaign, period), read from the canonical target CSV
    /// or set through the API. Not thread-safe; dispose it to free the native table.</summary>
    public sealed class TargetTable : IDisposable
    {
        private IntPtr handle;

        /// <summary>An empty table.</summary>
        public TargetTable() { Native.Check(Native.kpi_target_table_new(out handle)); }

        /// <summary>Frees the native table.</summary>
        public void Dispose()
        {
            if (handle != IntPtr.Zero) { Native.kpi_target_table_free(handle); handle = IntPtr.Zero; }
            GC.SuppressFinalize(this);
        }

        /// <summary>Frees the native table if Dispose was not called.</summary>
        ~TargetTable() { if (handle != IntPtr.Zero) Native.kpi_target_table_free(handle); }

        private IntPtr Handle
        {
            get
            {
                if (handle == IntPtr.Zero) throw new ObjectDisposedException(nameof(TargetTable));
                return handle;
            }
        }

        /// <summary>Adds the rows of a target CSV file (KpiException with Status.Parse for a bad row; the
        /// table is then unchanged).</summary>
        public void ReadCsv(string path) => Native.Check(Native.kpi_target_table_read_csv(Handle, Native.Utf8(path)));

        /// <summary>Adds or replaces the target of its key.</summary>
        public void Set(Target target)
        {
            if (target == null) throw new ArgumentNullException(nameof(target));
            var pins = new List<GCHandle>();
            try
            {
                var t = new Native.TargetStruct
                {
                    Version = 1, Op = (int)target.Op, Kpi = Pin(pins, target.Kpi), AgentId = Pin(pins, target.AgentId),
                    TeamId = Pin(pins, target.TeamId), CampaignId = Pin(pins, target.CampaignId),
                    Period = Pin(pins, target.Period), Value = target.Value, Value2 = target.Value2 ?? 0.0,
                };
                Native.Check(Native.kpi_target_table_set(Handle, ref t));
            }
            finally
            {
                foreach (var h in pins) h.Free();
            }
        }

        private static IntPtr Pin(List<GCHandle> pins, string s)
        {
            var h = GCHandle.Alloc(Native.Utf8(s ?? ""), GCHandleType.Pinned);
            pins.Add(h);
            return h.AddrOfPinnedObject();
        }

        /// <summary>The number of targets.</summary>
        public int Count
        {
            get
            {
                Native.Check(Native.kpi_target_table_count(out var n, Handle));
                return (int)(ulong)n;
            }
        }

        /// <summary>Every target, in insertion order.</summary>
        public IList<Target> Targets
        {
            get
            {
                var list = new List<Target>();
                int n = Count;
                for (int i = 0; i < n; i++)
                {
                    var t = new Native.TargetStruct { Version = 1 };
                    Native.Check(Native.kpi_target_table_get(ref t, Handle, (UIntPtr)(ulong)i));
                    var op = (TargetOp)t.Op;
                    list.Add(new Target
                    {
                        Kpi = Native.ReadUtf8(t.Kpi), Period = Native.ReadUtf8(t.Period), Op = op, Value = t.Value,
                        Value2 = op == TargetOp.Between ? t.Value2 : (double?)null,
                        AgentId = Native.ReadUtf8(t.AgentId), TeamId = Native.ReadUtf8(t.TeamId),
                        CampaignId = Native.ReadUtf8(t.CampaignId),
                    });
                }
                return list;
            }
        }

        /// <summary>The spec of the exact key (Additive from the KPI), or null when there is none.</summary>
        public TargetSpec Find(string kpi, string period, string agentId = "", string teamId = "", string campaignId = "")
        {
            Native.Check(Native.kpi_target_spec_init(out var s, 1));
            int rc = Native.kpi_target_table_find(ref s, Handle, Native.Utf8(kpi), Native.Utf8(agentId),
                                                  Native.Utf8(teamId), Native.Utf8(campaignId), Native.Utf8(period));
            if (rc == (int)Kpi.Status.NotFound) return null;
            Native.Check(rc);
            var op = (TargetOp)s.Op;
            return new TargetSpec
            {
                Op = op, Value = s.Value, Value2 = op == TargetOp.Between ? s.Value2 : (double?)null,
                Additive = s.Additive != 0,
            };
        }
    }

    /// <summary>One entry of a leaderboard.</summary>
    public sealed class LeaderboardEntry
    {
        /// <summary>The agent or group.</summary>
        public string Name { get; set; } = "";
        /// <summary>The KPI's value; null when undefined.</summary>
        public double? Value { get; set; }
        /// <summary>The volume behind the value (calls, orders), &gt;= 0.</summary>
        public double Volume { get; set; }
    }

    /// <summary>A row of a leaderboard.</summary>
    public sealed class LeaderboardRow
    {
        /// <summary>Index of the entry in the input.</summary>
        public int Index { get; internal set; }
        /// <summary>The entry's name.</summary>
        public string Name { get; internal set; }
        /// <summary>The entry's value.</summary>
        public double? Value { get; internal set; }
        /// <summary>The entry's volume.</summary>
        public double Volume { get; internal set; }
        /// <summary>Dense rank from 1 (best); null when not ranked.</summary>
        public int? Rank { get; internal set; }
        /// <summary>Ranked, or why not.</summary>
        public Standing Standing { get; internal set; }
    }

    /// <summary>One agent's KPI series for coaching flags.</summary>
    public sealed class CoachingAgent
    {
        /// <summary>The agent id.</summary>
        public string Agent { get; set; } = "";
        /// <summary>The agent's team.</summary>
        public string Team { get; set; } = "";
        /// <summary>The KPI per period, oldest first; null where undefined.</summary>
        public double?[] Values { get; set; } = new double?[0];
    }

    /// <summary>A coaching flag.</summary>
    public sealed class CoachingFlag
    {
        /// <summary>Index of the agent in the input.</summary>
        public int Index { get; internal set; }
        /// <summary>The agent id.</summary>
        public string Agent { get; internal set; }
        /// <summary>The agent's team.</summary>
        public string Team { get; internal set; }
        /// <summary>Consecutive periods under the team quantile, ending at the last period.</summary>
        public int Streak { get; internal set; }
        /// <summary>Index of the first period of the streak.</summary>
        public int Since { get; internal set; }
    }

    /// <summary>An anomaly alert.</summary>
    public sealed class AnomalyAlert
    {
        /// <summary>The point's time (UTC).</summary>
        public DateTimeOffset Time { get; internal set; }
        /// <summary>Its value.</summary>
        public double Actual { get; internal set; }
        /// <summary>Its expected value (seasonal median + median residual).</summary>
        public double Expected { get; internal set; }
        /// <summary>The robust z-score; null when the history was perfectly regular.</summary>
        public double? Score { get; internal set; }
        /// <summary>+1 a spike, -1 a drop.</summary>
        public int Direction { get; internal set; }
        /// <summary>The robust scale used, in KPI units (about one standard deviation).</summary>
        public double Scale { get; internal set; }
        /// <summary>Points of the trailing window it was judged against.</summary>
        public long History { get; internal set; }

        internal static AnomalyAlert From(Native.AnomalyAlertStruct a) => new AnomalyAlert
        {
            Time = DateTimeOffset.FromUnixTimeMilliseconds(a.TimeMs), Actual = a.Actual, Expected = a.Expected,
            Score = a.HasScore != 0 ? a.Score : (double?)null, Direction = a.Direction, Scale = a.Scale,
            History = a.History,
        };
    }

    /// <summary>The data of an AnomalyDetector.Alert event.</summary>
    public sealed class AnomalyAlertEventArgs : EventArgs
    {
        /// <summary>The alert.</summary>
        public AnomalyAlert Alert { get; }

        /// <summary>Wraps an alert.</summary>
        public AnomalyAlertEventArgs(AnomalyAlert alert) { Alert = alert; }
    }

    /// <summary>Options of an anomaly detector (docs/views.md).</summary>
    public sealed class AnomalyOptions
    {
        /// <summary>Daily (default) or hourly series.</summary>
        public Resolution Resolution { get; set; } = Resolution.Daily;
        /// <summary>The seasonal effect removed; null: DayOfWeek for a daily series, HourOfWeek for an
        /// hourly one.</summary>
        public Seasonality? Seasonality { get; set; }
        /// <summary>Trailing window in days, &gt;= 1 (default 28).</summary>
        public int WindowDays { get; set; } = 28;
        /// <summary>Flag when |z| &gt; Threshold (default 3.5, Iglewicz and Hoaglin).</summary>
        public double Threshold { get; set; } = 3.5;
        /// <summary>Points needed in the window before judging, &gt;= 3 (default 14).</summary>
        public long MinHistory { get; set; } = 14;
        /// <summary>Also require |residual − median| &gt; MinDeviation (default 0).</summary>
        public double MinDeviation { get; set; }
        /// <summary>IANA zone of local days and hours; null for UTC.</summary>
        public string TimeZone { get; set; }
    }

    /// <summary>A streaming anomaly detector over one daily or hourly series: push points in time order;
    /// anomalies raise the <see cref="Alert"/> event on the pushing thread. Not thread-safe; dispose it
    /// to free the native detector.</summary>
    public sealed class AnomalyDetector : IDisposable
    {
        private IntPtr handle;
        private readonly Native.AnomalyCallback callback;  // kept alive while the native side holds it
        private Exception pending;

        /// <summary>Raised for each anomaly while Push or PushMany runs. An exception a handler throws is
        /// rethrown by that Push.</summary>
        public event EventHandler<AnomalyAlertEventArgs> Alert;

        /// <summary>A detector with the given options (null: defaults).</summary>
        public AnomalyDetector(AnomalyOptions options = null)
        {
            options = options ?? new AnomalyOptions();
            Native.Check(Native.kpi_anomaly_options_init(out var o, 1));
            o.Resolution = (int)options.Resolution;
            o.Seasonality = (int)(options.Seasonality ??
                                  (options.Resolution == Resolution.Hourly ? Kpi.Seasonality.HourOfWeek
                                                                           : Kpi.Seasonality.DayOfWeek));
            o.WindowDays = options.WindowDays;
            o.Threshold = options.Threshold;
            o.MinHistory = options.MinHistory;
            o.MinDeviation = options.MinDeviation;
            callback = OnNativeAlert;
            GCHandle zone = GCHandle.Alloc(Native.Utf8(options.TimeZone ?? ""), GCHandleType.Pinned);
            try
            {
                o.TimeZone = zone.AddrOfPinnedObject();
                Native.Check(Native.kpi_anomaly_detector_new(out handle, ref o, callback, IntPtr.Zero));
            }
            finally
            {
                zone.Free();
            }
        }

        private void OnNativeAlert(IntPtr alert, IntPtr payload)
        {
            if (pending != null) return;
            try
            {
                var a = (Native.AnomalyAlertStruct)Marshal.PtrToStructure(alert, typeof(Native.AnomalyAlertStruct));
                Alert?.Invoke(this, new AnomalyAlertEventArgs(AnomalyAlert.From(a)));
            }
            catch (Exception e)
            {
                pending = e;  // an exception must not unwind through native frames
            }
        }

        private void RethrowPending()
        {
            if (pending == null) return;
            var e = pending;
            pending = null;
            throw new InvalidOperationException("an Alert handler threw: " + e.Message, e);
        }

        private IntPtr Handle
        {
            get
            {
                if (handle == IntPtr.Zero) throw new ObjectDisposedException(nameof(AnomalyDetector));
                return handle;
            }
        }

        /// <summary>Judges one point (value null is skipped), raises Alert when it is an anomaly, and
        /// returns the alert or null.</summary>
        public AnomalyAlert Push(DateTimeOffset time, double? value)
        {
            var a = new Native.AnomalyAlertStruct { Version = 1 };
            int rc = Native.kpi_anomaly_detector_push(out int flagged, ref a, Handle, Native.UnixMs(time),
                                                      value ?? 0.0, value.HasValue ? 1 : 0);
            RethrowPending();
            Native.Check(rc);
            return flagged != 0 ? AnomalyAlert.From(a) : null;
        }

        /// <summary>Pushes a whole series (times increasing) in one native call; returns its alerts, which
        /// are also raised as events.</summary>
        public IList<AnomalyAlert> PushMany(IList<DateTimeOffset> times, IList<double?> values)
        {
            if (times == null) throw new ArgumentNullException(nameof(times));
            if (values == null) throw new ArgumentNullException(nameof(values));
            if (times.Count != values.Count) throw new KpiArgumentException("PushMany: times and values differ in length");
            var ms = new long[Math.Max(times.Count, 1)];
            for (int i = 0; i < times.Count; i++) ms[i] = Native.UnixMs(times[i]);
            double[] v = Native.Values(values, out int[] defined);
            var got = new List<AnomalyAlert>();
            EventHandler<AnomalyAlertEventArgs> collect = (s, e) => got.Add(e.Alert);
            Alert += collect;
            int rc;
            try
            {
                rc = Native.kpi_anomaly_detector_push_many(out _, Handle, ms, v, defined, (UIntPtr)(ulong)times.Count);
            }
            finally
            {
                Alert -= collect;
            }
            RethrowPending();
            Native.Check(rc);
            return got;
        }

        /// <summary>Forgets the history.</summary>
        public void Reset() => Native.Check(Native.kpi_anomaly_detector_reset(Handle));

        /// <summary>Frees the native detector.</summary>
        public void Dispose()
        {
            if (handle != IntPtr.Zero) { Native.kpi_anomaly_detector_free(handle); handle = IntPtr.Zero; }
            GC.SuppressFinalize(this);
        }

        /// <summary>Frees the native detector if Dispose was not called.</summary>
        ~AnomalyDetector() { if (handle != IntPtr.Zero) Native.kpi_anomaly_detector_free(handle); }
    }

    /// <summary>A least-squares line Intercept + Slope · x (x the 0-based index in the series).</summary>
    public sealed class TrendFit
    {
        /// <summary>Change per period; null with fewer than 2 defined points.</summary>
        public double? Slope { get; internal set; }
        /// <summary>Fitted value at index 0; null with fewer than 2 defined points.</summary>
        public double? Intercept { get; internal set; }

        /// <summary>The fitted value at index x; null when the fit is undefined.</summary>
        public double? At(double x) => Slope.HasValue && Intercept.HasValue ? Intercept + Slope * x : null;
    }

    /// <summary>Projections of an additive KPI to the end of its period.</summary>
    public sealed class PeriodProjection
    {
        /// <summary>Sum of the elapsed sub-periods.</summary>
        public double Actual { get; internal set; }
        /// <summary>Actual × total / elapsed; null when nothing has elapsed.</summary>
        public double? RunRate { get; internal set; }
        /// <summary>Actual + the fitted line over the remaining sub-periods; null when the fit is undefined.</summary>
        public double? Trend { get; internal set; }
    }

    /// <summary>Views over KPIs: targets, leaderboards, coaching flags, anomalies, trend (docs/views.md).
    /// Every method is thread-safe.</summary>
    public static class Views
    {
        /// <summary>Evaluates a target (see TargetSpec.Evaluate).</summary>
        public static TargetEvaluation EvaluateTarget(TargetOp op, double value, double? actual, double progress = 1.0,
                                                      double? value2 = null, bool additive = false)
            => new TargetSpec { Op = op, Value = value, Value2 = value2, Additive = additive }.Evaluate(actual, progress);

        /// <summary>Elapsed fraction (0..1) of a period ("2026-11") at asOf, cut in timeZone (null: UTC).</summary>
        public static double PeriodProgress(string period, DateTimeOffset asOf, string timeZone = null)
        {
            if (period == null) throw new ArgumentNullException(nameof(period));
            Native.Check(Native.kpi_period_progress(out double p, Native.Utf8(period), Native.Utf8(timeZone),
                                                    Native.UnixMs(asOf)));
            return p;
        }

        /// <summary>True for a KPI that is a count or sum over a period ("sales_revenue").</summary>
        public static bool IsAdditive(string kpi)
        {
            if (kpi == null) throw new ArgumentNullException(nameof(kpi));
            Native.Check(Native.kpi_target_is_additive(out int r, Native.Utf8(kpi)));
            return r != 0;
        }

        /// <summary>Ranks entries with dense ranks; entries under minVolume or with an undefined value are
        /// listed, not ranked. Rows in listing order.</summary>
        public static IList<LeaderboardRow> Rank(IList<LeaderboardEntry> entries, Better better = Better.Higher,
                                                 double minVolume = 0.0)
        {
            if (entries == null) throw new ArgumentNullException(nameof(entries));
            int n = entries.Count;
            var values = new double?[n];
            var volumes = new double[Math.Max(n, 1)];
            var names = new IntPtr[Math.Max(n, 1)];
            var pins = new List<GCHandle>();
            for (int i = 0; i < n; i++)
            {
                values[i] = entries[i].Value;
                volumes[i] = entries[i].Volume;
                var h = GCHandle.Alloc(Native.Utf8(entries[i].Name ?? ""), GCHandleType.Pinned);
                pins.Add(h);
                names[i] = h.AddrOfPinnedObject();
            }
            double[] v = Native.Values(values, out int[] defined);
            var ranks = new int[Math.Max(n, 1)];
            var standing = new int[Math.Max(n, 1)];
            var order = new UIntPtr[Math.Max(n, 1)];
            try
            {
                Native.Check(Native.kpi_leaderboard_rank(ranks, standing, order, v, defined, volumes, names,
                                                         (UIntPtr)(ulong)n, (int)better, minVolume));
            }
            finally
            {
                foreach (var h in pins) h.Free();
            }
            var rows = new List<LeaderboardRow>(n);
            for (int pos = 0; pos < n; pos++)
            {
                int i = (int)(ulong)order[pos];
                rows.Add(new LeaderboardRow
                {
                    Index = i, Name = entries[i].Name, Value = entries[i].Value, Volume = entries[i].Volume,
                    Rank = ranks[i] != 0 ? ranks[i] : (int?)null, Standing = (Standing)standing[i],
                });
            }
            return rows;
        }

        /// <summary>The type-7 sample quantile (R's default): {1, 2, 3, 4} at 0.25 is 1.75; null when empty.</summary>
        public static double? Quantile(IList<double> values, double p)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            var v = new double[Math.Max(values.Count, 1)];
            values.CopyTo(v, 0);
            int rc = Native.kpi_quantile_type7(out double q, v, (UIntPtr)(ulong)values.Count, p);
            return Native.Defined(rc, q);
        }

        /// <summary>Agents strictly below their team's type-7 percentile (strictly above the 1 − percentile
        /// one for Better.Lower) for the last k consecutive periods.</summary>
        public static IList<CoachingFlag> CoachingFlags(IList<CoachingAgent> agents, int k = 3, double percentile = 0.25,
                                                        Better better = Better.Higher)
        {
            if (agents == null) throw new ArgumentNullException(nameof(agents));
            int n = agents.Count;
            int periods = n > 0 ? agents[0].Values.Length : 0;
            var flat = new List<double?>(n * periods);
            var teamIds = new Dictionary<string, int>();
            var teams = new int[Math.Max(n, 1)];
            for (int i = 0; i < n; i++)
            {
                if (agents[i].Values.Length != periods)
                    throw new KpiArgumentException($"coaching series of agent '{agents[i].Agent}' has {agents[i].Values.Length} periods, expected {periods}");
                flat.AddRange(agents[i].Values);
                string team = agents[i].Team ?? "";
                if (!teamIds.TryGetValue(team, out int id)) { id = teamIds.Count; teamIds[team] = id; }
                teams[i] = id;
            }
            double[] v = Native.Values(flat, out int[] defined);
            var flagged = new int[Math.Max(n, 1)];
            var streak = new long[Math.Max(n, 1)];
            Native.Check(Native.kpi_coaching_flags(flagged, streak, v, defined, teams, (UIntPtr)(ulong)n,
                                                   (UIntPtr)(ulong)periods, Native.Count(k, "coaching k", 1),
                                                   percentile, (int)better));
            var flags = new List<CoachingFlag>();
            for (int i = 0; i < n; i++)
            {
                if (flagged[i] == 0) continue;
                flags.Add(new CoachingFlag
                {
                    Index = i, Agent = agents[i].Agent, Team = agents[i].Team, Streak = (int)streak[i],
                    Since = periods - (int)streak[i],
                });
            }
            return flags;
        }

        /// <summary>Runs a detector over a whole series and returns its alerts.</summary>
        public static IList<AnomalyAlert> DetectAnomalies(IList<DateTimeOffset> times, IList<double?> values,
                                                          AnomalyOptions options = null)
        {
            using (var d = new AnomalyDetector(options)) return d.PushMany(times, values);
        }

        /// <summary>Fits a least-squares line to the last n values (null skipped, its index kept).</summary>
        public static TrendFit FitTrend(IList<double?> values, int n)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            double[] v = Native.Values(values, out int[] defined);
            int rc = Native.kpi_trend_fit(out double slope, out double intercept, v, defined,
                                          (UIntPtr)(ulong)values.Count, Native.Count(n, "trend n", 2));
            if (Native.Check(rc) == Native.EUNDEFINED) return new TrendFit();
            return new TrendFit { Slope = slope, Intercept = intercept };
        }

        /// <summary>Projects an additive KPI from its elapsed sub-periods to a period of total sub-periods.</summary>
        public static PeriodProjection ProjectToPeriodEnd(IList<double?> values, int total, int n)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            double[] v = Native.Values(values, out int[] defined);
            var p = new Native.PeriodProjectionStruct { Version = 1 };
            Native.Check(Native.kpi_trend_project(ref p, v, defined, (UIntPtr)(ulong)values.Count,
                                                  Native.Count(total, "total", 0), Native.Count(n, "trend n", 2)));
            return new PeriodProjection
            {
                Actual = p.Actual, RunRate = p.HasRunRate != 0 ? p.RunRate : (double?)null,
                Trend = p.HasTrend != 0 ? p.Trend : (double?)null,
            };
        }
    }
}
