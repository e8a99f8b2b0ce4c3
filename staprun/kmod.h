/* Kernel modules: load with finit_module, unload with delete_module, and
 * the checks before a load that turn kernel errors into clear ones. */
#ifndef STAPRUN_KMOD_H
#define STAPRUN_KMOD_H
#include "modinfo.h"
#include "options.h"
#include <stdbool.h>

/* vermagic against `uname -r`, name not in use, options checked against
 * the module's parameters.  Builds the parameter string (free it).
 * Prints the error and returns -1 when the module must not be loaded. */
int kmod_check(const char *path, const struct modinfo *mi, const struct options *o,
	       char **params);
int kmod_load(const char *path, int fd, const struct modinfo *mi, const char *params);
int kmod_unload(const char *name, bool force);
bool kmod_loaded(const char *name);
const char *kmod_release(void);

#endif
