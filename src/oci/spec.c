/* The default config.json of `berth spec`: the same document runc writes
 * (ociVersion aside), built as a json-c tree so that the rootless variant
 * is a handful of edits rather than a second copy. */
#include "oci/spec.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/cleanup.h"

#define OCI_VERSION "1.2.0"

static struct json_object *str(const char *s)
{
	struct json_object *o = json_object_new_string(s);
	if (o == NULL)
		berth_abort();
	return o;
}

static struct json_object *new_obj(void)
{
	struct json_object *o = json_object_new_object();
	if (o == NULL)
		berth_abort();
	return o;
}

/* Array of strings from a NULL-terminated list. */
static struct json_object *strs(const char *const *v)
{
	struct json_object *a = json_object_new_array();

	if (a == NULL)
		berth_abort();
	for (; *v; v++)
		json_object_array_add(a, str(*v));
	return a;
}

static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *mount(const char *dest, const char *type, const char *src, const char *const *opts)
{
	struct json_object *m = new_obj();

	put(m, "destination", str(dest));
	put(m, "type", str(type));
	put(m, "source", str(src));
	if (opts)
		put(m, "options", strs(opts));
	return m;
}

static struct json_object *idmap(unsigned id)
{
	struct json_object *a = json_object_new_array(), *m = new_obj();

	put(m, "containerID", json_object_new_int64(0));
	put(m, "hostID", json_object_new_int64(id));
	put(m, "size", json_object_new_int64(1));
	json_object_array_add(a, m);
	return a;
}

static struct json_object *process(void)
{
	static const char *const caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
	static const char *const args[] = { "sh", NULL };
	static const char *const env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
					   "TERM=xterm", NULL };
	struct json_object *p = new_obj(), *user = new_obj(), *c = new_obj(), *rl = json_object_new_array(),
			   *nofile = new_obj();

	put(p, "terminal", json_object_new_boolean(1));
	put(user, "uid", json_object_new_int(0));
	put(user, "gid", json_object_new_int(0));
	put(p, "user", user);
	put(p, "args", strs(args));
	put(p, "env", strs(env));
	put(p, "cwd", str("/"));
	put(c, "bounding", strs(caps));
	put(c, "effective", strs(caps));
	put(c, "permitted", strs(caps));
	put(c, "ambient", strs(caps));
	put(p, "capabilities", c);
	put(nofile, "type", str("RLIMIT_NOFILE"));
	put(nofile, "hard", json_object_new_int(1024));
	put(nofile, "soft", json_object_new_int(1024));
	json_object_array_add(rl, nofile);
	put(p, "rlimits", rl);
	put(p, "noNewPrivileges", json_object_new_boolean(1));
	return p;
}

static struct json_object *mounts(bool rootless)
{
	static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	static const char *const pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5",
					   NULL };
	static const char *const shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
	static const char *const mq[] = { "nosuid", "noexec", "nodev", NULL };
	static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const sys_rootless[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const cg[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };
	struct json_object *a = json_object_new_array(), *m;

	json_object_array_add(a, mount("/proc", "proc", "proc", NULL));
	json_object_array_add(a, mount("/dev", "tmpfs", "tmpfs", dev));
	m = mount("/dev/pts", "devpts", "devpts", pts);
	/* Without a mapping for gid 5 the kernel refuses gid=5. */
	if (rootless)
		json_object_array_del_idx(json_object_object_get(m, "options"), 5, 1);
	json_object_array_add(a, m);
	json_object_array_add(a, mount("/dev/shm", "tmpfs", "shm", shm));
	json_object_array_add(a, mount("/dev/mqueue", "mqueue", "mqueue", mq));
	/* sysfs cannot be mounted in a user namespace without its own network
	 * namespace: bind the host's instead. */
	if (rootless)
		json_object_array_add(a, mount("/sys", "none", "/sys", sys_rootless));
	else
		json_object_array_add(a, mount("/sys", "sysfs", "sysfs", sys));
	json_object_array_add(a, mount("/sys/fs/cgroup", "cgroup", "cgroup", cg));
	return a;
}

static struct json_object *linux_section(bool rootless)
{
	static const char *const masked[] = { "/proc/acpi",	    "/proc/asound",	"/proc/kcore",
					      "/proc/keys",	    "/proc/latency_stats", "/proc/timer_list",
					      "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
					      "/proc/scsi",	    NULL };
	static const char *const ro[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
					  NULL };
	static const char *const ns[] = { "pid", "network", "ipc", "uts", "mount", NULL };
	static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "user", NULL };
	struct json_object *l = new_obj(), *nss = json_object_new_array();

	if (rootless) {
		put(l, "uidMappings", idmap((unsigned)geteuid()));
		put(l, "gidMappings", idmap((unsigned)getegid()));
	} else {
		struct json_object *res = new_obj(), *devs = json_object_new_array(), *deny = new_obj();

		put(deny, "allow", json_object_new_boolean(0));
		put(deny, "access", str("rwm"));
		json_object_array_add(devs, deny);
		put(res, "devices", devs);
		put(l, "resources", res);
	}
	for (const char *const *n = rootless ? ns_rootless : ns; *n; n++) {
		struct json_object *o = new_obj();
		put(o, "type", str(*n));
		json_object_array_add(nss, o);
	}
	put(l, "namespaces", nss);
	put(l, "maskedPaths", strs(masked));
	put(l, "readonlyPaths", strs(ro));
	return l;
}

char *oci_spec_default(bool rootless)
{
	struct json_object *s = new_obj(), *root = new_obj();
	char *text;

	put(s, "ociVersion", str(OCI_VERSION));
	put(s, "process", process());
	put(root, "path", str("rootfs"));
	put(root, "readonly", json_object_new_boolean(1));
	put(s, "root", root);
	put(s, "hostname", str("berth"));
	put(s, "mounts", mounts(rootless));
	put(s, "linux", linux_section(rootless));
	text = strdup(json_object_to_json_string_ext(
		s, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB | JSON_C_TO_STRING_SPACED |
			   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(s);
	if (text == NULL)
		berth_abort();
	return text;
}
