/*
 * nodebug.c - code without debug info, for test_stack.c; built with -g0.
 *
 * fault_first faults on its very first instruction, as a stack overflow
 * faults on a prologue's push: unwinding it from the signal context must use
 * its own CFI, not that of whatever precedes it.  It is written in assembly
 * so that the faulting instruction is the first one for sure.
 */
__asm__(".text\n"
        ".globl fault_first\n"
        ".type fault_first, @function\n"
        ".p2align 4\n"
        "fault_first:\n"
        ".cfi_startproc\n"
        "movl $1, 0\n"
        "ret\n"
        ".cfi_endproc\n"
        ".size fault_first, .-fault_first\n");
