/*
 * gate.c - the re-entry guard's storage (gate.h).
 */
#include "gate.h"

__thread int race_abi_depth __attribute__((tls_model("initial-exec")));
