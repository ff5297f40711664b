#!/usr/bin/python3
"""Generates libkpi's bundled demo: one month (November 2026) of an Indonesian telesales team in
Asia/Jakarta, in the canonical CSV forms of kpis.md, plus the Asterisk queue_log of its inbound queue.

    /usr/bin/python3 examples/demo/generate.py [output-dir]     (default: this script's folder)

Standard library only, fixed seed: the output is byte-for-byte the same on every run and machine.
It writes calls.csv, orders.csv, leads.csv, opportunities.csv, customers.csv, spend.csv, targets.csv,
queue_log, agents.csv (a reference list, not a canonical family) and manifest.json (what was written:
the counts the tests check).

The business (see README.md beside this file):
- 12 agents in 3 teams (tim-merpati sells the health-insurance campaign, tim-rajawali the home-internet
  campaign, tim-elang both on alternate days), working Monday to Friday 08:00-17:00 WIB with lunch
  12:00-13:00; each takes about one day off in the month.
- Outbound: about 80 dial attempts per agent per working day (each agent has its own pace and
  connection rate around 0.6), talk time lognormal around 4-6 minutes, with some short rejections.
- Orders in IDR around Rp850,000 (new sales to prospects; upsells and cross-sells to existing customers,
  about a quarter of orders), with their cost of goods.
- Inbound: a customer-service queue `cs-inbound` staffed by two agents at a time in two-hour duty blocks
  (no outbound dialling during their block), simulated as a FIFO queue with impatient callers; written
  as Asterisk's queue_log (ENTERQUEUE, RINGNOANSWER, CONNECT, COMPLETEAGENT/COMPLETECALLER,
  BLINDTRANSFER, ABANDON, EXITWITHTIMEOUT, ADDMEMBER/REMOVEMEMBER) and also as inbound rows of calls.csv
  (exactly what libkpi's queue_log importer rebuilds from it, plus the agent's team). Most abandoned
  callers are called back by an agent within a few hours (outbound rows with no campaign).
- Marketing leads from five sources with a funnel (first contact, MQL, SQL, opportunity, won/lost),
  the opportunities they became, the customer base (acquired, churned), weekly media spend and the
  telesales cost per campaign, and the month's targets.
Everything after the snapshot time (2026-12-01 00:00 WIB) is cut: open leads and opportunities stay open.
"""

import datetime as dt
import json
import math
import os
import random
import sys

SEED = 20261101
WIB = dt.timezone(dt.timedelta(hours=7))  # Asia/Jakarta: UTC+7, no daylight saving since 1964
MONTH_START = dt.datetime(2026, 11, 1, tzinfo=WIB)
SNAPSHOT = dt.datetime(2026, 12, 1, tzinfo=WIB)
QUEUE = "cs-inbound"
CAMPAIGNS = {
    "CMP-ASURANSI": "Asuransi Kesehatan Keluarga (health insurance top-up)",
    "CMP-INTERNET": "Paket Internet Rumah (home internet plans)",
}
TEAMS = {
    "tim-merpati": ["CMP-ASURANSI"],
    "tim-rajawali": ["CMP-INTERNET"],
    "tim-elang": ["CMP-ASURANSI", "CMP-INTERNET"],  # alternate days
}
AGENTS = [  # id, name, team, base calls per working day, connection probability, sale probability
    ("agt-01", "Budi Santoso", "tim-merpati", 82, 0.62, 0.055),
    ("agt-02", "Siti Rahayu", "tim-merpati", 88, 0.64, 0.060),
    ("agt-03", "Andi Pratama", "tim-merpati", 92, 0.58, 0.045),
    ("agt-04", "Dewi Lestari", "tim-merpati", 74, 0.66, 0.070),
    ("agt-05", "Rizky Hidayat", "tim-rajawali", 80, 0.60, 0.050),
    ("agt-06", "Putri Wulandari", "tim-rajawali", 85, 0.57, 0.048),
    ("agt-07", "Agus Setiawan", "tim-rajawali", 68, 0.52, 0.035),
    ("agt-08", "Rina Marlina", "tim-rajawali", 83, 0.63, 0.058),
    ("agt-09", "Joko Susilo", "tim-elang", 79, 0.61, 0.052),
    ("agt-10", "Fitri Handayani", "tim-elang", 86, 0.65, 0.062),
    ("agt-11", "Dimas Saputra", "tim-elang", 77, 0.55, 0.040),
    ("agt-12", "Maya Sari", "tim-elang", 81, 0.60, 0.050),
]
TEAM_OF = {a[0]: a[2] for a in AGENTS}
DUTY_BLOCKS = [(8, 10), (10, 12), (13, 15), (15, 17)]  # inbound duty, hours WIB
LEAD_SOURCES = [("facebook", 0.32), ("instagram", 0.22), ("google", 0.20), ("website", 0.16), ("referral", 0.10)]

