#!/bin/sh
# corace (CO_MAXPROCS=1) vs Go (GOMAXPROCS=1) on the anchor workloads, interleaved A/B pairs.
#   tests/bench/compare.sh [-n PAIRS] [--shared DIR] [--no-build] [--only w1,w2] [--help]
# Needs python3, cmake, a C compiler and go; GNU time (/usr/bin/time) for CPU and peak RSS.
# The work is done by compare.py beside this script.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
exec python3 "$here/compare.py" "$@"
