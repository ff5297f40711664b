#!/usr/bin/python3
"""Issue 5 from Python: the batch workload of bench/capi_bench.cpp as numpy arrays through
``kpi.Engine.add_call_columns`` (the C ABI's kpi_engine_add_call_columns), timed with
time.perf_counter.

The calls are exactly those of capi_bench.cpp (same counter-based SplitMix64 draws, reproduced here
with numpy's wrapping uint64 arithmetic): 1e6 calls over 500 agents (25 teams) and 30 days, one every
2.592 s from 2026-11-01T00:00:00Z, 25 % inbound, whole-second talk, wait, hold and after-call work.
Engine: group_by team_id then agent_id, daily periods, UTC. Each repetition ingests the whole batch in
one call into a fresh engine (created and closed outside the timed region).

Two variants: the string dimensions given as (codes, dictionary) pairs (no copy of any array: the
numpy fast path), and as arrays of strings that the binding encodes itself (np.unique per column,
timed too: what a caller holding a pandas string column pays).

Run from the repository root:
    PYTHONPATH=bindings/python KPI_LIBRARY=build/perf/capi/libkpi.so \\
        /usr/bin/python3 bench/python_engine_bench.py [--rows N] [--repetitions R]
"""

import argparse
import statistics
import sys
import time

import numpy as np

import kpi

SEED = 5
AGENTS = 500
TEAMS = 25
DAYS = 30
T0_MS = 1_793_491_200_000  # 2026-11-01T00:00:00Z

# kpi.h enums
OUTBOUND, INBOUND = 0, 1
CONNECTED, NO_ANSWER, BUSY, FAILED, VOICEMAIL, ABANDONED, TIMEOUT = range(7)


def uniform(rows: np.ndarray, field: int) -> np.ndarray:
    """SplitMix64's finalizer over (row, field), as capi_bench.cpp's uniform()."""
    with np.errstate(over="ignore"):
        z = np.uint64(SEED) + np.uint64(0x9E3779B97F4A7C15) * (rows * np.uint64(8) + np.uint64(field + 1))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def workload(n: int) -> dict:
    rows = np.arange(n, dtype=np.uint64)

    def draw(field: int, upper: int) -> np.ndarray:
        return (uniform(rows, field) % np.uint64(upper)).astype(np.int64)

    agent_pick = draw(0, AGENTS)
    inbound = draw(1, 100) < 25
    pct = draw(2, 100)
    outcome_in = np.where(pct < 80, CONNECTED, np.where(pct < 95, ABANDONED, TIMEOUT))
    outcome_out = np.select(
        [pct < 50, pct < 75, pct < 85, pct < 95], [CONNECTED, NO_ANSWER, BUSY, VOICEMAIL], FAILED
    )
    outcome = np.where(inbound, outcome_in, outcome_out).astype(np.int32)
    connected = outcome == CONNECTED
    step_ms = DAYS * 86_400_000 // 1_000_000
    return {
        "start_ms": (T0_MS + np.arange(n, dtype=np.int64) * step_ms).astype(np.int64),
        "direction": np.where(inbound, INBOUND, OUTBOUND).astype(np.int32),
        "outcome": outcome,
        "talk_s": np.where(connected, 5 + draw(3, 896), 0).astype(np.float64),
        "wait_s": np.where(inbound, draw(4, 121), np.nan).astype(np.float64),
        "hold_s": np.where(connected, draw(5, 61), np.nan).astype(np.float64),
        "acw_s": np.where(connected, draw(6, 91), np.nan).astype(np.float64),
        "agent_codes": np.where(inbound & ~connected, -1, agent_pick).astype(np.int32),
        "team_codes": (agent_pick % TEAMS).astype(np.int32),
        "agent_dictionary": [f"agent-{1000 + a}" for a in range(AGENTS)],
        "team_dictionary": [f"team-{t}" for t in range(TEAMS)],
    }


def ingest(w: dict, strings: bool) -> tuple:
    engine = kpi.Engine(group_by=["team_id", "agent_id"], period="day")
    if strings:
        agent = w["agent_strings"]
        team = w["team_strings"]
    else:
        agent = (w["agent_codes"], w["agent_dictionary"])
        team = (w["team_codes"], w["team_dictionary"])
    t = time.perf_counter()
    accepted = engine.add_call_columns(
        w["start_ms"],
        w["direction"],
        w["outcome"],
        w["talk_s"],
        wait_s=w["wait_s"],
        hold_s=w["hold_s"],
        acw_s=w["acw_s"],
        agent_id=agent,
        team_id=team,
    )
    elapsed = time.perf_counter() - t
    engine.close()
    return elapsed, accepted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--skip-strings", action="store_true", help="only the (codes, dictionary) variant")
    args = parser.parse_args()
    if args.rows <= 0 or args.repetitions <= 0:
        parser.error("--rows and --repetitions must be positive")

    w = workload(args.rows)
    print(f"libkpi {kpi.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")
    print(f"{args.rows} calls, {args.repetitions} repetitions (+1 warm-up), one batch per repetition")
    variants = [("codes+dictionary", False)]
    if not args.skip_strings:
        # An unanswered inbound call has no agent: the empty string, as the binding encodes it.
        agents = np.array(w["agent_dictionary"] + [""])
        w["agent_strings"] = agents[w["agent_codes"]]  # code -1 picks the last entry, ""
        w["team_strings"] = np.array(w["team_dictionary"])[w["team_codes"]]
        variants.append(("string arrays", True))
    for label, strings in variants:
        ingest(w, strings)  # warm-up (page faults of the arrays, allocator)
        times, accepted = [], 0
        for _ in range(args.repetitions):
            elapsed, accepted = ingest(w, strings)
            times.append(elapsed)
        per_call = [t * 1e9 / args.rows for t in times]
        print(
            f"Python add_call_columns ({label}): median {statistics.median(per_call):.1f} ns/call, "
            f"min {min(per_call):.1f}, max {max(per_call):.1f}; "
            f"{args.rows / statistics.median(times) / 1e6:.2f} M calls/s; accepted {accepted}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
