/*
 * Context switch for x86-64 System V.
 *
 * A switched-out goroutine's stack holds, from its saved stack pointer up:
 *   sp+0  r15   sp+8  r14   sp+16 r13   sp+24 r12   sp+32 rbx   sp+40 rbp
 *   sp+48 return address (resume pc)
 * Only the callee-saved registers are kept: the switch is a function call, so
 * the caller already assumes every other register is clobbered.  MXCSR and the
 * x87 control word are not saved (see docs/runtime.md).  Returning through
 * pop+jmp instead of ret keeps the return-stack predictor from mispredicting
 * on every switch.
 */
        .text

/* void ctx_switch(void **save_sp, void *new_sp) */
        .globl  ctx_switch
        .hidden ctx_switch
        .type   ctx_switch, @function
ctx_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rdi
        /* falls through into ctx_jump, which restores the new context */
        .cfi_endproc
        .size   ctx_switch, .-ctx_switch

/* void ctx_jump(void *new_sp): switch away for good; the current stack is dead. */
        .globl  ctx_jump
        .hidden ctx_jump
        .type   ctx_jump, @function
ctx_jump:
        .cfi_startproc
        movq    %rdi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        popq    %r11
        jmpq    *%r11
        .cfi_endproc
        .size   ctx_jump, .-ctx_jump

/*
 * First frame of every goroutine: ctx_make leaves the entry function in rbx
 * and its argument in r12.  The return address is marked undefined and rbp is
 * zeroed so that unwinders stop here instead of walking into garbage.
 */
        .globl  co__trampoline
        .hidden co__trampoline
        .type   co__trampoline, @function
co__trampoline:
        .cfi_startproc
        .cfi_undefined rip
        xorl    %ebp, %ebp
        movq    %r12, %rdi
        callq   *%rbx
        ud2
        .cfi_endproc
        .size   co__trampoline, .-co__trampoline

        .section .note.GNU-stack,"",@progbits
