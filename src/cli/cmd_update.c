/* `berth update`: changes a running container's resource limits, either
 * from a linux.resources JSON document (--resources FILE or - for stdin) or
 * from runc's individual flags. Only what is given changes. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const char update_help[] =
	"NAME:\n"
	"   berth update - update container resource constraints\n"
	"\n"
	"USAGE:\n"
	"   berth update [command options] <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Changes the cgroup limits of a running container. Values not given are\n"
	"left as they are. With --resources the limits come from a JSON object in\n"
	"the format of linux.resources in config.json, for example\n"
	"\n"
	"   {\"memory\": {\"limit\": 268435456}, \"cpu\": {\"quota\": 50000, \"period\": 100000},\n"
	"    \"pids\": {\"limit\": 100}, \"blockIO\": {\"weight\": 500}}\n"
	"\n"
	"and every other option is ignored. Sizes accept the suffixes k, m, g, t\n"
	"and p (powers of 1024), as in 512m or 1g.\n"
	"\n"
	"OPTIONS:\n"
	"   --resources value, -r value  path to the file containing the resources to update or '-' to read from the standard input\n"
	"   --blkio-weight value         per cgroup block IO weight, range is from 10 to 1000\n"
	"   --cpu-period value           CPU CFS period to be used for hardcapping (in usecs). 0 to use system default\n"
	"   --cpu-quota value            CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period\n"
	"   --cpu-share value            CPU shares (relative weight vs. other containers)\n"
	"   --cpu-rt-period value        CPU realtime period to be used for hardcapping (in usecs). 0 to use system default\n"
	"   --cpu-rt-runtime value       CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period\n"
	"   --cpuset-cpus value          CPU(s) to use\n"
	"   --cpuset-mems value          memory node(s) to use\n"
	"   --memory value               memory limit (in bytes)\n"
	"   --memory-reservation value   memory reservation or soft_limit (in bytes)\n"
	"   --memory-swap value          total memory usage (memory + swap); set '-1' to enable unlimited swap\n"
	"   --kernel-memory value        kernel memory limit (in bytes; cgroup v1 only, deprecated)\n"
	"   --kernel-memorytcp value     kernel memory limit for tcp buffer (in bytes; cgroup v1 only, deprecated)\n"
	"   --pids-limit value           maximum number of pids allowed in the container\n"
	"   --l3-cache-schema value      the string of Intel RDT/CAT L3 cache schema (not supported)\n"
	"   --mem-bw-schema value        the string of Intel RDT/MBA memory bandwidth schema (not supported)\n";

/* A size as docker's go-units RAMInBytes reads it: a decimal number, an
 * optional space, then an optional k/m/g/t/p (powers of 1024) with optional
 * "i" and "b": "512m", "1.5g", "1 GiB", "4096". */
