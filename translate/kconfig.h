/* The target kernel: its release, its build tree, and the CONFIG_ values of
 * that tree's .config, which %( CONFIG_X == "y" %? ... %) conditions test. */
#ifndef TRANSLATE_KCONFIG_H
#define TRANSLATE_KCONFIG_H
#include <stdbool.h>
#include <stddef.h>

typedef struct KernelTarget {
	const char *release;	/* "6.1.0-50-amd64" */
	const char *build_dir;	/* "/lib/modules/6.1.0-50-amd64/build" */
} KernelTarget;

/* Resolves a -r argument: a path (anything with a '/') is a build tree whose
 * release is read from it; anything else is a release name whose tree is
 * /lib/modules/REL/build.  NULL means $SYSTEMTAP_RELEASE, else the running
 * kernel.  Returns false with a one-line reason in err. */
bool kernel_target_resolve(const char *arg, KernelTarget *t, char *err, size_t errsz);

/* Which build tree's .config kconfig_lookup reads (lazily, once). */
void kconfig_use(const char *build_dir);

/* CONFIG_NAME's value: "y", "m", a number, or a string (without its quotes),
 * or NULL when unset or when there is no .config. */
const char *kconfig_lookup(const char *name);

#endif