rng = random.Random(SEED)


# ----------------------------------------------------------------------------------------------------
# helpers

def iso(t):
    """ISO 8601 with the +07:00 offset, whole seconds."""
    return t.astimezone(WIB).replace(microsecond=0).isoformat()


def epoch(t):
    return int(t.timestamp())


def at(day, hour, minute=0, second=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WIB)


def secs(x):
    return dt.timedelta(seconds=x)


def lognormal(median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def pick(weighted):
    x = rng.random() * sum(w for _, w in weighted)
    for v, w in weighted:
        x -= w
        if x < 0:
            return v
    return weighted[-1][0]


def rupiah(x, step=1000):
    """A whole number of rupiah, rounded to `step`."""
    return int(round(x / step)) * step


def phone():
    return "628" + rng.choice("1125789") + "".join(rng.choice("0123456789") for _ in range(9))


def csv_field(v):
    s = "" if v is None else str(v)
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(csv_field(r.get(h)) for h in header) + "\n")
    return len(rows)


WORKDAYS = [MONTH_START.date() + dt.timedelta(days=i) for i in range(30)
            if (MONTH_START.date() + dt.timedelta(days=i)).weekday() < 5]


# ----------------------------------------------------------------------------------------------------
# the customer base (before November) and who is active

def make_customer_base():
    customers = []
    start = dt.datetime(2025, 1, 1, tzinfo=WIB)
    span = (dt.datetime(2026, 10, 31, tzinfo=WIB) - start).total_seconds()
    for i in range(1, 4001):
        acquired = start + secs(rng.random() * span)
        acquired = acquired.replace(microsecond=0)
        lifetime_months = rng.expovariate(1 / 40.0)  # about 2.5 % churn a month
        churned = acquired + secs(lifetime_months * 30.44 * 86400)
        customers.append({
            "customer_id": "CUST-%06d" % i,
            "acquired": acquired,
            "churned": churned.replace(microsecond=0) if churned < SNAPSHOT else None,
            "campaign_id": rng.choice(["CMP-ASURANSI", "CMP-INTERNET", ""]),
            "phone": phone(),
        })
    return customers


def active_at(c, t):
    return c["acquired"] <= t and (c["churned"] is None or c["churned"] > t)


# ----------------------------------------------------------------------------------------------------
# inbound duty roster and the queue

def days_off():
    """Each agent takes one working day off (not the first week's Monday, not two agents the same day)."""
    days = rng.sample(WORKDAYS[1:], len(AGENTS))
    return {a[0]: d for a, d in zip(AGENTS, days)}


def roster(off):
    """(day, block) -> the two agents on inbound duty."""
    ids = [a[0] for a in AGENTS]
    duty = {}
    k = 0
    for d in WORKDAYS:
        for b in range(len(DUTY_BLOCKS)):
            chosen = []
            while len(chosen) < 2:
                a = ids[k % len(ids)]
                k += 1
                if off[a] != d and a not in chosen:
                    chosen.append(a)
            duty[(d, b)] = chosen
    return duty


