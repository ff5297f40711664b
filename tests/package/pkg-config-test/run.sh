#!/usr/bin/env bash
# Builds a C program against an installed libkpi with nothing but pkg-config, then runs it.
# usage: run.sh PREFIX CC WORKDIR
set -euo pipefail
prefix=$1 cc=$2 work=$3
mkdir -p "$work"
pc=$(dirname "$(find "$prefix" -name kpi.pc | head -n 1)")
export PKG_CONFIG_PATH=$pc
echo "pkg-config: $(pkg-config --modversion kpi) $(pkg-config --cflags --libs kpi)"
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Wextra -Werror -o "$work/use_pkg_config" "$(dirname "$0")/../consumer/main.c" $(pkg-config --cflags --libs kpi)
LD_LIBRARY_PATH=$(pkg-config --variable=libdir kpi) "$work/use_pkg_config"
