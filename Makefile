# rawbpf build.  `make` = static stripped ./rawbpf (musl, static glibc fallback).
# `make debug` = build/debug/rawbpf with -O0 -g ASan+UBSan.  `make check` = every test,
# twice (release binary, then sanitizer build).  See README.md.
#
# Sources are found by folder: every .c below the module folders is part of the
# toolkit, except tests/, fuzz/ and progs/.  Adding a file needs no Makefile edit.

SHELL      := /bin/bash
MODULES    := common elf asm loader verifier-helpers
SRCS       := $(shell find $(MODULES) -name '*.c' -not -path '*/fuzz/*' -not -path '*/include/*' | sort)
LIB_SRCS   := $(filter-out loader/cli/main.c,$(SRCS))
HDRS       := $(shell find $(MODULES) -name '*.h' -not -path '*/include/*')
UNIT_SRCS  := $(shell find tests -name '*_test.c' 2>/dev/null | sort)
PROG_SRCS  := $(shell find progs -name '*.bpf.c' 2>/dev/null | sort)

B          := build
WARN       := -Wall -Wextra -Werror -Wvla -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CSTD       := -std=c17 -D_GNU_SOURCE -DRAWBPF_VERSION=\"0.1\"
INCS       := -I.
DEPS_OK    := $(B)/.deps-ok

# --- toolchain for the shipped binary -------------------------------------------------
# musl-gcc does not search the kernel UAPI headers; give it a folder that links only them.
MUSL_INC   := $(B)/musl-inc
ASM_DIR    := $(firstword $(wildcard /usr/include/$(shell gcc -dumpmachine)/asm) /usr/include/asm)
HAVE_MUSL  := $(shell command -v musl-gcc >/dev/null 2>&1 && echo yes)
# OWN_LIBC: common/libc.c replaces musl's printf family (and so is only for musl
# links; the host glibc builds keep their C library's).
OWN_LIBC   := -DRB_OWN_LIBC
ifeq ($(HAVE_MUSL),yes)
REL_CC     := musl-gcc
REL_INC    := -isystem $(MUSL_INC) $(OWN_LIBC)
else
REL_CC     := gcc
REL_INC    :=
endif
# -Oz, no PIE, no separate code segment/relro/build-id, and a small common-page-size so
# the data segment follows the code in the file without page padding: the size
# budget (`make size`).  No jump tables: a compare chain is smaller than a table
# of 8-byte addresses for the switches this code has; sections sorted by alignment pack
# tighter.  The -fno-* group below turns off
# passes that, measured one by one on this code, make it bigger at -Oz (sibling calls
# alone cost 1.6 KB: gcc duplicates epilogues to reach them); together -4.3 KB.
SIZE_PASSES:= -fno-optimize-sibling-calls -fno-caller-saves -fno-ipa-modref -fno-tree-loop-im \
              -fno-move-loop-invariants -fno-tree-fre -fno-tree-tail-merge -fno-if-conversion -fno-ipa-sra \
              -fno-tree-coalesce-vars -fno-tree-scev-cprop -fno-tree-loop-distribute-patterns
# x86 gcc aligns every array of 32 bytes or more to 32 (for vector loads this code never
# does); the ABI's alignment is enough and drops the padding (-0.9 KB).  The cross build
# filters it out: it is an x86 option.
X86_DATA   := -malign-data=abi
REL_FLAGS  := $(CSTD) $(WARN) -Oz -fno-jump-tables $(SIZE_PASSES) $(X86_DATA) -fno-pie -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
              -fno-stack-protector $(REL_INC) $(INCS)
REL_LDFLAGS:= -static -no-pie -s -Wl,--gc-sections -Wl,-z,noseparate-code,--build-id=none,-z,norelro,-z,common-page-size=64,--sort-section=alignment

# --- host builds for tests (glibc, Check) -----------------------------------------------
TEST_FLAGS := $(CSTD) $(WARN) -O1 -g $(INCS)
DBG_FLAGS  := $(CSTD) $(WARN) -O0 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined $(INCS)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -pthread)

CLANG_BPF  := clang -target bpf -O2 -g -Wall -Werror -Iverifier-helpers/include -I$(B)/progs \
              -I/usr/include/$(shell gcc -dumpmachine)

