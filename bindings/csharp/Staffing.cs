// libkpi for C#: call-centre staffing with Erlang B, Erlang C (M/M/N) and Erlang A (M/M/N+M).
using System;
using System.Runtime.InteropServices;

namespace Kpi
{
    internal static partial class Native
    {
        internal const uint StaffingParamsVersion = 1;
        internal const uint StaffingResultVersion = 1;
        internal const int StaffingErlangC = 0;
        internal const int StaffingErlangA = 1;

        /// <summary>Mirror of kpi_staffing_params (kpi/c/staffing.h), version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct StaffingParamsStruct
        {
            internal uint Version;
            internal int Model;
            internal double Calls;
            internal double IntervalS;
            internal double AhtS;
            internal double AnswerWithinS;
            internal double PatienceS;
            internal double TargetServiceLevel;
            internal double MaxOccupancy;
            internal double Shrinkage;
        }

        /// <summary>Mirror of kpi_staffing_result (kpi/c/staffing.h), version 1.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct StaffingResultStruct
        {
            internal uint Version;
            internal int Agents;
            internal int Scheduled;
            internal int MeetsTarget;
            internal int HasPAbandon;
            internal double ServiceLevel;
            internal double PWait;
            internal double AsaS;
            internal double MeanWaitS;
            internal double Occupancy;
            internal double PAbandon;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_params_init(out StaffingParamsStruct parameters, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_result_init(out StaffingResultStruct result, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_erlang_b(out double result, int agents, double traffic);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_erlang_c(out double result, int agents, double traffic);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_evaluate(ref StaffingResultStruct result,
                                                         ref StaffingParamsStruct parameters, int agents);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_staffing_solve(ref StaffingResultStruct result,
                                                      ref StaffingParamsStruct parameters);
    }

    /// <summary>One interval's offered load, service-level definition and planning constraints. Times
    /// are seconds, shares are fractions 0..1. Leave <see cref="PatienceS"/> null for Erlang C (callers
    /// never hang up); set it for Erlang A.</summary>
    public sealed class StaffingQuery
    {
        /// <summary>Calls offered in the interval, &gt; 0.</summary>
        public double Calls { get; set; }
        /// <summary>Interval length in seconds, &gt; 0 (default 1800).</summary>
        public double IntervalS { get; set; } = 1800.0;
        /// <summary>Average handle time in seconds, &gt; 0.</summary>
        public double AhtS { get; set; }
        /// <summary>Service-level threshold in seconds, &gt;= 0 (default 20).</summary>
        public double AnswerWithinS { get; set; } = 20.0;
        /// <summary>Mean patience in seconds (exponential), &gt; 0; null selects Erlang C.</summary>
        public double? PatienceS { get; set; }
        /// <summary>Target share answered within the threshold, in [0, 1) (default 0.8).</summary>
        public double TargetServiceLevel { get; set; } = 0.8;
        /// <summary>Occupancy cap, in (0, 1] (default 1: no cap).</summary>
        public double MaxOccupancy { get; set; } = 1.0;
        /// <summary>Share of paid time off the phones, in [0, 1) (default 0).</summary>
        public double Shrinkage { get; set; }
    }

    /// <summary>The measures of one staffing level (immutable).</summary>
    public sealed class StaffingResult
    {
        /// <summary>Agents on the phones.</summary>
        public int Agents { get; }
        /// <summary>Agents to schedule: ceil(Agents / (1 − shrinkage)).</summary>
        public int Scheduled { get; }
        /// <summary>Whether the service level reaches the target and occupancy is within the cap.</summary>
        public bool MeetsTarget { get; }
        /// <summary>Share of all calls answered within the threshold, 0..1.</summary>
        public double ServiceLevel { get; }
        /// <summary>Probability that a call waits, 0..1.</summary>
        public double PWait { get; }
        /// <summary>Average speed of answer: mean wait of answered calls, seconds.</summary>
        public double AsaS { get; }
        /// <summary>Mean wait of all arrivals (abandoned ones included), seconds.</summary>
        public double MeanWaitS { get; }
        /// <summary>Share of agents' time handling calls, 0..1.</summary>
        public double Occupancy { get; }
        /// <summary>Probability of abandoning (Erlang A); null under Erlang C.</summary>
        public double? PAbandon { get; }

        internal StaffingResult(Native.StaffingResultStruct r)
        {
            Agents = r.Agents;
            Scheduled = r.Scheduled;
            MeetsTarget = r.MeetsTarget != 0;
            ServiceLevel = r.ServiceLevel;
            PWait = r.PWait;
            AsaS = r.AsaS;
            MeanWaitS = r.MeanWaitS;
            Occupancy = r.Occupancy;
            PAbandon = r.HasPAbandon != 0 ? r.PAbandon : (double?)null;
        }
    }

    /// <summary>Call-centre staffing: Erlang B, Erlang C and Erlang A, and the agents needed for a
    /// service-level target. All methods are thread-safe. Out-of-range input throws
    /// <see cref="KpiArgumentException"/>; a staffing beyond ten million agents throws
    /// <see cref="KpiException"/> with <see cref="Status.NoConvergence"/>.</summary>
    public static class Staffing
    {
        /// <summary>Erlang B: the probability that a call is blocked on <paramref name="agents"/> servers
        /// with no queue. <paramref name="traffic"/> is in Erlangs, &gt; 0.</summary>
        public static double ErlangB(int agents, double traffic)
        {
            Native.Check(Native.kpi_staffing_erlang_b(out double b, agents, traffic));
            return b;
        }

        /// <summary>Erlang C: the probability that a call waits; needs agents &gt; traffic.</summary>
        public static double ErlangC(int agents, double traffic)
        {
            Native.Check(Native.kpi_staffing_erlang_c(out double c, agents, traffic));
            return c;
        }

        /// <summary>The measures of <paramref name="agents"/> agents on the phones.</summary>
        public static StaffingResult Evaluate(StaffingQuery query, int agents)
        {
            var p = ToNative(query);
            var r = NewResult();
            Native.Check(Native.kpi_staffing_evaluate(ref r, ref p, agents));
            return new StaffingResult(r);
        }

        /// <summary>The smallest number of agents that meets the query's target within its occupancy
        /// cap, and its measures.</summary>
        public static StaffingResult Solve(StaffingQuery query)
        {
            var p = ToNative(query);
            var r = NewResult();
            Native.Check(Native.kpi_staffing_solve(ref r, ref p));
            return new StaffingResult(r);
        }

        private static Native.StaffingParamsStruct ToNative(StaffingQuery query)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            Native.Check(Native.kpi_staffing_params_init(out var p, Native.StaffingParamsVersion));
            p.Calls = query.Calls;
            p.IntervalS = query.IntervalS;
            p.AhtS = query.AhtS;
            p.AnswerWithinS = query.AnswerWithinS;
            p.Model = query.PatienceS.HasValue ? Native.StaffingErlangA : Native.StaffingErlangC;
            p.PatienceS = query.PatienceS ?? 0.0;
            p.TargetServiceLevel = query.TargetServiceLevel;
            p.MaxOccupancy = query.MaxOccupancy;
            p.Shrinkage = query.Shrinkage;
            return p;
        }

        private static Native.StaffingResultStruct NewResult()
        {
            Native.Check(Native.kpi_staffing_result_init(out var r, Native.StaffingResultVersion));
            return r;
        }
    }
}
