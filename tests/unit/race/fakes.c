/*
 * fakes.c - throwaway depot and report sinks for the race suite (see
 * fakes.h).  The depot interns (parent, pc) in a small table, so ids are
 * deterministic: the n-th new context gets id n.
 */
#include "fakes.h"

#include <stdlib.h>

report_race fake_reports[FAKE_MAX_REPORTS];
unsigned fake_nreports;

bool report_race_found(const report_race *r)
{
    if (fake_nreports < FAKE_MAX_REPORTS)
        fake_reports[fake_nreports] = *r;
    fake_nreports++;
    return true;
}

unsigned report_race_count(void)
{
    return fake_nreports;
}

void report_finish(void)
{
}

#define NODES 65536
static struct node {
    uint32_t parent;
    uintptr_t pc;
} nodes[NODES];
static uint32_t nnodes;

uint32_t depot_push(uint32_t parent, uintptr_t pc)
{
    for (uint32_t i = 1; i <= nnodes; i++)
        if (nodes[i].parent == parent && nodes[i].pc == pc)
            return i;
    if (nnodes + 1 >= NODES)
        abort();
    nnodes++;
    nodes[nnodes].parent = parent;
    nodes[nnodes].pc = pc;
    return nnodes;
}

int depot_stack(uint32_t id, uintptr_t *pcs, int max)
{
    int n = 0;
    while (id != 0 && n < max) {
        pcs[n++] = nodes[id].pc;
        id = nodes[id].parent;
    }
    return n;
}

int depot_degraded(void)
{
    return 0;
}