def simulate_queue(duty, customers):
    """The inbound queue as a FIFO queue with impatient callers. Returns (queue_log lines as
    (epoch, order, text), inbound call rows, abandoned calls)."""
    events = []
    calls = []
    abandoned = []
    order = 0
    seq = 1000

    def log(t, callid, agent, event, data):
        nonlocal order
        order += 1
        events.append((epoch(t), order, "%d|%s|%s|%s|%s|%s" % (epoch(t), callid, QUEUE, agent, event, data)))

    events.append((epoch(MONTH_START + secs(7 * 3600 + 55 * 60)), 0, "%d|NONE|NONE|NONE|QUEUESTART|" %
                   epoch(MONTH_START + secs(7 * 3600 + 55 * 60))))
    recent_callers = []  # (time, phone) of the last days' callers, for repeat calls
    active_phones = [c["phone"] for c in customers if active_at(c, MONTH_START)]
    for d in WORKDAYS:
        for b, (h0, h1) in enumerate(DUTY_BLOCKS):
            agents = duty[(d, b)]
            block_start, block_end = at(d, h0), at(d, h1)
            for a in agents:
                log(block_start - secs(rng.randint(30, 180)), "MANAGER", a, "ADDMEMBER", "")
            free = {a: block_start for a in agents}
            # Arrivals: Poisson, busier around 10:00 and 14:00.
            t = block_start
            arrivals = []
            # Monday 23 November, 10:00-12:00: a billing SMS went out by mistake and the queue is flooded
            # (an anomaly to find: long waits, timeouts, many abandons).
            flood = d == dt.date(2026, 11, 23) and h0 == 10
            while True:
                rate_per_h = 11.0 if h0 in (10, 13) else 8.0
                if flood:
                    rate_per_h = 40.0
                t = t + secs(rng.expovariate(rate_per_h / 3600.0))
                if t >= block_end:
                    break
                arrivals.append(t.replace(microsecond=0))
            waiting_until = []  # when the callers ahead leave the queue (for the position)
            for arr in arrivals:
                seq += 1
                callid = "%d.%d" % (epoch(arr), seq)
                if recent_callers and rng.random() < 0.12:
                    caller = rng.choice(recent_callers[-60:])[1]
                else:
                    caller = rng.choice(active_phones)
                recent_callers.append((arr, caller))
                waiting_until = [w for w in waiting_until if w > arr]
                position = len(waiting_until) + 1
                log(arr, callid, "NONE", "ENTERQUEUE", "|%s|%d" % (caller, position))
                patience = 20 + rng.expovariate(1 / 240.0)
                a = min(agents, key=lambda x: (free[x], x))
                ring = rng.randint(2, 7)
                start_ring = max(arr, free[a])
                other = [x for x in agents if x != a][0]
                # The other agent, idle too, is rung first and misses it (ring timeout 15 s).
                missed = free[other] <= start_ring and rng.random() < 0.07
                connect = start_ring + secs(ring + (15 if missed else 0))
                wait = int((connect - arr).total_seconds())
                if wait > 300 and patience > 300:  # queue timeout: 300 s
                    leave = arr + secs(300)
                    waiting_until.append(leave)
                    log(leave, callid, "NONE", "EXITWITHTIMEOUT", "%d|%d|300" % (1, position))
                    calls.append(inbound_row(callid, arr, "", caller, 300, 0, "timeout"))
                    continue
                if wait > patience:
                    w = int(patience)
                    leave = arr + secs(w)
                    waiting_until.append(leave)
                    log(leave, callid, "NONE", "ABANDON", "%d|%d|%d" % (max(1, position - 1), position, w))
                    calls.append(inbound_row(callid, arr, "", caller, w, 0, "abandoned"))
                    abandoned.append((leave, caller))
                    continue
                waiting_until.append(connect)
                if missed:
                    log(start_ring + secs(15), callid, other, "RINGNOANSWER", "15000")
                talk = int(round(lognormal(200, 0.55)))
                log(connect, callid, a, "CONNECT", "%d|%d.%d|%d" % (wait, epoch(connect), seq + 500000, ring))
                end = connect + secs(talk)
                r = rng.random()
                if r < 0.03:
                    log(end, callid, a, "BLINDTRANSFER", "3001|from-internal|%d|%d|%d" % (wait, talk, position))
                elif r < 0.60:
                    log(end, callid, a, "COMPLETECALLER", "%d|%d|%d" % (wait, talk, position))
                else:
                    log(end, callid, a, "COMPLETEAGENT", "%d|%d|%d" % (wait, talk, position))
                free[a] = end + secs(20)  # wrap-up
                calls.append(inbound_row(callid, arr, a, caller, wait, talk, "connected"))
            for a in agents:
                log(max(block_end, free[a]) + secs(rng.randint(5, 60)), "MANAGER", a, "REMOVEMEMBER", "")
    events.sort(key=lambda e: (e[0], e[1]))
    return [e[2] for e in events], calls, abandoned


