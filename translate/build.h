/* Passes 4 and 5: building the generated C into a module (a kernel .ko
 * with kbuild, or a shared object for the ptrace runtime), the module
 * cache, and running the module with staprun. */
#ifndef TRANSLATE_BUILD_H
#define TRANSLATE_BUILD_H
#include "translate/session.h"
#include "translate/hash.h"
#include "translate/report.h"
#include "parse/strbuf.h"
#include <stdbool.h>

/* --runtime not given: the kernel runtime where this kernel loads modules
 * and the target's headers are installed (or -r names another kernel
 * whose headers are), else ptrace; -v says which and why.  Before pass 1:
 * the runtime picks the tapset folders. */
void build_choose_runtime(Session *s);
/* With the kernel runtime, a run that goes to pass 4 needs the target's
 * headers: false after one line naming the Debian package. */
bool build_kernel_headers_ok(const Session *s);

/* The session's temporary folder (made on first use); -k keeps it. */
const char *build_tmpdir(Session *s);
/* Removes it, or with -k says where it is. */
void build_tmpdir_cleanup(Session *s);

/* Runs argv (argv[0] looked up in $PATH).  Its stdout goes to stderr
 * (RUN_SHOW), nowhere (RUN_ERRORS: only its stderr is seen) or both go
 * nowhere (RUN_QUIET).  Returns the exit status, or -1 when it could not
 * run (reported). */
enum { RUN_SHOW, RUN_ERRORS, RUN_QUIET };
int build_run(char *const argv[], int mode);

/* The target's syscall and errno name tables (runtime/syscalls/
 * gen-tables.sh, from the kernel build tree or /usr/include) in a folder
 * of the temporary one: "-IFOLDER" (malloc'ed), or NULL after a message. */
char *build_tables(Session *s, bool kernel);

/* A malloc'ed formatted string (exits on out of memory). */
__attribute__((format(printf, 1, 2)))
char *build_fmt(const char *fmt, ...);

/* The module name: -m NAME, else stap_KEY. */
const char *build_module_name(Session *s, const char *key);

/* pass 4 proper, for each platform: builds c_file into a module in the
 * temporary folder; 0 with *module (malloc'ed) set, or 1 after errors. */
int build_user(Session *s, const char *c_file, const char *name, char **module);
int build_kernel(Session *s, const char *c_file, const char *name, char **module);
/* The kernel build tree's identity (release, .config, Module.symvers) and
 * the runtime's files, for the cache key. */
void build_hash_target(Session *s, Hasher *h);

/* Passes 3 (writing the C) and 4 with the cache: 0 with *module set, or
 * 1.  With -p3 it prints the C on stdout and stops. */
int pass34(Session *s, StrBuf *csrc, const PassTimer *t3, char **module);

/* Pass 5: staprun on the module; returns stap's exit status. */
int pass5_run(Session *s, const char *module);

#endif
