/* What a module file is, read from its ELF headers before anything is
 * loaded: a kernel module (ET_REL with .modinfo and this_module) built
 * against our transport, or a user-platform shared object exporting
 * stp_user_main. */
#ifndef STAPRUN_MODINFO_H
#define STAPRUN_MODINFO_H
#include <stdbool.h>

enum mod_kind { MOD_KERNEL, MOD_USER };

#define MOD_NAME_MAX 56		/* the kernel's MODULE_NAME_LEN */

struct mod_param {
	char *name;
	char *type;		/* "int", "long", "charp", ... */
};

struct modinfo {
	enum mod_kind kind;
	char name[MOD_NAME_MAX];	/* kernel: the name the kernel will use */
	char *vermagic;			/* kernel: the vermagic= string */
	int transport;			/* kernel: stap_transport= protocol version */
	struct mod_param *params;	/* kernel: parmtype= entries */
	int nparams;
};

/* Inspects PATH (already open as FD).  On failure prints one ERROR line
 * naming the problem and returns -1. */
int modinfo_read(const char *path, int fd, struct modinfo *mi);
void modinfo_free(struct modinfo *mi);
const struct mod_param *modinfo_param(const struct modinfo *mi, const char *name);

/* A valid kernel module name: [A-Za-z0-9_]+, shorter than MOD_NAME_MAX. */
bool modname_valid(const char *name);

#endif