def inbound_row(callid, start, agent, caller, wait, talk, outcome):
    return {
        "call_id": callid, "agent_id": agent, "team_id": TEAM_OF.get(agent, ""), "campaign_id": "",
        "queue_id": QUEUE, "direction": "inbound", "caller": caller, "start": start, "wait_s": wait,
        "talk_s": talk, "hold_s": None, "acw_s": None, "outcome": outcome,
    }


# ----------------------------------------------------------------------------------------------------
# outbound dialling, orders and new customers

def campaign_for(agent, day):
    team = TEAM_OF[agent]
    options = TEAMS[team]
    return options[day.toordinal() % len(options)]


def outbound(duty, off, customers, abandoned):
    calls, orders, new_customers = [], [], []
    next_customer = len(customers) + 1
    order_no = 0
    on_duty = {}
    for (d, b), agents in duty.items():
        for a in agents:
            on_duty.setdefault((a, d), []).append(DUTY_BLOCKS[b])
    # Callbacks of abandoned inbound callers: 70 % of them, by an agent not on duty, 10-120 min later.
    callbacks = {}
    for leave, caller in abandoned:
        if rng.random() >= 0.70:
            continue
        due = leave + secs(rng.randint(600, 7200))
        day = due.date()
        if due.hour >= 17:
            later = [w for w in WORKDAYS if w > day]
            if not later:
                continue
            day = later[0]
            due = at(day, 8, 5)
        if day not in WORKDAYS:
            continue
        candidates = [a[0] for a in AGENTS if off[a[0]] != day]
        agent = rng.choice(candidates)
        callbacks.setdefault((agent, day), []).append((due, caller))
    for key in callbacks:
        callbacks[key].sort()

    for agent, _name, team, pace, p_connect, p_sale in AGENTS:
        for d in WORKDAYS:
            if off[agent] == d:
                continue
            campaign = campaign_for(agent, d)
            n = max(40, int(round(rng.gauss(pace, 6))))
            pending = list(callbacks.get((agent, d), []))
            t = at(d, 8, rng.randint(0, 12), rng.randint(0, 59))
            made = 0
            seq = 0
            while made < n and t < at(d, 17, 30):
                # Not during lunch nor the agent's inbound duty.
                if at(d, 12) <= t < at(d, 13):
                    t = at(d, 13, rng.randint(0, 6), rng.randint(0, 59))
                    continue
                blocked = [blk for blk in on_duty.get((agent, d), []) if at(d, blk[0]) <= t < at(d, blk[1])]
                if blocked:
                    t = at(d, blocked[0][1], rng.randint(1, 5), rng.randint(0, 59))
                    continue
                seq += 1
                call_id = "OB-%s-%s-%03d" % (d.strftime("%m%d"), agent[-2:], seq)
                if pending and pending[0][0] <= t:
                    _, caller = pending.pop(0)
                    kind, cust, cid = "callback", None, ""
                    p = 0.75
                elif rng.random() < 0.22:
                    cust = rng.choice(customers)
                    while not active_at(cust, t):
                        cust = rng.choice(customers)
                    kind, caller, cid, p = "existing", cust["phone"], campaign, p_connect
                else:
                    kind, cust, caller, cid, p = "prospect", None, phone(), campaign, p_connect
                r = rng.random()
                hold = None
                acw = None
                if r < p:
                    outcome = "connected"
                    ring = rng.randint(5, 20)
                    if kind == "callback":
                        talk = int(round(lognormal(150, 0.5)))
                    elif rng.random() < 0.15:
                        talk = int(round(lognormal(55, 0.45)))  # a quick "no, thank you"
                    else:
                        talk = int(round(lognormal(265, 0.42)))
                    if rng.random() < 0.10:
                        hold = rng.randint(10, 90)
                    acw = rng.randint(15, 60)
                else:
                    outcome = pick([("no_answer", 0.55), ("busy", 0.15), ("voicemail", 0.20), ("failed", 0.10)])
                    ring = {"no_answer": rng.randint(30, 45), "busy": rng.randint(2, 6),
                            "voicemail": rng.randint(18, 30) + rng.randint(10, 25), "failed": rng.randint(1, 4)}[outcome]
                    talk = 0
                calls.append({
                    "call_id": call_id, "agent_id": agent, "team_id": team, "campaign_id": cid, "queue_id": "",
                    "direction": "outbound", "caller": caller, "start": t, "wait_s": None, "talk_s": talk,
                    "hold_s": hold, "acw_s": acw, "outcome": outcome,
                })
                made += 1
                end = t + secs(ring + talk + (hold or 0))
                # A sale?
                if outcome == "connected" and kind != "callback" and talk >= 90:
                    sale_p = p_sale * (1.25 if kind == "existing" else 1.0) * 1.1
                    if rng.random() < sale_p:
                        order_no += 1
                        when = end + secs(rng.randint(60, 900))
                        if kind == "existing":
                            okind = "upsell" if rng.random() < 0.86 else "cross_sell"
                            amount = rupiah(lognormal(980000 if okind == "upsell" else 450000, 0.25))
                            customer_id = cust["customer_id"]
                        else:
                            okind = "new"
                            amount = rupiah(lognormal(800000, 0.28))
                            customer_id = "CUST-%06d" % next_customer
                            next_customer += 1
                            new_customers.append({"customer_id": customer_id, "acquired": when, "churned": None,
                                                  "campaign_id": cid})
                        cost = rupiah(amount * rng.uniform(0.52, 0.66))
                        orders.append({
                            "order_id": "ORD-%06d" % order_no, "customer_id": customer_id, "agent_id": agent,
                            "team_id": team, "campaign_id": cid, "call_id": call_id, "time": when,
                            "amount": amount, "currency": "IDR", "cost": cost, "kind": okind,
                        })
                t = end + secs((acw or 0) + rng.randint(6, 45))
    return calls, orders, new_customers


