/* Loading and unloading kernel modules. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "kmod.h"
#include "msg.h"
#include "privilege.h"
#include "runtime/transport/protocol.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

const char *kmod_release(void)
{
	static struct utsname u;
	if (!u.release[0] && uname(&u) < 0)
		return "unknown";
	return u.release;
}

bool kmod_loaded(const char *name)
{
	char p[128];
	snprintf(p, sizeof(p), "/sys/module/%s", name);
	return access(p, F_OK) == 0;
}

static bool is_number(const char *v, bool sign)
{
	char *end;
	errno = 0;
	if (sign)
		(void)strtoll(v, &end, 0);
	else
		(void)strtoull(v, &end, 0);
	return *v && !*end && !errno && (sign || *v != '-');
}

/* The kernel ignores unknown parameters with only a line in dmesg, and
 * rejects a bad number as "Invalid parameters": both are checked here
 * against the module's parmtype= entries. */
static int check_option(const struct modinfo *mi, const char *nv, char **buf, size_t *len)
{
	const char *eq = strchr(nv, '=');
	char name[MOD_NAME_MAX * 4];

	if (!eq || eq == nv || (size_t)(eq - nv) >= sizeof(name)) {
		err("Invalid module option '%s' (expected NAME=VALUE).", nv);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - nv), nv);
	const char *val = eq + 1;
	const struct mod_param *p = modinfo_param(mi, name);
	if (!p) {
		err("Unknown global variable '%s' in module options.", name);
		return -1;
	}
	bool charp = !strcmp(p->type, "charp") || !strcmp(p->type, "string");
	bool ok = true;
	if (!strcmp(p->type, "bool"))
		ok = strchr("yYnN01", val[0]) && val[0] && !val[1];
	else if (!charp)
		ok = is_number(val, p->type[0] != 'u' && strcmp(p->type, "ulong"));
	if (!ok) {
		err("Invalid value '%s' for global variable '%s' (%s expected).", val, name,
		    !strcmp(p->type, "bool") ? "a boolean" : "a number");
		return -1;
	}
	if (strpbrk(val, "\"\n")) {
		err("Invalid value for global variable '%s': double quotes and newlines "
		    "cannot be passed.", name);
		return -1;
	}
	/* The kernel's parameter parser takes "..." around values with spaces. */
	bool quote = strpbrk(val, " \t") != NULL;
	size_t need = *len + strlen(name) + strlen(val) + 5;
	char *nb = realloc(*buf, need);
	if (!nb)
		return -1;
	*buf = nb;
	*len += (size_t)sprintf(nb + *len, "%s%s=%s%s%s", *len ? " " : "", name,
				quote ? "\"" : "", val, quote ? "\"" : "");
	return 0;
}

int kmod_check(const char *path, const struct modinfo *mi, const struct options *o, char **params)
{
	const char *rel = kmod_release();
	size_t vlen = strcspn(mi->vermagic, " ");
	char *buf = NULL;
	size_t len = 0;

	if (strlen(rel) != vlen || strncmp(mi->vermagic, rel, vlen)) {
		err("Module '%s' was built for kernel %.*s, but the running kernel is %s.",
		    path, (int)vlen, mi->vermagic, rel);
		return -1;
	}
	if (mi->transport != STP_PROTOCOL_VERSION) {
		err("Module '%s' uses transport protocol %d; this staprun speaks %d.",
		    path, mi->transport, STP_PROTOCOL_VERSION);
		return -1;
	}
	if (kmod_loaded(mi->name)) {
		err("Module '%s' is already loaded: attach to it with 'staprun -A %s' or "
		    "remove it with 'staprun -d %s'.", mi->name, mi->name, mi->name);
		return -1;
	}
	buf = malloc(32);
	if (!buf)
		return -1;
	buf[0] = 0;
	if (o->buffer_mb)
		len = (size_t)snprintf(buf, 32, "_stp_bufsize=%d", o->buffer_mb);
	for (int i = 0; i < o->nmodopts; i++) {
		if (check_option(mi, o->modopts[i], &buf, &len) < 0) {
			free(buf);
			return -1;
		}
	}
	*params = buf;
	return 0;
}

/* SystemTap's wording for the errors finit_module gives most often. */
static const char *load_error(int e)
{
	switch (e) {
	case ENOEXEC:
		return "Invalid module format";
	case ENOENT:
		return "Unknown symbol in module";
	case ESRCH:
		return "Module has wrong symbol version";
	case EINVAL:
		return "Invalid parameters";
	default:
		return strerror(e);
	}
}

int kmod_load(const char *path, int fd, const struct modinfo *mi, const char *params)
{
	dbug(1, "inserting module %s (%s) with options '%s'", path, mi->name, params);
	priv_raise();
	long rc = syscall(SYS_finit_module, fd, params, 0);
	int e = errno;
	priv_lower();
	if (rc < 0) {
		if (e == EEXIST)
			err("Module '%s' is already loaded: attach to it with 'staprun -A %s' or "
			    "remove it with 'staprun -d %s'.", mi->name, mi->name, mi->name);
		else
			err("Couldn't insert module '%s': %s", path, load_error(e));
		return -1;
	}
	dbug(1, "module %s inserted from file %s", mi->name, path);
	return 0;
}

int kmod_unload(const char *name, bool force)
{
	long rc;
	int e;

	dbug(1, "removing module %s", name);
	priv_raise();
	/* The last reader's files may still be closing: retry briefly. */
	for (int i = 0; i < 50; i++) {
		rc = syscall(SYS_delete_module, name, O_NONBLOCK | (force ? O_TRUNC : 0));
		e = errno;
		if (rc == 0 || (e != EAGAIN && e != EBUSY))
			break;
		usleep(20000);
	}
	priv_lower();
	if (rc < 0) {
		err("Couldn't remove module '%s': %s.", name, strerror(e));
		return -1;
	}
	dbug(1, "module %s removed", name);
	return 0;
}