static int parse_ram(const char *s, int64_t *out)
{
	const char *p = s, *num_end;
	double v, mul = 1;
	char *end;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	num_end = p;
	if (*p == ' ')
		p++;
	if (*p && strchr("kKmMgGtTpP", *p)) {
		static const char units[] = "kmgtp";
		for (const char *u = units; u <= strchr(units, tolower((unsigned char)*p)); u++)
			mul *= 1024;
		p++;
	}
	if (*p == 'i' || *p == 'I')
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p != '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end != num_end || v * mul >= 9223372036854775807.0)
		return -1;
	*out = (int64_t)(v * mul);
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int parse_i64(const char *s, int64_t *out)
{
	char *end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

struct update_flags {
	const char *blkio_weight, *cpu_period, *cpu_quota, *cpu_rt_period, *cpu_rt_runtime;
	const char *cpu_share, *cpuset_cpus, *cpuset_mems, *memory, *memory_reservation;
	const char *memory_swap, *kernel_memory, *kernel_memorytcp, *pids_limit;
	const char *l3_cache_schema, *mem_bw_schema;
};

/* Fills r from the individual flags; string fields of r point into argv.
 * Returns 0, or CLI_EXIT_FAILURE after reporting a bad value. */
static int resources_from_flags(const struct cli_ctx *ctx, const struct update_flags *f,
				struct oci_resources *r)
{
	const struct {
		const char *opt, *val;
		uint64_t *dest;
		bool *has;
	} u64s[] = {
		{ "cpu-period", f->cpu_period, &r->cpu.period, &r->cpu.has_period },
		{ "cpu-rt-period", f->cpu_rt_period, &r->cpu.realtime_period, &r->cpu.has_realtime_period },
		{ "cpu-share", f->cpu_share, &r->cpu.shares, &r->cpu.has_shares },
	};
	const struct {
		const char *opt, *val;
		int64_t *dest;
		bool *has;
	} i64s[] = {
		{ "cpu-quota", f->cpu_quota, &r->cpu.quota, &r->cpu.has_quota },
		{ "cpu-rt-runtime", f->cpu_rt_runtime, &r->cpu.realtime_runtime, &r->cpu.has_realtime_runtime },
	}, sizes[] = {
		{ "memory", f->memory, &r->memory.limit, &r->memory.has_limit },
		{ "memory-swap", f->memory_swap, &r->memory.swap, &r->memory.has_swap },
		{ "kernel-memory", f->kernel_memory, &r->memory.kernel, &r->memory.has_kernel },
		{ "kernel-memorytcp", f->kernel_memorytcp, &r->memory.kernel_tcp, &r->memory.has_kernel_tcp },
		{ "memory-reservation", f->memory_reservation, &r->memory.reservation, &r->memory.has_reservation },
	};

	if (f->l3_cache_schema && *f->l3_cache_schema)
		return cli_error(ctx, "Intel RDT/CAT: l3 cache schema is not supported");
	if (f->mem_bw_schema && *f->mem_bw_schema)
		return cli_error(ctx, "Intel RDT/MBA: memory bandwidth schema is not supported");

	for (size_t i = 0; i < ARRAY_SIZE(u64s); i++) {
		if (u64s[i].val == NULL || *u64s[i].val == '\0')
			continue;
		if (parse_u64(u64s[i].val, u64s[i].dest) < 0)
			return cli_error(ctx, "invalid value for %s: \"%s\"", u64s[i].opt, u64s[i].val);
		*u64s[i].has = true;
		r->has_cpu = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(i64s); i++) {
		if (i64s[i].val == NULL || *i64s[i].val == '\0')
			continue;
		if (parse_i64(i64s[i].val, i64s[i].dest) < 0)
			return cli_error(ctx, "invalid value for %s: \"%s\"", i64s[i].opt, i64s[i].val);
		*i64s[i].has = true;
		r->has_cpu = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (sizes[i].val == NULL || *sizes[i].val == '\0')
			continue;
		if (strcmp(sizes[i].val, "-1") == 0)
			*sizes[i].dest = -1;
		else if (parse_ram(sizes[i].val, sizes[i].dest) < 0)
			return cli_error(ctx, "invalid value for %s: invalid size: '%s'", sizes[i].opt,
					 sizes[i].val);
		*sizes[i].has = true;
		r->has_memory = true;
	}
	/* An unlimited memory limit with the swap limit left alone would leave
	 * swap below memory, which the kernel refuses. */
	if (r->memory.has_limit && r->memory.limit == -1 && !r->memory.has_swap) {
		r->memory.has_swap = true;
		r->memory.swap = -1;
	}
	if (f->cpuset_cpus && *f->cpuset_cpus) {
		r->cpu.cpus = (char *)f->cpuset_cpus;
		r->has_cpu = true;
	}
	if (f->cpuset_mems && *f->cpuset_mems) {
		r->cpu.mems = (char *)f->cpuset_mems;
		r->has_cpu = true;
	}
	if (f->blkio_weight && *f->blkio_weight) {
		uint64_t w;
		if (parse_u64(f->blkio_weight, &w) < 0 || w > UINT16_MAX)
			return cli_error(ctx, "invalid value for blkio-weight: \"%s\"", f->blkio_weight);
		/* runc treats 0 as "not given" */
		if (w != 0) {
			r->has_blkio = true;
			r->blkio.has_weight = true;
			r->blkio.weight = (uint16_t)w;
		}
	}
	if (f->pids_limit && *f->pids_limit) {
		if (parse_i64(f->pids_limit, &r->pids_limit) < 0)
			return cli_error(ctx, "invalid value for pids-limit: \"%s\"", f->pids_limit);
		r->has_pids = true;
	}
	return 0;
}

static struct oci_resources *resources_from_file(const char *path, berth_err **err)
{
	_cleanup_free_ char *json = NULL;
	struct oci_resources *r;
	size_t len = 0;

	if (strcmp(path, "-") == 0)
		json = read_fd_all(STDIN_FILENO, &len, err);
	else
		json = read_file_at(AT_FDCWD, path, &len, err);
	if (json == NULL)
		return NULL;
	r = oci_resources_parse(json, len, err);
	if (r == NULL)
		berth_err_wrap(err, "%s", strcmp(path, "-") == 0 ? "resources from stdin" : path);
	return r;
}

int cmd_update(struct cli_ctx *ctx, int argc, char **argv)
{
	struct update_flags f = { 0 };
	const char *resources = NULL;
	const struct cli_opt opts[] = {
		{ "resources", 'r', CLI_OPT_STRING, &resources, NULL },
		{ "blkio-weight", 0, CLI_OPT_STRING, &f.blkio_weight, NULL },
		{ "cpu-period", 0, CLI_OPT_STRING, &f.cpu_period, NULL },
		{ "cpu-quota", 0, CLI_OPT_STRING, &f.cpu_quota, NULL },
		{ "cpu-share", 0, CLI_OPT_STRING, &f.cpu_share, NULL },
		{ "cpu-rt-period", 0, CLI_OPT_STRING, &f.cpu_rt_period, NULL },
		{ "cpu-rt-runtime", 0, CLI_OPT_STRING, &f.cpu_rt_runtime, NULL },
		{ "cpuset-cpus", 0, CLI_OPT_STRING, &f.cpuset_cpus, NULL },
		{ "cpuset-mems", 0, CLI_OPT_STRING, &f.cpuset_mems, NULL },
		{ "memory", 0, CLI_OPT_STRING, &f.memory, NULL },
		{ "memory-reservation", 0, CLI_OPT_STRING, &f.memory_reservation, NULL },
		{ "memory-swap", 0, CLI_OPT_STRING, &f.memory_swap, NULL },
		{ "kernel-memory", 0, CLI_OPT_STRING, &f.kernel_memory, NULL },
		{ "kernel-memorytcp", 0, CLI_OPT_STRING, &f.kernel_memorytcp, NULL },
		{ "pids-limit", 0, CLI_OPT_STRING, &f.pids_limit, NULL },
		{ "l3-cache-schema", 0, CLI_OPT_STRING, &f.l3_cache_schema, NULL },
		{ "mem-bw-schema", 0, CLI_OPT_STRING, &f.mem_bw_schema, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "update", .help = update_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	struct oci_resources flag_res = { 0 }, *parsed = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (resources && *resources) {
		parsed = resources_from_file(resources, &err);
		if (parsed == NULL)
			return cli_fail(ctx, err, NULL);
	} else if (resources_from_flags(ctx, &f, &flag_res) != 0) {
		return CLI_EXIT_FAILURE;
	}
	r = container_update(&ctx->rt, args[0], parsed ? parsed : &flag_res, &err);
	if (parsed)
		oci_resources_free(parsed);
	if (r < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}