# ----------------------------------------------------------------------------------------------------
# leads and opportunities

def leads_and_opportunities():
    leads, opps = [], []
    campaign_agents = {c: [a[0] for a in AGENTS if c in TEAMS[a[2]]] for c in CAMPAIGNS}
    n = 0
    for campaign in CAMPAIGNS:
        for _ in range(900):
            n += 1
            day = MONTH_START + secs(rng.random() * 30 * 86400)
            created = day.replace(microsecond=0)
            agent = campaign_agents[campaign][n % len(campaign_agents[campaign])]
            lead = {"lead_id": "LEAD-%05d" % n, "agent_id": agent, "campaign_id": campaign,
                    "source": pick(LEAD_SOURCES), "created": created, "first_contact": None, "mql": None,
                    "sql": None, "opportunity": None, "won": None, "lost": None}
            leads.append(lead)

            def step(prev, median_s, sigma):
                t = (prev + secs(lognormal(median_s, sigma))).replace(microsecond=0)
                return t if t < SNAPSHOT else None

            if rng.random() >= 0.93:
                continue  # never contacted
            working = created.weekday() < 5 and 8 <= created.hour < 17
            if working:
                fc = step(created, 40 * 60, 1.0)
            else:
                nxt = created.date() + dt.timedelta(days=1)
                while nxt.weekday() >= 5:
                    nxt += dt.timedelta(days=1)
                start = at(nxt, 8) if created.hour >= 8 or created.weekday() >= 5 else at(created.date(), 8)
                fc = step(max(start, created), 30 * 60, 0.8)
            lead["first_contact"] = fc
            if fc is None or rng.random() >= 0.65:
                continue
            lead["mql"] = step(fc, 86400, 0.8)
            if lead["mql"] is None or rng.random() >= 0.60:
                continue
            lead["sql"] = step(lead["mql"], 2 * 86400, 0.7)
            if lead["sql"] is None or rng.random() >= 0.80:
                continue
            lead["opportunity"] = step(lead["sql"], 86400, 0.6)
            if lead["opportunity"] is None:
                continue
            amount = rupiah(lognormal(3600000 if campaign == "CMP-ASURANSI" else 2400000, 0.35), 10000)
            opp = {"opportunity_id": "OPP-%05d" % (len(opps) + 1), "lead_id": lead["lead_id"], "agent_id": agent,
                   "team_id": TEAM_OF[agent], "campaign_id": campaign, "created": lead["opportunity"],
                   "closed": None, "status": "open", "amount": amount, "currency": "IDR", "probability": None}
            r = rng.random()
            if r < 0.62:
                lead["won"] = step(lead["opportunity"], 5 * 86400, 0.6)
            elif r < 0.85:
                lead["lost"] = step(lead["opportunity"], 10 * 86400, 0.6)
            if lead["won"] is not None:
                opp["status"], opp["closed"] = "won", lead["won"]
            elif lead["lost"] is not None:
                opp["status"], opp["closed"] = "lost", lead["lost"]
            else:
                opp["probability"] = round(rng.uniform(0.2, 0.8), 2)
            opps.append(opp)
    leads.sort(key=lambda x: (x["created"], x["lead_id"]))
    opps.sort(key=lambda x: (x["created"], x["opportunity_id"]))
    return leads, opps


