// libkpi from C# in one page: calls in, KPIs per agent out, null for undefined.
// Build: mcs -unsafe -target:library -out:Kpi.dll bindings/csharp/*.cs && mcs -r:Kpi.dll examples/csharp/QuickStart.cs
// Run:   LD_LIBRARY_PATH=build/release/capi mono QuickStart.exe
using System;
using System.Collections.Generic;
using Kpi;

public static class QuickStart
{
    private const long Nov23At0900 = 1795399200000L;  // 2026-11-23 09:00 in Asia/Jakarta, UTC ms
    private const long Minute = 60000L;

    public static int Main()
    {
        using (var engine = new Engine(new[] { Dimension.AgentId }, Period.Day, "Asia/Jakarta"))
        {
            engine.AddCalls(new[]
            {
                CallRecord.Outbound("c1", "A1", Outcome.Connected, Nov23At0900, 312),
                CallRecord.Outbound("c2", "A1", Outcome.NoAnswer, Nov23At0900 + 6 * Minute, 0),
                CallRecord.Outbound("c3", "A2", Outcome.Connected, Nov23At0900 + 2 * Minute, 95),
                CallRecord.Outbound("c4", "A2", Outcome.Voicemail, Nov23At0900 + 4 * Minute, 0),
            });
            var a1 = new Dictionary<Dimension, string> { { Dimension.AgentId, "A1" } };
            Print("connection_rate", "all", engine.Evaluate("connection_rate", null, "2026-11-23"));
            Print("connection_rate", "A1", engine.Evaluate("connection_rate", a1, "2026-11-23"));
            Print("avg_talk_time_s", "all", engine.Evaluate("avg_talk_time_s", null, "2026-11-23"));
            Print("short_call_share", "all", engine.Evaluate("short_call_share", null, "2026-11-23"));
            Print("abandon_rate", "all", engine.Evaluate("abandon_rate", null, "2026-11-23"));  // null: no inbound calls
        }
        return 0;
    }

    private static void Print(string kpi, string who, double? value)
    {
        Console.WriteLine($"{kpi,-22} {who,-4} {(value.HasValue ? value.Value.ToString("F3") : "undefined")}");
    }
}
