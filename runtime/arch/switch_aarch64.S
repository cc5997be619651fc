/*
 * Context switch for AArch64 (AAPCS64).
 *
 * A switched-out goroutine's stack holds, from its saved stack pointer up:
 *   sp+0 x19 x20 ... x28, sp+80 x29, sp+88 x30 (the resume pc), sp+96 d8 ... d15
 * Only the callee-saved registers are kept: the switch is a function call.
 * The layout is mirrored in ctx.h.
 */
        .text

/* void ctx_switch(void **save_sp, void *new_sp) */
        .globl  ctx_switch
        .hidden ctx_switch
        .type   ctx_switch, %function
        .p2align 4
ctx_switch:
        .cfi_startproc
        sub     sp, sp, #160
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x2, sp
        str     x2, [x0]
        mov     sp, x1
        b       ctx_restore
        .cfi_endproc
        .size   ctx_switch, .-ctx_switch

/* void ctx_jump(void *new_sp): switch away for good; the current stack is dead. */
        .globl  ctx_jump
        .hidden ctx_jump
        .type   ctx_jump, %function
        .p2align 4
ctx_jump:
        .cfi_startproc
        mov     sp, x0
ctx_restore:
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #160
        ret
        .cfi_endproc
        .size   ctx_jump, .-ctx_jump

/*
 * First frame of every goroutine: the entry function is in x19, its argument
 * in x20.  The return address is marked undefined and the frame pointer
 * zeroed so that unwinders stop here.
 */
        .globl  co__trampoline
        .hidden co__trampoline
        .type   co__trampoline, %function
        .p2align 4
co__trampoline:
        .cfi_startproc
        .cfi_undefined x30
        mov     x29, #0
        mov     x30, #0
        mov     x0, x20
        blr     x19
        brk     #0
        .cfi_endproc
        .size   co__trampoline, .-co__trampoline

        .section .note.GNU-stack,"",%progbits