REL_OBJS   := $(SRCS:%.c=$(B)/rel/%.o)
TEST_OBJS  := $(LIB_SRCS:%.c=$(B)/test/%.o)
DBG_OBJS   := $(SRCS:%.c=$(B)/debug/%.o)
DBG_LIB    := $(LIB_SRCS:%.c=$(B)/debug/%.o)
UNIT_BINS  := $(UNIT_SRCS:%.c=$(B)/test/%)
UNIT_DBG   := $(UNIT_SRCS:%.c=$(B)/debug/%)
PROG_OBJS  := $(PROG_SRCS:%.bpf.c=$(B)/%.bpf.o)

# --- cross build: `make ARCH=arm64` -> build/arm64/rawbpf (static musl, aarch64) and
# build/arm64/progs (BPF objects built for __TARGET_ARCH_arm64: pt_regs differ).
# Debian has no musl cross compiler: scripts/cross-musl.sh points the cross gcc at
# Debian's musl-dev:arm64, fetched without installing it.  ARCH unset = native.
ARCH       ?=
XB         := $(B)/arm64
X_MUSL     := $(XB)/musl
X_CC       := aarch64-linux-gnu-gcc -specs $(X_MUSL)/musl-gcc.specs
X_FLAGS    := $(filter-out $(REL_INC) $(X86_DATA),$(REL_FLAGS)) -isystem $(X_MUSL)/uapi $(OWN_LIBC)
X_OBJS     := $(SRCS:%.c=$(XB)/rel/%.o)
X_PROGS    := $(PROG_SRCS:%.bpf.c=$(XB)/%.bpf.o)
X_DEPS_OK  := $(B)/.deps-ok-arm64
X_CLANG    := $(filter-out -I/usr/include/%,$(CLANG_BPF)) -D__TARGET_ARCH_arm64 \
              -I/usr/aarch64-linux-gnu/include

.PHONY: all deps debug check check-unit check-integration check-debug progs demo bench size \
        clean fuzz man check-vm cross
ifeq ($(ARCH),arm64)
all: cross
progs: $(X_PROGS)
else ifneq ($(filter-out x86_64 amd64 x86,$(ARCH)),)
$(error ARCH=$(ARCH): the cross build knows arm64 only (leave ARCH unset for a native build))
else
all: rawbpf man
progs: $(PROG_OBJS)
endif
cross: $(XB)/rawbpf $(X_PROGS)

$(X_DEPS_OK): scripts/deps.sh | $(DEPS_OK)
	@ARCH=arm64 scripts/deps.sh
	@mkdir -p $(B) && touch $@

$(X_MUSL)/musl-gcc.specs: scripts/cross-musl.sh | $(X_DEPS_OK)
	scripts/cross-musl.sh arm64 $(X_MUSL)

$(XB)/rawbpf: $(X_OBJS)
	$(X_CC) $(X_FLAGS) $(REL_LDFLAGS) -o $@ $(X_OBJS)
	scripts/sstrip.py $@

$(XB)/rel/%.o: %.c | $(X_MUSL)/musl-gcc.specs
	@mkdir -p $(dir $@)
	$(X_CC) $(X_FLAGS) -MMD -MP -c -o $@ $<

