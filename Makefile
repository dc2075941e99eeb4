# berth — build, test and install.
# `make` builds build/berth (static: no json-c or libseccomp needed at run
# time); `make check` builds and runs every test; SANITIZE=1 builds with
# ASan+UBSan into build/san. `make check` also installs and runs the engine
# tests (containerd, podman, Docker, CRI); BERTH_ENGINE_TESTS=0 skips them.

CC ?= gcc
PREFIX ?= /usr/local
SANITIZE ?= 0
VERSION := 0.1.0
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

# The C library: musl where scripts/musl-libs.sh could build json-c and
# libseccomp for it (build/config.mk says which, and why not), else glibc.
# LIBC=glibc forces glibc (into build/glibc); sanitizer, fuzz and valgrind
# builds are always glibc.
ifeq ($(SANITIZE),1)
LIBC := glibc
BUILD ?= build/san
else ifeq ($(LIBC),glibc)
BUILD ?= build/glibc
else
BUILD ?= build
endif
HOST_CC := $(CC)
CONFIG_MK := build/config.mk
ifneq ($(LIBC),glibc)
LIBC_DEP := $(CONFIG_MK)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(CONFIG_MK)
endif
endif
ifeq ($(LIBC),musl)
CC := $(MUSL_CC)
LDFLAGS += $(MUSL_LDFLAGS)
# static unit tests too: a host without musl (the cgroup-v2 test host) runs them
UNIT_LDFLAGS := -static
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 \
	-Wno-format-nonliteral
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fno-strict-aliasing
CPPFLAGS += -D_GNU_SOURCE -iquote src -DBERTH_VERSION='"$(VERSION)"' -DBERTH_COMMIT='"$(COMMIT)"'
LIBS := -ljson-c -lseccomp
ifeq ($(LIBC),musl)
# the binary's malloc is src/util/alloc.c's (src/cli/malloc.c says why)
CPPFLAGS += -DBERTH_OWN_MALLOC
endif

ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BIN_LIBS := -Wl,-Bstatic $(LIBS) -Wl,-Bdynamic
else
BIN_LDFLAGS := -static
BIN_LIBS := $(LIBS)
endif

