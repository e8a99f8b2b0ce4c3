/* Privilege checks and the setuid dance. */
#include "privilege.h"
#include "kmod.h"
#include "msg.h"
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uid_t real_uid, saved_euid;
static gid_t real_gid;

void priv_init(void)
{
	real_uid = getuid();
	real_gid = getgid();
	saved_euid = geteuid();
	if (saved_euid != real_uid && seteuid(real_uid) < 0) {
		err("Couldn't set the effective user ID: %s", strerror(errno));
		exit(1);
	}
}

void priv_raise(void)
{
	if (saved_euid != real_uid && seteuid(saved_euid) < 0) {
		err("Couldn't raise privileges: %s", strerror(errno));
		exit(1);
	}
}

void priv_lower(void)
{
	if (saved_euid != real_uid && seteuid(real_uid) < 0) {
		err("Couldn't lower privileges: %s", strerror(errno));
		exit(1);
	}
}

void priv_drop(void)
{
	if (saved_euid == real_uid)
		return;
	if (seteuid(saved_euid) < 0 || setgid(real_gid) < 0 || setuid(real_uid) < 0)
		_exit(127);
}

static bool in_group(const char *name)
{
	struct group *g = getgrnam(name);
	gid_t groups[NGROUPS_MAX];

	if (!g)
		return false;
	if (g->gr_gid == real_gid)
		return true;
	int n = getgroups(NGROUPS_MAX, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == g->gr_gid)
			return true;
	return false;
}

static int refuse_user(const char *what)
{
	err("You are trying to %s as a normal user.\n"
	    "You should either be root, or be part of group \"stapusr\" and possibly "
	    "the groups \"stapsys\" or \"stapdev\".", what);
	return -1;
}

static int need_root_euid(void)
{
	if (saved_euid != 0) {
		err("The effective user ID of staprun must be set to the root user.");
		return -1;
	}
	return 0;
}

/* stapusr may load only what the administrator installed. */
static int check_systemtap_dir(const char *path)
{
	char dir[PATH_MAX], real[PATH_MAX];
	struct stat st;

	snprintf(dir, sizeof(dir), "/lib/modules/%s/systemtap", kmod_release());
	const char *prefix = "Members of the \"stapusr\" and \"stapsys\" groups can only use "
		"modules within\n  the \"%s\" directory.\n  %s";
	if (!realpath(dir, real)) {
		err(prefix, dir, "That directory does not exist.");
		return -1;
	}
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & S_IWOTH)) {
		err(prefix, dir, "That directory must be owned by root and not be world writable.");
		return -1;
	}
	size_t n = strlen(real);
	if (strncmp(path, real, n) || path[n] != '/' || strchr(path + n + 1, '/')) {
		char why[PATH_MAX + 64];
		snprintf(why, sizeof(why), "Module \"%s\" does not exist within that directory.", path);
		err(prefix, dir, why);
		return -1;
	}
	if (stat(path, &st) < 0) {
		err("Couldn't get information on the module \"%s\": %s", path, strerror(errno));
		return -1;
	}
	if (st.st_uid != 0) {
		err("The module \"%s\" must be owned by root.", path);
		return -1;
	}
	if (st.st_mode & S_IWOTH) {
		err("The module \"%s\" must not be world writable.", path);
		return -1;
	}
	return 0;
}

int priv_check_load(const char *path)
{
	if (real_uid == 0)
		return 0;
	if (in_group("stapdev"))
		return need_root_euid();
	if (in_group("stapusr") || in_group("stapsys")) {
		if (check_systemtap_dir(path) < 0)
			return -1;
		return need_root_euid();
	}
	char what[PATH_MAX + 32];
	snprintf(what, sizeof(what), "load the module %s", path);
	return refuse_user(what);
}

int priv_check_attach(void)
{
	if (real_uid == 0)
		return 0;
	if (in_group("stapdev") || in_group("stapusr") || in_group("stapsys"))
		return need_root_euid();
	return refuse_user("run systemtap");
}