$(XB)/progs/%.bpf.o: progs/%.bpf.c $(wildcard verifier-helpers/include/rawbpf/*.h) | $(X_DEPS_OK)
	@mkdir -p $(dir $@)
	$(X_CLANG) -c -o $@ $<
$(filter $(XB)/progs/core/%,$(X_PROGS)): $(B)/progs/vmlinux.h

deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@scripts/deps.sh
	@mkdir -p $(B) && touch $@

$(MUSL_INC): | $(DEPS_OK)
	@mkdir -p $@
	@ln -sfn /usr/include/linux $@/linux
	@ln -sfn $(ASM_DIR) $@/asm
	@ln -sfn /usr/include/asm-generic $@/asm-generic

# sstrip.py then drops the section header table the loader never reads (-1 KB).
rawbpf: $(REL_OBJS) | $(DEPS_OK)
	$(REL_CC) $(REL_FLAGS) $(REL_LDFLAGS) -o $@ $(REL_OBJS)
	scripts/sstrip.py $@

$(B)/rel/%.o: %.c | $(MUSL_INC) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(REL_CC) $(REL_FLAGS) -MMD -MP -c -o $@ $<

$(B)/test/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	gcc $(TEST_FLAGS) -MMD -MP -c -o $@ $<

$(B)/debug/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	gcc $(DBG_FLAGS) -MMD -MP -c -o $@ $<

$(B)/test/librawbpf.a: $(TEST_OBJS)
	@rm -f $@; ar rcs $@ $^

$(B)/debug/librawbpf.a: $(DBG_LIB)
	@rm -f $@; ar rcs $@ $^

$(B)/test/tests/%: tests/%.c $(B)/test/librawbpf.a tests/check_main.h
	@mkdir -p $(dir $@)
	gcc $(TEST_FLAGS) -Itests -o $@ $< $(B)/test/librawbpf.a $(CHECK_LIBS)

$(B)/debug/tests/%: tests/%.c $(B)/debug/librawbpf.a tests/check_main.h
	@mkdir -p $(dir $@)
	gcc $(DBG_FLAGS) -Itests -o $@ $< $(B)/debug/librawbpf.a $(CHECK_LIBS)

debug: $(B)/debug/rawbpf
$(B)/debug/rawbpf: $(DBG_OBJS)
	gcc $(DBG_FLAGS) -o $@ $^

# BPF programs used by the demo and the integration tests.
$(B)/progs/%.bpf.o: progs/%.bpf.c $(wildcard verifier-helpers/include/rawbpf/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CLANG_BPF) -c -o $@ $<

# CO-RE test programs (progs/core/) include the running kernel's types.
# bpftool is a test-only oracle; this header only feeds test programs.
$(B)/progs/vmlinux.h: | $(DEPS_OK)
	@mkdir -p $(dir $@)
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@
$(filter $(B)/progs/core/%,$(PROG_OBJS)): $(B)/progs/vmlinux.h

# loader/cli/help.txt ships DEFLATE-compressed (scripts/mkhelp.sh; loader/cli/help.c includes the array).
$(B)/gen/help_txt.inc: loader/cli/help.txt scripts/mkhelp.sh
	@mkdir -p $(dir $@)
	scripts/mkhelp.sh $< > $@.tmp && mv $@.tmp $@
$(B)/rel/loader/cli/help.o $(B)/test/loader/cli/help.o $(B)/debug/loader/cli/help.o: $(B)/gen/help_txt.inc

man: $(B)/rawbpf.1
$(B)/rawbpf.1: rawbpf scripts/mkman.sh
	scripts/mkman.sh ./rawbpf > $@

# --- tests ---------------------------------------------------------------------------
check: all progs $(UNIT_BINS) debug $(UNIT_DBG)
	@scripts/run-tests.sh --rawbpf ./rawbpf --unit $(B)/test/tests --label release
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/run-tests.sh --rawbpf $(B)/debug/rawbpf --unit $(B)/debug/tests --label sanitizer
	@scripts/run-tests.sh --summary

check-unit: $(UNIT_BINS)
	@scripts/run-tests.sh --unit $(B)/test/tests --label unit --only-unit

# One module's tests: make check-one T=tests/elf  (unit + integration under that folder);
# the label follows T so that two runs at once keep their own results.
check-one: all progs $(UNIT_BINS)
	@scripts/run-tests.sh --rawbpf ./rawbpf --unit $(B)/test/tests --label one-$(subst /,_,$(T)) --only $(T)

# ARCH=arm64: the arm64 build in arm64 guests (qemu-system-aarch64, TCG).
check-vm: all progs
	@VM_ARCH=$(if $(filter arm64,$(ARCH)),arm64,amd64) scripts/vm/run-matrix.sh

demo: all progs
	@scripts/demo.sh ./rawbpf $(B)/progs/demo/counter.bpf.o

bench: all progs
	@scripts/bench/run.sh

size: rawbpf
	@scripts/size.sh

fuzz: $(B)/gen/help_txt.inc
	@scripts/fuzz.sh

# header dependencies recorded by -MMD
-include $(shell find $(B) -name '*.d' 2>/dev/null)

clean:
	rm -rf $(B) rawbpf
