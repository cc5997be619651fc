/*
 * fakes.h - stand-ins for detector/report (depot and race reports), so that
 * the race suite links the detector core alone.  Reports are recorded, not
 * printed, and not deduplicated: what the tests see is what race.c sent.
 */
#ifndef CORACE_TEST_RACE_FAKES_H
#define CORACE_TEST_RACE_FAKES_H

#include "detector/core/depot.h"
#include "detector/report/report.h"

#define FAKE_MAX_REPORTS 4096
extern report_race fake_reports[FAKE_MAX_REPORTS];
extern unsigned fake_nreports;

#endif
