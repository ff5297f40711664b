// A small test runner for the C# binding: every public static void method marked [Test] in this
// assembly runs once; the run ends with "N passed, N failed". (No unit-test framework is packaged for
// Debian's mono that we could rely on, and this is all the suite needs.)
using System;
using System.Linq;
using System.Reflection;

namespace Kpi.Tests
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestAttribute : Attribute { }

    public static class Assert
    {
        public static void True(bool condition, string what)
        {
            if (!condition) throw new Exception("expected true: " + what);
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!Equals(expected, actual)) throw new Exception($"{what}: expected {expected}, got {actual}");
        }

        public static void Near(double expected, double? actual, double tolerance, string what)
        {
            if (actual == null || Math.Abs(expected - actual.Value) > tolerance)
                throw new Exception($"{what}: expected {expected} +- {tolerance}, got {actual}");
        }

        public static TException Throws<TException>(Action action, string what) where TException : Exception
        {
            try { action(); }
            catch (TException e) { return e; }
            catch (Exception e) { throw new Exception($"{what}: expected {typeof(TException).Name}, got {e.GetType().Name}: {e.Message}"); }
            throw new Exception($"{what}: expected {typeof(TException).Name}, nothing thrown");
        }
    }

    public static class TestRunner
    {
        public static int Main()
        {
            var tests = Assembly.GetExecutingAssembly().GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                .Where(m => m.GetCustomAttribute<TestAttribute>() != null)
                .OrderBy(m => m.DeclaringType.Name + "." + m.Name);
            int passed = 0, failed = 0;
            foreach (var test in tests)
            {
                string name = test.DeclaringType.Name + "." + test.Name;
                try
                {
                    test.Invoke(null, null);
                    passed++;
                    Console.WriteLine("[ OK ] " + name);
                }
                catch (TargetInvocationException e)
                {
                    failed++;
                    Console.WriteLine("[FAIL] " + name + ": " + e.InnerException.Message);
                }
            }
            Console.WriteLine($"{passed} passed, {failed} failed");
            return failed == 0 && passed > 0 ? 0 : 1;
        }
    }
}
