#!/usr/bin/env bash
# The demo (README quick start, step 1): installs what is missing, builds libkpi and the `kpi` command
# in Release, and runs the main job, the sales call report, on the bundled demo data (examples/demo:
# a month of an Indonesian telesales team in Asia/Jakarta).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
kpi=build/release/cli/kpi
demo=examples/demo

run() {
  printf '\n$ kpi'
  printf ' %s' "$@"
  printf '\n\n'
  "$kpi" "$@"
}

# The morning report: every call, sales, funnel and marketing KPI of November, per team, with targets.
run report --calls $demo/calls.csv --orders $demo/orders.csv --leads $demo/leads.csv \
  --opportunities $demo/opportunities.csv --customers $demo/customers.csv --spend $demo/spend.csv \
  --targets $demo/targets.csv --as-of 2026-12-01T00:00:00+07:00 \
  --group-by team_id --period month --from 2026-11 --to 2026-11 --tz Asia/Jakarta --currency IDR

# Per agent: the seed's telesales KPIs against each agent's targets.
run report --calls $demo/calls.csv --orders $demo/orders.csv --targets $demo/targets.csv \
  --as-of 2026-12-01T00:00:00+07:00 --group-by agent_id --period month --tz Asia/Jakarta --currency IDR \
  --kpi outbound_calls_per_agent_day,connection_rate,avg_talk_time_s,revenue_per_call,avg_purchase_value,upsell_rate

# The inbound queue straight from Asterisk's queue_log, per week, with anomaly alerts on its daily series.
run report --queue-log $demo/queue_log --period week --tz Asia/Jakarta --alerts \
  --kpi offered_calls,answered_calls,abandoned_calls,abandon_rate,asa_s,service_level,aht_s

# Staffing the queue's busiest half hour: agents for 80 % answered within 20 s.
run staff --calls 100 --interval 1800 --aht 180 --target 0.8 --answer-within 20 --shrinkage 0.3 \
  --max-occupancy 0.85
