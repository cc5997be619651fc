/*
 * refuse_main.c - linked by gcc with -fsanitize=thread, so that libtsan.so
 * is loaded, and with corace's __tsan_init: the program must be refused
 * before main (exit status 2).  Compiled with -fsanitize=thread too, so an
 * instrumented constructor calls __tsan_init even without libtsan's
 * preinit hook.
 */
#include <stdio.h>

int refuse_touched;

int main(void)
{
    refuse_touched = 1;
    printf("main reached\n");
    return 0;
}
