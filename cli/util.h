/* util.h - small helpers shared by the corace CLI: error messages, memory, files. */
#ifndef CORACE_CLI_UTIL_H
#define CORACE_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Print "corace: <message>\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_error, then exit(status): a status of exitcodes.h. */
_Noreturn void cli_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A new private directory $TMPDIR/corace-NAME-XXXXXX (TMPDIR when absolute,
   else /tmp); NULL with errno set when it cannot be made. */
char *make_temp_dir(const char *name);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole file into a NUL-terminated buffer; NULL (errno set) on failure. */
char *read_file(const char *path, size_t *len_out);
bool is_regular_file(const char *path);
bool is_directory(const char *path);
bool has_suffix(const char *s, const char *suffix);
/* mkdir -p; 0 or -1 with errno. */
int make_dirs(const char *path, unsigned mode);
/* rm -r dir, as far as it goes. */
void remove_tree(const char *dir);

/* A growable NULL-terminated argument vector.  The strings are not owned:
   callers keep them alive (or leak them: corace is short-lived). */
struct argv_buf {
    char **v;
    size_t n, cap;
};
void argv_push(struct argv_buf *a, const char *s);
void argv_free(struct argv_buf *a); /* frees the vector, not the strings */

/* s split on blanks (no shell: no quoting); dflt when s is NULL or blank.
   The words are malloc'd and never freed. */
void split_words(struct argv_buf *out, const char *s, const char *dflt);

#endif
