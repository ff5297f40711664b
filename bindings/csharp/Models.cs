// libkpi for C#: customer value models (kpi/c/models.h): customer summaries, BG/NBD purchases and
// P(alive), Gamma-Gamma value, predictive CLV, and the shifted-beta-geometric model of retention.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Kpi
{
    internal static partial class Native
    {
        internal const uint ModelsVersion = 1;

        [StructLayout(LayoutKind.Sequential)]
        internal struct FitOptionsStruct
        {
            internal uint Version;
            internal int MaxIterations;
            internal double Tolerance;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct SummaryOptionsStruct
        {
            internal uint Version;
            internal int Unit;
            internal int HasCalibrationEnd;
            internal int Reserved;
            internal long CalibrationEndMs;
            [MarshalAs(UnmanagedType.LPStr)] internal string TimeZone;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct CustomerStruct
        {
            internal uint Version;
            internal IntPtr Id;
            internal double X;
            internal double Tx;
            internal double T;
            internal double Zbar;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct BgNbdStruct
        {
            internal uint Version;
            internal int Iterations;
            internal long Customers;
            internal double R;
            internal double Alpha;
            internal double A;
            internal double B;
            internal double LogLik;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct GammaGammaStruct
        {
            internal uint Version;
            internal int Iterations;
            internal long Customers;
            internal double P;
            internal double Q;
            internal double Gamma;
            internal double LogLik;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ClvOptionsStruct
        {
            internal uint Version;
            internal int HorizonMonths;
            internal int Unit;
            internal int Reserved;
            internal double MonthlyDiscount;
            internal double UnitsPerMonth;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct SbgStruct
        {
            internal uint Version;
            internal int Iterations;
            internal double Alpha;
            internal double Beta;
            internal double LogLik;
        }

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_models_units_per_month(out double result, int unit);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_fit_options_init(out FitOptionsStruct options, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_summary_options_init(out SummaryOptionsStruct options, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_clv_options_init(out ClvOptionsStruct options, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_new(out CustomerSetHandle set);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void kpi_customer_set_free(IntPtr set);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_add(CustomerSetHandle set, ref CustomerStruct customer);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_add_transactions(
            CustomerSetHandle set, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string[] ids,
            long[] timeMs, double[] amounts, UIntPtr count, ref SummaryOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_read_transactions(CustomerSetHandle set,
                                                                      [MarshalAs(UnmanagedType.LPStr)] string path,
                                                                      ref SummaryOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_read_summary_csv(CustomerSetHandle set,
                                                                     [MarshalAs(UnmanagedType.LPStr)] string path);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_count(out UIntPtr count, CustomerSetHandle set);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_get(ref CustomerStruct customer, CustomerSetHandle set, UIntPtr index);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_customer_set_columns(double[] x, double[] tx, double[] T, double[] zbar,
                                                            UIntPtr capacity, CustomerSetHandle set);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_fit(ref BgNbdStruct model, double[] x, double[] tx, double[] T,
                                                 UIntPtr count, ref FitOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_loglik(out double result, ref BgNbdStruct model, double[] x, double[] tx,
                                                    double[] T, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_expected_purchases(out double result, ref BgNbdStruct model, double t);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_conditional_expected_purchases(double[] result, ref BgNbdStruct model,
                                                                            double t, double[] x, double[] tx,
                                                                            double[] T, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_p_alive(double[] result, ref BgNbdStruct model, double[] x, double[] tx,
                                                     double[] T, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_bgnbd_p_purchases(out double result, ref BgNbdStruct model, double t, uint n);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_gamma_gamma_fit(ref GammaGammaStruct model, double[] x, double[] zbar,
                                                       UIntPtr count, ref FitOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_gamma_gamma_loglik(out double result, ref GammaGammaStruct model, double[] x,
                                                          double[] zbar, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_gamma_gamma_expected_value(double[] result, int[] defined,
                                                                  ref GammaGammaStruct model, double[] x,
                                                                  double[] zbar, UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_clv(double[] result, int[] defined, ref BgNbdStruct purchases,
                                           ref GammaGammaStruct value, double[] x, double[] tx, double[] T,
                                           double[] zbar, UIntPtr count, ref ClvOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_fit(ref SbgStruct model, double[] survivors, UIntPtr count,
                                               ref FitOptionsStruct options);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_loglik(out double result, ref SbgStruct model, double[] survivors,
                                                  UIntPtr count);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_survival(out double result, ref SbgStruct model, uint t);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_churn_probability(out double result, ref SbgStruct model, uint t);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_retention(out double result, ref SbgStruct model, uint t);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_sbg_project_survival(double[] result, UIntPtr count, ref SbgStruct model);

        internal static FitOptionsStruct ModelsFitOptions(FitOptions options)
        {
            Check(kpi_fit_options_init(out var o, ModelsVersion));
            if (options != null)
            {
                o.MaxIterations = options.MaxIterations;
                o.Tolerance = options.Tolerance;
            }
            return o;
        }

        /// <summary>Checks that parallel arrays (given as name, array, name, array, ...) are non-null and
        /// of one length; returns it.</summary>
        internal static UIntPtr ModelsSameLength(params object[] namesAndArrays)
        {
            int n = -1;
            for (int i = 0; i + 1 < namesAndArrays.Length; i += 2)
            {
                var name = (string)namesAndArrays[i];
                if (!(namesAndArrays[i + 1] is Array values)) throw new ArgumentNullException(name);
                if (n >= 0 && values.Length != n)
                    throw new KpiArgumentException($"{name} has {values.Length} elements, expected {n}");
                n = values.Length;
            }
            return (UIntPtr)(ulong)Math.Max(n, 0);
        }
    }

    /// <summary>Owns a native kpi_customer_set; freed by the runtime's SafeHandle machinery.</summary>
    public sealed class CustomerSetHandle : SafeHandle
    {
        private CustomerSetHandle() : base(IntPtr.Zero, true) { }

        /// <summary>True when no set is held.</summary>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>Frees the set.</summary>
        protected override bool ReleaseHandle()
        {
            Native.kpi_customer_set_free(handle);
            return true;
        }
    }

    /// <summary>The time unit of customer summaries and models (pinned values of KPI_TIME_UNIT_*).</summary>
    public enum TimeUnit
    {
        /// <summary>One calendar day.</summary>
        Day = 0,
        /// <summary>Seven days (the unit of the CDNOW benchmark).</summary>
        Week = 1,
    }

    /// <summary>How a maximum-likelihood fit iterates (BFGS over the log-parameters).</summary>
    public sealed class FitOptions
    {
        /// <summary>At most this many iterations, &gt;= 1 (default 500).</summary>
        public int MaxIterations { get; set; } = 500;
        /// <summary>Gradient tolerance relative to 1 + |log-likelihood|, in (0, 1) (default 1e-9).</summary>
        public double Tolerance { get; set; } = 1e-9;
    }

    /// <summary>How transactions become customer summaries. Purchases are counted per calendar day.</summary>
    public sealed class SummaryOptions
    {
        /// <summary>Unit of t_x and T (default weeks).</summary>
        public TimeUnit Unit { get; set; } = TimeUnit.Week;
        /// <summary>An instant in the last day of the calibration period (purchases on that day count, T
        /// runs to its start); null: the day of the last purchase.</summary>
        public DateTimeOffset? CalibrationEnd { get; set; }
        /// <summary>IANA zone whose days group the purchases ("Asia/Jakarta"); null for UTC.</summary>
        public string TimeZone { get; set; }

        internal Native.SummaryOptionsStruct ToNative()
        {
            Native.Check(Native.kpi_summary_options_init(out var o, Native.ModelsVersion));
            o.Unit = (int)Unit;
            if (CalibrationEnd.HasValue)
            {
                o.HasCalibrationEnd = 1;
                o.CalibrationEndMs = CalibrationEnd.Value.ToUnixTimeMilliseconds();
            }
            o.TimeZone = TimeZone;
            return o;
        }
    }

    /// <summary>One customer summary; times in the summary's unit.</summary>
    public sealed class Customer
    {
        /// <summary>Customer id.</summary>
        public string Id { get; }
        /// <summary>Repeat purchases in the calibration period (a whole number).</summary>
        public double X { get; }
        /// <summary>Time of the last purchase after the first.</summary>
        public double Tx { get; }
        /// <summary>Time from the first purchase to the end of the calibration period.</summary>
        public double T { get; }
        /// <summary>Mean value of the repeat purchases (0 without any).</summary>
        public double Zbar { get; }

        /// <summary>Creates a summary.</summary>
        public Customer(string id, double x, double tx, double t, double zbar)
        {
            Id = id;
            X = x;
            Tx = tx;
            T = t;
            Zbar = zbar;
        }
    }

    /// <summary>An ordered set of customer summaries held by the library. Not thread-safe for
    /// modification; dispose it (or let the finalizer free it).</summary>
    public sealed class CustomerSet : IReadOnlyList<Customer>, IDisposable
    {
        private readonly CustomerSetHandle handle;

        /// <summary>An empty set.</summary>
        public CustomerSet()
        {
            Native.Check(Native.kpi_customer_set_new(out handle));
        }

        /// <summary>Reads a customer summary CSV (ID, x or frequency, t_x or recency, T, zbar or
        /// monetary_value; the CDNOW summary files read as given).</summary>
        public static CustomerSet ReadSummaryCsv(string path)
        {
            var s = new CustomerSet();
            Native.Check(Native.kpi_customer_set_read_summary_csv(s.handle, path));
            return s;
        }

        /// <summary>Reads transactions (CSV with customer_id, time, amount, or the CDNOW layout) and
        /// summarizes them per customer.</summary>
        public static CustomerSet ReadTransactions(string path, SummaryOptions options = null)
        {
            var s = new CustomerSet();
            var o = (options ?? new SummaryOptions()).ToNative();
            Native.Check(Native.kpi_customer_set_read_transactions(s.handle, path, ref o));
            return s;
        }

        /// <summary>Summarizes transactions given as parallel arrays (ids, Unix ms UTC, amounts); customers
        /// come out in order of first appearance.</summary>
        public static CustomerSet FromTransactions(string[] customerIds, long[] timeMs, double[] amounts,
                                                   SummaryOptions options = null)
        {
            var n = Native.ModelsSameLength("customerIds", customerIds, "timeMs", timeMs, "amounts", amounts);
            var s = new CustomerSet();
            var o = (options ?? new SummaryOptions()).ToNative();
            Native.Check(Native.kpi_customer_set_add_transactions(s.handle, customerIds, timeMs, amounts, n, ref o));
            return s;
        }

        /// <summary>Appends one summary (validated).</summary>
        public void Add(Customer customer)
        {
            if (customer == null) throw new ArgumentNullException(nameof(customer));
            IntPtr id = Marshal.StringToHGlobalAnsi(customer.Id ?? "");
            try
            {
                var c = new Native.CustomerStruct
                {
                    Version = Native.ModelsVersion, Id = id, X = customer.X, Tx = customer.Tx, T = customer.T,
                    Zbar = customer.Zbar,
                };
                Native.Check(Native.kpi_customer_set_add(handle, ref c));
            }
            finally
            {
                Marshal.FreeHGlobal(id);
            }
        }

        /// <summary>The number of customers.</summary>
        public int Count
        {
            get
            {
                Native.Check(Native.kpi_customer_set_count(out var n, handle));
                return (int)n.ToUInt64();
            }
        }

        /// <summary>The customer at <paramref name="index"/>.</summary>
        public Customer this[int index]
        {
            get
            {
                if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index));
                var c = new Native.CustomerStruct { Version = Native.ModelsVersion };
                Native.Check(Native.kpi_customer_set_get(ref c, handle, (UIntPtr)(ulong)index));
                return new Customer(Marshal.PtrToStringAnsi(c.Id) ?? "", c.X, c.Tx, c.T, c.Zbar);
            }
        }

        /// <summary>The summaries as four parallel arrays.</summary>
        public void Columns(out double[] x, out double[] tx, out double[] t, out double[] zbar)
        {
            int n = Count;
            x = new double[n];
            tx = new double[n];
            t = new double[n];
            zbar = new double[n];
            Native.Check(Native.kpi_customer_set_columns(x, tx, t, zbar, (UIntPtr)(ulong)n, handle));
        }

        /// <summary>Enumerates the customers in order.</summary>
        public IEnumerator<Customer> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Frees the native set.</summary>
        public void Dispose() => handle.Dispose();
    }

    /// <summary>A BG/NBD model (Fader, Hardie &amp; Lee 2005); times in the unit of the summaries it was
    /// fitted on. Immutable; all methods are thread-safe.</summary>
    public sealed class BgNbd
    {
        /// <summary>Gamma shape of purchase rates.</summary>
        public double R { get; }
        /// <summary>Gamma scale of purchase rates (model time unit).</summary>
        public double Alpha { get; }
        /// <summary>Beta shape of the drop-out probability.</summary>
        public double A { get; }
        /// <summary>Beta shape of the drop-out probability.</summary>
        public double B { get; }
        /// <summary>Log-likelihood at the estimates; null when not fitted.</summary>
        public double? LogLikelihood { get; }
        /// <summary>Iterations of the fit.</summary>
        public int Iterations { get; }
        /// <summary>Customers in the fit.</summary>
        public long Customers { get; }

        /// <summary>A model with known parameters (all &gt; 0).</summary>
        public BgNbd(double r, double alpha, double a, double b) : this(r, alpha, a, b, null, 0, 0) { }

        private BgNbd(double r, double alpha, double a, double b, double? loglik, int iterations, long customers)
        {
            R = r;
            Alpha = alpha;
            A = a;
            B = b;
            LogLikelihood = loglik;
            Iterations = iterations;
            Customers = customers;
        }

        internal Native.BgNbdStruct Raw() =>
            new Native.BgNbdStruct { Version = Native.ModelsVersion, R = R, Alpha = Alpha, A = A, B = B };

        /// <summary>Fits BG/NBD by maximum likelihood.</summary>
        public static BgNbd Fit(double[] x, double[] tx, double[] t, FitOptions options = null)
        {
            var n = Native.ModelsSameLength("x", x, "tx", tx, "t", t);
            var raw = new Native.BgNbdStruct { Version = Native.ModelsVersion };
            var o = Native.ModelsFitOptions(options);
            Native.Check(Native.kpi_bgnbd_fit(ref raw, x, tx, t, n, ref o));
            return new BgNbd(raw.R, raw.Alpha, raw.A, raw.B, raw.LogLik, raw.Iterations, raw.Customers);
        }

        /// <summary>Fits BG/NBD on a customer set.</summary>
        public static BgNbd Fit(CustomerSet customers, FitOptions options = null)
        {
            if (customers == null) throw new ArgumentNullException(nameof(customers));
            customers.Columns(out var x, out var tx, out var t, out _);
            return Fit(x, tx, t, options);
        }

        /// <summary>The log-likelihood of these parameters for the customers.</summary>
        public double LogLikelihoodOf(double[] x, double[] tx, double[] t)
        {
            var n = Native.ModelsSameLength("x", x, "tx", tx, "t", t);
            var raw = Raw();
            Native.Check(Native.kpi_bgnbd_loglik(out double ll, ref raw, x, tx, t, n));
            return ll;
        }

        /// <summary>E[X(t)]: expected purchases of a new customer in (0, t].</summary>
        public double ExpectedPurchases(double t)
        {
            var raw = Raw();
            Native.Check(Native.kpi_bgnbd_expected_purchases(out double e, ref raw, t));
            return e;
        }

        /// <summary>E[Y(t) | x, t_x, T] for each customer.</summary>
        public double[] ConditionalExpectedPurchases(double t, double[] x, double[] tx, double[] age)
        {
            var n = Native.ModelsSameLength("x", x, "tx", tx, "age", age);
            var result = new double[x.Length];
            var raw = Raw();
            Native.Check(Native.kpi_bgnbd_conditional_expected_purchases(result, ref raw, t, x, tx, age, n));
            return result;
        }

        /// <summary>E[Y(t) | x, t_x, T] for one customer.</summary>
        public double ConditionalExpectedPurchases(double t, double x, double tx, double age) =>
            ConditionalExpectedPurchases(t, new[] { x }, new[] { tx }, new[] { age })[0];

        /// <summary>P(alive | x, t_x, T) for each customer (1 when x = 0).</summary>
        public double[] PAlive(double[] x, double[] tx, double[] age)
        {
            var n = Native.ModelsSameLength("x", x, "tx", tx, "age", age);
            var result = new double[x.Length];
            var raw = Raw();
            Native.Check(Native.kpi_bgnbd_p_alive(result, ref raw, x, tx, age, n));
            return result;
        }

        /// <summary>P(alive | x, t_x, T) for one customer.</summary>
        public double PAlive(double x, double tx, double age) => PAlive(new[] { x }, new[] { tx }, new[] { age })[0];

        /// <summary>P(X(t) = n): probability of exactly n purchases in (0, t] for a new customer.</summary>
        public double PPurchases(double t, uint n)
        {
            var raw = Raw();
            Native.Check(Native.kpi_bgnbd_p_purchases(out double p, ref raw, t, n));
            return p;
        }
    }

    /// <summary>A Gamma-Gamma value model (Fader &amp; Hardie; Colombo &amp; Jiang 1999). Immutable.</summary>
    public sealed class GammaGamma
    {
        /// <summary>Shape of the per-purchase value distribution.</summary>
        public double P { get; }
        /// <summary>Shape of the distribution of nu across customers.</summary>
        public double Q { get; }
        /// <summary>Scale of that distribution (currency units).</summary>
        public double Gamma { get; }
        /// <summary>Log-likelihood at the estimates; null when not fitted.</summary>
        public double? LogLikelihood { get; }
        /// <summary>Iterations of the fit.</summary>
        public int Iterations { get; }
        /// <summary>Customers in the fit (x &gt;= 1 and zbar &gt; 0).</summary>
        public long Customers { get; }

        /// <summary>A model with known parameters (all &gt; 0).</summary>
        public GammaGamma(double p, double q, double gamma) : this(p, q, gamma, null, 0, 0) { }

        private GammaGamma(double p, double q, double gamma, double? loglik, int iterations, long customers)
        {
            P = p;
            Q = q;
            Gamma = gamma;
            LogLikelihood = loglik;
            Iterations = iterations;
            Customers = customers;
        }

        internal Native.GammaGammaStruct Raw() =>
            new Native.GammaGammaStruct { Version = Native.ModelsVersion, P = P, Q = Q, Gamma = Gamma };

        /// <summary>Fits Gamma-Gamma on the customers with x &gt;= 1 and zbar &gt; 0.</summary>
        public static GammaGamma Fit(double[] x, double[] zbar, FitOptions options = null)
        {
            var n = Native.ModelsSameLength("x", x, "zbar", zbar);
            var raw = new Native.GammaGammaStruct { Version = Native.ModelsVersion };
            var o = Native.ModelsFitOptions(options);
            Native.Check(Native.kpi_gamma_gamma_fit(ref raw, x, zbar, n, ref o));
            return new GammaGamma(raw.P, raw.Q, raw.Gamma, raw.LogLik, raw.Iterations, raw.Customers);
        }

        /// <summary>Fits Gamma-Gamma on a customer set.</summary>
        public static GammaGamma Fit(CustomerSet customers, FitOptions options = null)
        {
            if (customers == null) throw new ArgumentNullException(nameof(customers));
            customers.Columns(out var x, out _, out _, out var zbar);
            return Fit(x, zbar, options);
        }

        /// <summary>E[M | x, zbar] = p (gamma + x zbar) / (p x + q − 1) for each customer; null where
        /// p x + q &lt;= 1.</summary>
        public double?[] ExpectedValue(double[] x, double[] zbar)
        {
            var n = Native.ModelsSameLength("x", x, "zbar", zbar);
            var values = new double[x.Length];
            var defined = new int[x.Length];
            var raw = Raw();
            Native.Check(Native.kpi_gamma_gamma_expected_value(values, defined, ref raw, x, zbar, n));
            var result = new double?[x.Length];
            for (int i = 0; i < x.Length; i++) result[i] = defined[i] != 0 ? values[i] : (double?)null;
            return result;
        }

        /// <summary>E[M | x, zbar] for one customer; null where undefined.</summary>
        public double? ExpectedValue(double x, double zbar) => ExpectedValue(new[] { x }, new[] { zbar })[0];
    }

    /// <summary>How CLV is discounted and over which horizon.</summary>
    public sealed class ClvOptions
    {
        /// <summary>Months to sum over, &gt;= 0 (default 12).</summary>
        public int HorizonMonths { get; set; } = 12;
        /// <summary>Discount rate per month, a fraction &gt;= 0 (default 0.01).</summary>
        public double MonthlyDiscount { get; set; } = 0.01;
        /// <summary>The models' time unit (default weeks).</summary>
        public TimeUnit Unit { get; set; } = TimeUnit.Week;
        /// <summary>Model time units per month; null takes 4.345 weeks or 30.415 days.</summary>
        public double? UnitsPerMonth { get; set; }
    }

    /// <summary>Predictive CLV: sum over months k of E[M] (E[Y(k f)] − E[Y((k − 1) f)]) / (1 + d)^k.</summary>
    public static class Clv
    {
        /// <summary>Model time units in a month: 4.345 weeks or 30.415 days.</summary>
        public static double UnitsPerMonth(TimeUnit unit)
        {
            Native.Check(Native.kpi_models_units_per_month(out double f, (int)unit));
            return f;
        }

        /// <summary>The CLV of each customer; null where E[M] is undefined.</summary>
        public static double?[] Compute(BgNbd purchases, GammaGamma value, double[] x, double[] tx, double[] age,
                                        double[] zbar, ClvOptions options = null)
        {
            if (purchases == null) throw new ArgumentNullException(nameof(purchases));
            if (value == null) throw new ArgumentNullException(nameof(value));
            var n = Native.ModelsSameLength("x", x, "tx", tx, "age", age, "zbar", zbar);
            var opts = options ?? new ClvOptions();
            Native.Check(Native.kpi_clv_options_init(out var o, Native.ModelsVersion));
            o.HorizonMonths = opts.HorizonMonths;
            o.MonthlyDiscount = opts.MonthlyDiscount;
            o.Unit = (int)opts.Unit;
            o.UnitsPerMonth = opts.UnitsPerMonth ?? 0.0;
            var bg = purchases.Raw();
            var gg = value.Raw();
            var values = new double[x.Length];
            var defined = new int[x.Length];
            Native.Check(Native.kpi_clv(values, defined, ref bg, ref gg, x, tx, age, zbar, n, ref o));
            var result = new double?[x.Length];
            for (int i = 0; i < x.Length; i++) result[i] = defined[i] != 0 ? values[i] : (double?)null;
            return result;
        }

        /// <summary>The CLV of one customer; null where E[M] is undefined.</summary>
        public static double? Compute(BgNbd purchases, GammaGamma value, double x, double tx, double age, double zbar,
                                      ClvOptions options = null) =>
            Compute(purchases, value, new[] { x }, new[] { tx }, new[] { age }, new[] { zbar }, options)[0];
    }

    /// <summary>A shifted-beta-geometric model of contract duration (Fader &amp; Hardie 2007).
    /// Immutable.</summary>
    public sealed class Sbg
    {
        /// <summary>Beta shape of the cancellation probability.</summary>
        public double Alpha { get; }
        /// <summary>Beta shape of the cancellation probability.</summary>
        public double Beta { get; }
        /// <summary>Log-likelihood at the estimates; null when not fitted.</summary>
        public double? LogLikelihood { get; }
        /// <summary>Iterations of the fit.</summary>
        public int Iterations { get; }

        /// <summary>A model with known parameters (both &gt; 0).</summary>
        public Sbg(double alpha, double beta) : this(alpha, beta, null, 0) { }

        private Sbg(double alpha, double beta, double? loglik, int iterations)
        {
            Alpha = alpha;
            Beta = beta;
            LogLikelihood = loglik;
            Iterations = iterations;
        }

        private Native.SbgStruct Raw() =>
            new Native.SbgStruct { Version = Native.ModelsVersion, Alpha = Alpha, Beta = Beta };

        /// <summary>Fits the model to one cohort's survivor counts (survivors[0] at the start).</summary>
        public static Sbg Fit(double[] survivors, FitOptions options = null)
        {
            var n = Native.ModelsSameLength("survivors", survivors);
            var raw = new Native.SbgStruct { Version = Native.ModelsVersion };
            var o = Native.ModelsFitOptions(options);
            Native.Check(Native.kpi_sbg_fit(ref raw, survivors, n, ref o));
            return new Sbg(raw.Alpha, raw.Beta, raw.LogLik, raw.Iterations);
        }

        /// <summary>The log-likelihood for one cohort's survivor counts.</summary>
        public double LogLikelihoodOf(double[] survivors)
        {
            var n = Native.ModelsSameLength("survivors", survivors);
            var raw = Raw();
            Native.Check(Native.kpi_sbg_loglik(out double ll, ref raw, survivors, n));
            return ll;
        }

        /// <summary>S(t): share of a new cohort still active after t renewal opportunities.</summary>
        public double Survival(uint t)
        {
            var raw = Raw();
            Native.Check(Native.kpi_sbg_survival(out double s, ref raw, t));
            return s;
        }

        /// <summary>P(T = t): probability of cancelling at the end of period t &gt;= 1.</summary>
        public double ChurnProbability(uint t)
        {
            var raw = Raw();
            Native.Check(Native.kpi_sbg_churn_probability(out double p, ref raw, t));
            return p;
        }

        /// <summary>r_t = S(t) / S(t − 1), the retention rate of period t &gt;= 1.</summary>
        public double Retention(uint t)
        {
            var raw = Raw();
            Native.Check(Native.kpi_sbg_retention(out double r, ref raw, t));
            return r;
        }

        /// <summary>S(0), S(1), ..., S(periods).</summary>
        public double[] Project(int periods)
        {
            if (periods < 0) throw new KpiArgumentException("periods must be >= 0, got " + periods);
            var result = new double[periods + 1];
            var raw = Raw();
            Native.Check(Native.kpi_sbg_project_survival(result, (UIntPtr)(ulong)result.Length, ref raw));
            return result;
        }
    }
}
