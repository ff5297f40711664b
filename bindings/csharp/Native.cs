// libkpi for C#: P/Invoke over the stable C ABI (libkpi.so), status codes turned into exceptions.
//
// Native holds the raw DllImport declarations; each module adds its own in a `partial class Native`
// of its file. The public API lives in the module classes (Staffing, Models, ...).
using System;
using System.Runtime.InteropServices;

namespace Kpi
{
    /// <summary>Raw entry points of libkpi.so. Internal: use the public classes.</summary>
    internal static partial class Native
    {
        /// <summary>The library name: mono and .NET resolve it to libkpi.so (LD_LIBRARY_PATH or the
        /// system's library path).</summary>
        internal const string Lib = "kpi";

        internal const int OK = 0;
        internal const int EUNDEFINED = -1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr kpi_status_str(int status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr kpi_last_error_message();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_version_number();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr kpi_version_string();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int kpi_abi_version();

        /// <summary>Throws the KpiException for an error status; returns OK or EUNDEFINED as given.
        /// Must run on the thread that made the call (the last error message is thread-local).</summary>
        internal static int Check(int status)
        {
            if (status < 0 && status != EUNDEFINED)
            {
                string detail = Marshal.PtrToStringAnsi(kpi_last_error_message()) ?? "";
                string text = Marshal.PtrToStringAnsi(kpi_status_str(status)) ?? "";
                throw KpiException.For(status, detail.Length > 0 ? detail : text);
            }
            return status;
        }

        /// <summary>value for OK, null for EUNDEFINED, an exception for any other status.</summary>
        internal static double? Defined(int status, double value)
        {
            return Check(status) == EUNDEFINED ? (double?)null : value;
        }
    }

    /// <summary>The pinned status codes of kpi/kpi.h.</summary>
    public enum Status
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>The result is undefined (zero denominator); APIs return null instead.</summary>
        Undefined = -1,
        /// <summary>A parameter outside its documented range.</summary>
        InvalidArgument = -2,
        /// <summary>A required pointer was null.</summary>
        NullPointer = -3,
        /// <summary>A struct version the library does not know.</summary>
        BadVersion = -4,
        /// <summary>A caller buffer is too small.</summary>
        BufferTooSmall = -5,
        /// <summary>A KPI id that is not in the catalog.</summary>
        UnknownKpi = -6,
        /// <summary>Two currencies without rates, or an unknown ISO 4217 code.</summary>
        CurrencyMismatch = -7,
        /// <summary>Money arithmetic that would overflow.</summary>
        Overflow = -8,
        /// <summary>Input that does not parse.</summary>
        Parse = -9,
        /// <summary>Corrupt or truncated serialized state.</summary>
        Corrupt = -10,
        /// <summary>Out of memory.</summary>
        NoMemory = -11,
        /// <summary>A group, period or name that does not exist.</summary>
        NotFound = -12,
        /// <summary>A fit or solver that did not converge.</summary>
        NoConvergence = -13,
        /// <summary>A file could not be read or written.</summary>
        Io = -14,
        /// <summary>A bug in libkpi.</summary>
        Internal = -99,
    }

    /// <summary>An error reported by libkpi, with its status code and the library's message.</summary>
    public class KpiException : Exception
    {
        /// <summary>The pinned C status code.</summary>
        public Status Status { get; }

        /// <summary>Creates an exception for a status code and message.</summary>
        public KpiException(Status status, string message) : base(message) { Status = status; }

        internal static Exception For(int status, string message)
        {
            switch ((Status)status)
            {
                case Kpi.Status.InvalidArgument: return new KpiArgumentException(message);
                case Kpi.Status.NoMemory: return new OutOfMemoryException(message);
                default: return new KpiException((Status)status, message);
            }
        }
    }

    /// <summary>A parameter outside its documented range (KPI_EINVAL).</summary>
    public class KpiArgumentException : KpiException
    {
        /// <summary>Creates the exception.</summary>
        public KpiArgumentException(string message) : base(Kpi.Status.InvalidArgument, message) { }
    }

    /// <summary>Version information of the loaded libkpi.so.</summary>
    public static class Library
    {
        /// <summary>The version as "major.minor.patch".</summary>
        public static string Version => Marshal.PtrToStringAnsi(Native.kpi_version_string());

        /// <summary>The version as major * 10000 + minor * 100 + patch.</summary>
        public static int VersionNumber => Native.kpi_version_number();

        /// <summary>The ABI major version (the SONAME number).</summary>
        public static int AbiVersion => Native.kpi_abi_version();

        /// <summary>The library's static text for a status code.</summary>
        public static string StatusText(Status status) => Marshal.PtrToStringAnsi(Native.kpi_status_str((int)status));
    }
}
