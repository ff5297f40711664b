"""libkpi from Python in one page: a numpy batch of calls, KPIs per agent, None for undefined.

Run: PYTHONPATH=bindings/python KPI_LIBRARY=build/release/capi/libkpi.so /usr/bin/python3 examples/python/quickstart.py
"""

import numpy as np

import kpi
from kpi.engine import OUTCOMES

NOV23_0900 = 1_795_399_200_000  # 2026-11-23 09:00 in Asia/Jakarta, UTC milliseconds
MINUTE = 60_000

with kpi.Engine(group_by=["agent_id"], period="day", time_zone="Asia/Jakarta") as engine:
    engine.add_call_columns(
        start_ms=np.array([NOV23_0900, NOV23_0900 + 6 * MINUTE, NOV23_0900 + 2 * MINUTE, NOV23_0900 + 4 * MINUTE]),
        direction=np.zeros(4, dtype=np.int32),  # all outbound
        outcome=np.array([OUTCOMES[o] for o in ("connected", "no_answer", "connected", "voicemail")], dtype=np.int32),
        talk_s=np.array([312.0, 0.0, 95.0, 0.0]),
        agent_id=["A1", "A1", "A2", "A2"],
    )
    for name, group in (
        ("connection_rate", None),
        ("connection_rate", {"agent_id": "A1"}),
        ("avg_talk_time_s", None),
        ("short_call_share", None),
        ("abandon_rate", None),  # no inbound calls: None, not 0
    ):
        value = engine.evaluate(name, group, period="2026-11-23")
        who = group["agent_id"] if group else "all"
        print(f"{name:22} {who:4} {'undefined' if value is None else f'{value:.3f}'}")
    print("counts", engine.counts)
