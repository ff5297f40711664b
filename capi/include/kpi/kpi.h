/**
 * @file kpi/kpi.h
 * @brief libkpi's stable C ABI: include this one header.
 *
 * libkpi computes sales, marketing, telesales and call-centre KPIs. This header is C99-clean and is
 * covered by the ABI promise of docs/api-stability.md: within one major version no function, constant or
 * struct field is removed or changed; structs only grow at their end, under a new version number.
 *
 * Modules (each a `kpi/c/<module>.h` included below):
 * - common: status codes, last error, versions (kpi/c/common.h)
 * - catalog: KPI ids, units, families and the registry (kpi/c/catalog.h)
 * - engine: the streaming engine: records in, KPIs per group and period out (kpi/c/engine.h)
 * - models: customer value (BG/NBD, Gamma-Gamma, CLV) and contract retention (sBG) (kpi/c/models.h)
 * - staffing: Erlang B, C and A, agents needed for a service level (kpi/c/staffing.h)
 * - views: targets, leaderboards, coaching flags, anomaly alerts, trend (kpi/c/views.h)
 */
#ifndef KPI_KPI_H
#define KPI_KPI_H

#include "kpi/c/catalog.h"
#include "kpi/c/common.h"
#include "kpi/c/engine.h"
#include "kpi/c/models.h"
#include "kpi/c/staffing.h"
#include "kpi/c/views.h"

#endif /* KPI_KPI_H */
