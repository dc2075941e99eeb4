/* The `features` document (runtime-spec features.md, features-linux.md):
 * what berth implements, independent of the host. Lists come from the
 * modules that implement them, so the document cannot drift from the code. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/lsm.h"
#include "linux/mount_opts.h"
#include "linux/seccomp.h"
#include "oci/config.h"
#include "runtime/container.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.1.0"
#endif

static struct json_object *str_array(const char *const *v)
{
	struct json_object *a = json_object_new_array();

	for (; v && *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static struct json_object *enabled(bool on)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	return o;
}

static struct json_object *linux_features(void)
{
	static const char *const namespaces[] = { "cgroup", "ipc",  "mount", "network", "pid",
						  "time",   "user", "uts",   NULL };
	struct json_object *l = json_object_new_object();
	struct json_object *caps = json_object_new_array();
	struct json_object *cg = json_object_new_object();
	struct json_object *sc = json_object_new_object();
	struct json_object *mx = json_object_new_object();

	for (int i = 0; i <= oci_cap_last_known(); i++) {
		const char *name = oci_cap_name(i);
		if (name)
			json_object_array_add(caps, json_object_new_string(name));
	}
	json_object_object_add(cg, "v1", json_object_new_boolean(true));
	json_object_object_add(cg, "v2", json_object_new_boolean(true));
	json_object_object_add(cg, "systemd", json_object_new_boolean(false));
	json_object_object_add(cg, "systemdUser", json_object_new_boolean(false));
	json_object_object_add(cg, "rdma", json_object_new_boolean(true));

	json_object_object_add(sc, "enabled", json_object_new_boolean(true));
	json_object_object_add(sc, "actions", str_array(seccomp_known_actions()));
	json_object_object_add(sc, "operators", str_array(seccomp_known_operators()));
	json_object_object_add(sc, "archs", str_array(seccomp_known_archs()));
	json_object_object_add(sc, "knownFlags", str_array(seccomp_known_flags()));
	/* every known flag is applied by seccomp(2) directly, which the
	 * kernels berth supports all accept */
	json_object_object_add(sc, "supportedFlags", str_array(seccomp_known_flags()));

	json_object_object_add(mx, "idmap", enabled(false));

	json_object_object_add(l, "namespaces", str_array(namespaces));
	json_object_object_add(l, "capabilities", caps);
	json_object_object_add(l, "cgroup", cg);
	json_object_object_add(l, "seccomp", sc);
	/* features-linux.md: whether berth supports it, not whether the
	 * host has it on now (a profile on a host without AppArmor is an
	 * error at create). */
	json_object_object_add(l, "apparmor", enabled(true));
	json_object_object_add(l, "selinux", enabled(false));
	json_object_object_add(l, "intelRdt", enabled(false));
	json_object_object_add(l, "mountExtensions", mx);
	return l;
}

static void indent(FILE *f, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("    ", f);
}

/* Writes o indented by four spaces per level with empty containers as []
 * and {}: the layout of runc's output (Go's MarshalIndent), which json-c's
 * own pretty printer does not produce. */
static void emit(FILE *f, struct json_object *o, int depth)
{
	const int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;

	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		if (n == 0) {
			fputs("[]", f);
			return;
		}
		fputs("[\n", f);
		for (size_t i = 0; i < n; i++) {
			indent(f, depth + 1);
			emit(f, json_object_array_get_idx(o, i), depth + 1);
			fputs(i + 1 < n ? ",\n" : "\n", f);
		}
		indent(f, depth);
		fputc(']', f);
	} else if (json_object_is_type(o, json_type_object)) {
		size_t i = 0, n = (size_t)json_object_object_length(o);
		if (n == 0) {
			fputs("{}", f);
			return;
		}
		fputs("{\n", f);
		json_object_object_foreach(o, key, val) {
			struct json_object *k = json_object_new_string(key);
			indent(f, depth + 1);
			fprintf(f, "%s: ", json_object_to_json_string_ext(k, flags));
			json_object_put(k);
			emit(f, val, depth + 1);
			fputs(++i < n ? ",\n" : "\n", f);
		}
		indent(f, depth);
		fputc('}', f);
	} else {
		fputs(json_object_to_json_string_ext(o, flags), f);
	}
}

char *runtime_features_json(void)
{
	static const char *const hooks[] = { "prestart",  "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop", NULL };
	struct json_object *doc = json_object_new_object();
	struct json_object *ann = json_object_new_object();
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (doc == NULL || ann == NULL)
		berth_abort();
	json_object_object_add(doc, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(doc, "ociVersionMax", json_object_new_string(BERTH_OCI_VERSION));
	json_object_object_add(doc, "hooks", str_array(hooks));
	json_object_object_add(doc, "mountOptions", str_array(mount_opts_known()));
	json_object_object_add(doc, "linux", linux_features());
	json_object_object_add(ann, "io.github.berth.version", json_object_new_string(BERTH_VERSION));
	json_object_object_add(doc, "annotations", ann);

	f = open_memstream(&out, &len);
	if (f == NULL)
		berth_abort();
	emit(f, doc, 0);
	if (fclose(f) != 0)
		berth_abort();
	json_object_put(doc);
	return out;
}
