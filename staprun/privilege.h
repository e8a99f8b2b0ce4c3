/* Who may do what.  staprun may be installed setuid root, as SystemTap's
 * is: then it runs with the real user's identity and raises its effective
 * uid only around the calls that need root (finit_module, delete_module,
 * debugfs, mount), so files named on the command line are opened with the
 * user's own permissions. */
#ifndef STAPRUN_PRIVILEGE_H
#define STAPRUN_PRIVILEGE_H

void priv_init(void);
void priv_raise(void);
void priv_lower(void);
/* In a child about to run user code (-c, system(), a .so): for good. */
void priv_drop(void);

/* Kernel modules: root, or stapdev (any module), or stapusr/stapsys (a
 * module inside /lib/modules/`uname -r`/systemtap owned by root and not
 * writable by others).  Prints the error and returns -1 when refused. */
int priv_check_load(const char *canonical_path);
/* -A and -d: root, or any of the three groups. */
int priv_check_attach(void);

#endif
