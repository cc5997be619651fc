/*
 * annotate.c - the co_race_* checker annotations.
 *
 * A program that is not built for checking has no shadow memory and no
 * vector clocks: these calls record nothing there, by contract ("compile to
 * nothing measurable"), and a checked build replaces them with the
 * detector's definitions.
 */
#include "corace.h"

void co_race_read(const void *addr, size_t size) { (void)addr; (void)size; }
void co_race_write(const void *addr, size_t size) { (void)addr; (void)size; }
void co_race_acquire(const void *sync_addr) { (void)sync_addr; }
void co_race_release(const void *sync_addr) { (void)sync_addr; }