# ----------------------------------------------------------------------------------------------------
# spend and targets

def spend_rows():
    rows = []
    base = {"facebook": 9500000, "instagram": 6500000, "google": 8000000}
    weeks = [MONTH_START + dt.timedelta(days=7 * i) for i in range(5)] + [SNAPSHOT]
    for campaign in CAMPAIGNS:
        for channel, amount in base.items():
            for s, e in zip(weeks[:-1], weeks[1:]):
                days = (e - s).days
                rows.append({"campaign_id": campaign, "channel": channel, "start": s, "end": e,
                             "amount": rupiah(amount * days / 7 * rng.uniform(0.85, 1.15), 1000), "currency": "IDR"})
        # Telesales cost: the agents' salaries and the telephony, shared between the campaigns.
        rows.append({"campaign_id": campaign, "channel": "telesales", "start": MONTH_START, "end": SNAPSHOT,
                     "amount": 12 * 6200000 // 2, "currency": "IDR"})
    return rows


def target_rows():
    whole = [
        ("outbound_calls_per_agent_day", ">=", 80, None),
        ("connection_rate", ">=", 0.6, None),
        ("avg_talk_time_s", "between", 240, 360),
        ("short_call_share", "<=", 0.2, None),
        ("revenue_per_call", ">=", 25000, None),
        ("avg_purchase_value", ">=", 850000, None),
        ("upsell_rate", ">=", 0.25, None),
        ("abandon_rate", "<=", 0.05, None),
        ("asa_s", "<=", 30, None),
        ("service_level", ">=", 0.8, None),
        ("lead_conversion_rate", ">=", 0.15, None),
        ("avg_response_time_s", "<=", 7200, None),
        ("sales_revenue", ">=", 540000000, None),
    ]
    rows = [{"kpi": k, "period": "2026-11", "op": op, "value": v, "value2": v2} for k, op, v, v2 in whole]
    for team in TEAMS:
        rows.append({"kpi": "sales_revenue", "team_id": team, "period": "2026-11", "op": ">=", "value": 180000000})
    for a in AGENTS:
        rows.append({"kpi": "outbound_calls_per_agent_day", "agent_id": a[0], "period": "2026-11", "op": ">=",
                     "value": 80})
    for w in ("2026-W45", "2026-W46", "2026-W47", "2026-W48"):
        rows.append({"kpi": "sales_revenue", "period": w, "op": ">=", "value": 125000000})
    return rows


# ----------------------------------------------------------------------------------------------------

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    customers = make_customer_base()
    off = days_off()
    duty = roster(off)
    ql_lines, inbound_calls, abandoned = simulate_queue(duty, customers)
    outbound_calls, orders, new_customers = outbound(duty, off, customers, abandoned)
    leads, opps = leads_and_opportunities()

    # Number orders, new customers, leads and opportunities in time order (they were made agent by agent).
    orders.sort(key=lambda o: (o["time"], o["call_id"]))
    renamed = {}
    for i, o in enumerate(orders, 1):
        o["order_id"] = "ORD-%06d" % i
        if o["kind"] == "new":
            renamed[o["customer_id"]] = "CUST-%06d" % (len(customers) + len(renamed) + 1)
            o["customer_id"] = renamed[o["customer_id"]]
    for c in new_customers:
        c["customer_id"] = renamed[c["customer_id"]]
    new_customers.sort(key=lambda c: c["customer_id"])
    lead_ids = {}
    for i, lead in enumerate(leads, 1):
        lead_ids[lead["lead_id"]] = "LEAD-%05d" % i
        lead["lead_id"] = lead_ids[lead["lead_id"]]
    for i, o in enumerate(opps, 1):
        o["opportunity_id"] = "OPP-%05d" % i
        o["lead_id"] = lead_ids[o["lead_id"]]

    calls = sorted(outbound_calls + inbound_calls, key=lambda c: (c["start"], c["call_id"]))
    for c in calls:
        c["start"] = iso(c["start"])
    for o in orders:
        o["time"] = iso(o["time"])
    all_customers = customers + new_customers
    for c in all_customers:
        c["acquired"] = iso(c["acquired"])
        c["churned"] = iso(c["churned"]) if c["churned"] else None
    for lead in leads:
        for k in ("created", "first_contact", "mql", "sql", "opportunity", "won", "lost"):
            lead[k] = iso(lead[k]) if lead[k] else None
    for o in opps:
        o["created"] = iso(o["created"])
        o["closed"] = iso(o["closed"]) if o["closed"] else None
    spend = spend_rows()
    for s in spend:
        s["start"], s["end"] = iso(s["start"]), iso(s["end"])
    targets = target_rows()

    call_cols = ["call_id", "agent_id", "team_id", "campaign_id", "queue_id", "direction", "caller", "start",
                 "wait_s", "talk_s", "hold_s", "acw_s", "outcome"]
    counts = {
        "calls.csv": write_csv(os.path.join(out, "calls.csv"), call_cols, calls),
        "orders.csv": write_csv(os.path.join(out, "orders.csv"),
                                ["order_id", "customer_id", "agent_id", "team_id", "campaign_id", "call_id", "time",
                                 "amount", "currency", "cost", "kind"], orders),
        "leads.csv": write_csv(os.path.join(out, "leads.csv"),
                               ["lead_id", "agent_id", "campaign_id", "source", "created", "first_contact", "mql",
                                "sql", "opportunity", "won", "lost"], leads),
        "opportunities.csv": write_csv(os.path.join(out, "opportunities.csv"),
                                       ["opportunity_id", "lead_id", "agent_id", "team_id", "campaign_id", "created",
                                        "closed", "status", "amount", "currency", "probability"], opps),
        "customers.csv": write_csv(os.path.join(out, "customers.csv"),
                                   ["customer_id", "acquired", "churned", "campaign_id"], all_customers),
        "spend.csv": write_csv(os.path.join(out, "spend.csv"),
                               ["campaign_id", "channel", "start", "end", "amount", "currency"], spend),
        "targets.csv": write_csv(os.path.join(out, "targets.csv"),
                                 ["kpi", "agent_id", "team_id", "campaign_id", "period", "op", "value", "value2"],
                                 targets),
        "agents.csv": write_csv(os.path.join(out, "agents.csv"), ["agent_id", "name", "team_id", "member"],
                                [{"agent_id": a[0], "name": a[1], "team_id": a[2],
                                  "member": "PJSIP/21%s" % a[0][-2:]} for a in AGENTS]),
    }
    with open(os.path.join(out, "queue_log"), "w", encoding="utf-8", newline="") as f:
        for line in ql_lines:
            f.write(line + "\n")

    def n(rows, **kw):
        return sum(1 for r in rows if all(r.get(k) == v for k, v in kw.items()))

    outbound_rows = [c for c in calls if c["direction"] == "outbound"]
    inbound_rows = [c for c in calls if c["direction"] == "inbound"]
    manifest = {
        "seed": SEED,
        "time_zone": "Asia/Jakarta",
        "period": "2026-11",
        "snapshot": iso(SNAPSHOT),
        "rows": counts,
        "queue_log_lines": len(ql_lines),
        "calls": {
            "outbound": len(outbound_rows),
            "outbound_connected": n(outbound_rows, outcome="connected"),
            "outbound_callbacks": n(outbound_rows, campaign_id=""),
            "outbound_agent_days": len({(c["agent_id"], c["start"][:10]) for c in outbound_rows}),
            "outbound_talk_s": sum(c["talk_s"] for c in outbound_rows),
            "inbound": len(inbound_rows),
            "inbound_connected": n(inbound_rows, outcome="connected"),
            "inbound_abandoned": n(inbound_rows, outcome="abandoned"),
            "inbound_timeout": n(inbound_rows, outcome="timeout"),
            "inbound_wait_s_answered": sum(c["wait_s"] for c in inbound_rows if c["outcome"] == "connected"),
            "inbound_talk_s": sum(c["talk_s"] for c in inbound_rows),
            "ringnoanswer": sum(1 for line in ql_lines if "|RINGNOANSWER|" in line),
            "transfers": sum(1 for line in ql_lines if "|BLINDTRANSFER|" in line),
        },
        "orders": {
            "new": n(orders, kind="new"),
            "upsell": n(orders, kind="upsell"),
            "cross_sell": n(orders, kind="cross_sell"),
            "revenue_idr": sum(o["amount"] for o in orders),
            "cost_idr": sum(o["cost"] for o in orders),
        },
        "leads": {k: sum(1 for x in leads if x[k]) for k in ("first_contact", "mql", "sql", "opportunity", "won",
                                                              "lost")},
        "opportunities": {s: n(opps, status=s) for s in ("open", "won", "lost")},
        "customers": {"base": len(customers), "new": len(new_customers),
                      "churned": sum(1 for c in all_customers if c["churned"])},
        "spend_idr": sum(s["amount"] for s in spend),
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(manifest, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