LIB_SRC := $(sort $(wildcard src/util/*.c src/oci/*.c src/linux/*.c src/runtime/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/src/linux/trampoline_blob.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP := build/.deps-stamp
ENGINE_DEPS_STAMP := build/.deps-engines-stamp
ENGINE_DEPS_FAILED := build/.deps-engines-failed

.PHONY: all deps check unit integration install clean demo bench fuzz fuzz-build stress soak valgrind conformance v2sim

all: $(BUILD)/berth $(BUILD)/bhelper

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p build
	bash scripts/deps.sh
	@touch $@

deps: $(DEPS_STAMP)

$(CONFIG_MK): scripts/musl-libs.sh | $(DEPS_STAMP)
	@mkdir -p build
	bash scripts/musl-libs.sh $@

# The engines for tests/integration/5x_*.sh (scripts/deps.sh engines), once
# per clone, after the build packages (one apt at a time); not with
# BERTH_ENGINE_TESTS=0. A failed install (no mirror, not root) does not stop
# `make check`: its reason goes to build/.deps-engines-failed and the engine
# tests skip, quoting it; the next `make check` tries again.
$(ENGINE_DEPS_STAMP): scripts/deps.sh | $(DEPS_STAMP)
	@mkdir -p build
	@rm -f $(ENGINE_DEPS_FAILED)
	@echo "bash scripts/deps.sh engines"; \
	if bash scripts/deps.sh engines >build/deps-engines.log 2>&1; then \
		touch $@; \
	else \
		tail -n 1 build/deps-engines.log | sed 's/^deps: //' >$(ENGINE_DEPS_FAILED); \
		echo "deps: engine packages not installed: $$(cat $(ENGINE_DEPS_FAILED))" \
			"(log: build/deps-engines.log); the engine tests will skip"; \
	fi

ifneq ($(BERTH_ENGINE_TESTS),0)
CHECK_DEPS := $(ENGINE_DEPS_STAMP)
endif

$(BUILD)/obj/%.o: %.c $(LIBC_DEP) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The commit is compiled into --version and into the key of the seccomp
# program cache, so those objects follow HEAD; the stamp is rewritten only
# when the commit differs, so an unchanged tree rebuilds nothing.
COMMIT_STAMP := $(BUILD)/commit
$(COMMIT_STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(COMMIT)" ] || echo "$(COMMIT)" >$@
$(BUILD)/obj/src/cli/main.o $(BUILD)/obj/src/linux/seccomp.o: $(COMMIT_STAMP)
.PHONY: FORCE
FORCE:

# The trampoline the container's last exec runs from a sealed memfd
# (src/trampoline): static and small, so with musl where there is one,
# never with the sanitizers; carried in the library by an .incbin.
$(BUILD)/trampoline: src/trampoline/trampoline.c $(LIBC_DEP) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$$(command -v musl-gcc || echo gcc) -std=gnu11 $(WARN) -Os -static -s -fno-asynchronous-unwind-tables \
		-o $@ $<

$(BUILD)/obj/src/linux/trampoline_blob.o: src/linux/trampoline_blob.S $(BUILD)/trampoline
	@mkdir -p $(dir $@)
	$(CC) -c -DTRAMPOLINE_BIN='"$(BUILD)/trampoline"' -o $@ $<

$(BUILD)/libberth.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/berth: $(CLI_OBJ) $(BUILD)/libberth.a
	$(CC) $(CFLAGS) $(LDFLAGS) $(BIN_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libberth.a $(BIN_LIBS)

# The static helper program that integration tests put into their rootfs.
$(BUILD)/bhelper: tests/helper/bhelper.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -static -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(BUILD)/libberth.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -iquote tests/unit $(CFLAGS) $(LDFLAGS) $(UNIT_LDFLAGS) -o $@ $< $(BUILD)/libberth.a $(BIN_LIBS)

unit: $(UNIT_BIN)

check: all $(UNIT_BIN) $(CHECK_DEPS)
	BERTH=$(abspath $(BUILD)/berth) BHELPER=$(abspath $(BUILD)/bhelper) BERTH_SANITIZE=$(SANITIZE) \
	UNIT_DIR=$(abspath $(BUILD)/tests) bash tests/run.sh $(TESTS)

# Builds, makes the demo bundle from busybox-static and runs it.
demo: all
	bash scripts/demo.sh $(abspath $(BUILD)/berth)

bench: all
	bash bench/run.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c) built with clang, ASan and UBSan
# over the library compiled the same way into build/fuzz; `make fuzz` runs
# each for FUZZ_SECONDS on a copy of its seed corpus (tests/fuzz/run.sh).
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

fuzz-build:
	$(MAKE) LIBC=glibc BUILD=$(FUZZ_BUILD) CC="clang -fsanitize=fuzzer-no-link $(FUZZ_SAN)" CFLAGS="-O1 -g -std=gnu11 $(filter-out -Werror,$(WARN)) -fno-strict-aliasing" \
		$(FUZZ_BUILD)/libberth.a
	@for t in $(FUZZ_TARGETS); do \
		echo "clang ... -o $(FUZZ_BUILD)/$$t tests/fuzz/$$t.c"; \
		clang $(CPPFLAGS) -std=gnu11 $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) \
			-o $(FUZZ_BUILD)/$$t tests/fuzz/$$t.c $(FUZZ_BUILD)/libberth.a $(LIBS) || exit 1; \
	done

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) bash tests/fuzz/run.sh $(FUZZ_TARGETS)

# Fault injection and parallel stress (tests/stress, long: not in `check`).
stress: all
	BERTH=$(abspath $(BUILD)/berth) BHELPER=$(abspath $(BUILD)/bhelper) bash tests/stress/kill9.sh
	BERTH=$(abspath $(BUILD)/berth) BHELPER=$(abspath $(BUILD)/bhelper) bash tests/stress/parallel.sh

soak: all
	BERTH=$(abspath $(BUILD)/berth) BHELPER=$(abspath $(BUILD)/bhelper) bash tests/stress/soak.sh

# valgrind memcheck over the main commands (tests/stress/valgrind.sh) with a
# dynamically linked -O1 -g build in build/vg. VALGRIND names the valgrind
# (scripts/valgrind-unstable.sh: one new enough for berth's syscalls).
VALGRIND ?= valgrind
valgrind: $(BUILD)/bhelper
	$(MAKE) LIBC=glibc BUILD=build/vg BIN_LDFLAGS= CFLAGS="-O1 -g -std=gnu11 $(WARN) -fno-strict-aliasing" build/vg/berth
	BERTH=$(abspath build/vg/berth) BHELPER=$(abspath $(BUILD)/bhelper) VALGRIND=$(VALGRIND) \
		bash tests/stress/valgrind.sh

# The unit tests and berth-only suites with a pure cgroup-v2 view of a
# hybrid host, in a private mount namespace (tests/v2sim.sh; not in check).
v2sim: all $(UNIT_BIN)
	bash tests/v2sim.sh

# The OCI runtime-tools validation suite against berth, runc and crun
# (tests/conformance/run.sh; not in `check`). RUNTIME_TOOLS_SRC names a
# checkout of opencontainers/runtime-tools at commit 0105384.
conformance: $(BUILD)/berth
	BERTH=$(abspath $(BUILD)/berth) RUNTIME_TOOLS_SRC=$(RUNTIME_TOOLS_SRC) bash tests/conformance/run.sh

install: $(BUILD)/berth
	install -D -m 0755 $(BUILD)/berth $(DESTDIR)$(PREFIX)/bin/berth
	install -D -m 0644 docs/berth.8 $(DESTDIR)$(PREFIX)/share/man/man8/berth.8

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
