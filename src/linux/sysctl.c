/* Namespaced sysctls: the allow-list follows the kernel's per-namespace
 * tables (ipc: kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*; net: net.*;
 * uts: kernel.hostname, kernel.domainname). */
#include "linux/sysctl.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "linux/procfs.h"

static const char *const ipc_sysctls[] = {
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
	"kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL,
};

/* The CLONE_NEW* namespace a sysctl belongs to, 0 if none. */
static int sysctl_namespace(const char *key)
{
	for (size_t i = 0; ipc_sysctls[i]; i++)
		if (strcmp(key, ipc_sysctls[i]) == 0)
			return CLONE_NEWIPC;
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		return CLONE_NEWIPC;
	if (strncmp(key, "net.", 4) == 0)
		return CLONE_NEWNET;
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return CLONE_NEWUTS;
	return 0;
}

/* Whether the namespace at path (joined by the container) is the one this
 * process is in: the host's, whose sysctls are not the container's to set. */
static bool is_own_namespace(const char *path, int type)
{
	const char *self = type == CLONE_NEWNET ? "/proc/self/ns/net" : type == CLONE_NEWIPC ? "/proc/self/ns/ipc"
											       : "/proc/self/ns/uts";
	struct stat a, b;

	return stat(path, &a) == 0 && stat(self, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The dotted name of a key given either way ("net.ipv4.ip_forward" or, as
 * runc and the kubelet also accept, "net/ipv4/ip_forward"); in out. */
static void dotted(const char *key, char *out, size_t size)
{
	snprintf(out, size, "%s", key);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '.';
}

int sysctl_validate(const struct oci_config *c, berth_err **err)
{
	const struct oci_linux *l = c->linux;

	for (size_t i = 0; l && i < l->n_sysctl; i++) {
		const char *key = l->sysctl[i].key;
		char name[256];
		int ns;
		const struct oci_namespace *n;

		dotted(key, name, sizeof(name));
		if (strlen(key) >= sizeof(name) || *key == '\0' || strstr(name, "..") || name[0] == '.')
			return berth_err_set(err, 0, "linux.sysctl: invalid key \"%s\"", key);
		ns = sysctl_namespace(name);
		if (ns == 0)
			return berth_err_set(err, 0, "linux.sysctl: \"%s\" is not namespaced and cannot be set "
						     "for a container", key);
		n = oci_config_namespace(c, ns);
		if (n == NULL || (n->path && *n->path && is_own_namespace(n->path, ns)))
			return berth_err_set(err, 0, "linux.sysctl: \"%s\" needs %s %s namespace of the container's own",
					     key, ns == CLONE_NEWIPC ? "an" : "a", oci_namespace_name(ns));
		/* kernel.hostname and hostname would fight: the field wins;
		 * so do kernel.domainname and domainname. */
		if (strcmp(name, "kernel.hostname") == 0 && c->hostname && *c->hostname)
			return berth_err_set(err, 0, "linux.sysctl: \"%s\" conflicts with hostname", key);
		if (strcmp(name, "kernel.domainname") == 0 && c->domainname && *c->domainname)
			return berth_err_set(err, 0, "linux.sysctl: \"%s\" conflicts with domainname", key);
	}
	return 0;
}

int sysctl_apply(const struct oci_linux *l, berth_err **err)
{
	for (size_t i = 0; l && i < l->n_sysctl; i++) {
		char path[512];
		int n = snprintf(path, sizeof(path), "/proc/sys/%s", l->sysctl[i].key);

		if (n < 0 || (size_t)n >= sizeof(path))
			return berth_err_set(err, ENAMETOOLONG, "linux.sysctl: %s", l->sysctl[i].key);
		/* A key with slashes is a path already: its dots are part
		 * of names ("net/ipv4/conf/eth0.100/forwarding"). */
		if (strchr(l->sysctl[i].key, '/') == NULL)
			for (char *p = path + 10; *p; p++)
				if (*p == '.')
					*p = '/';
		if (procfs_write(path, l->sysctl[i].value, strlen(l->sysctl[i].value), err) < 0)
			return berth_err_wrap(err, "linux.sysctl: %s", l->sysctl[i].key);
	}
	return 0;
}
