# sqlasync — plain make, C11, libc only. See README.md and docs/building.md.
#
#   make                 build build/sqlasync
#   make example         install build tools if missing, build, report on examples/
#   make check-all       install everything the tests need if missing, then make test
#   make test            unit, golden, fuzz-replay, robust, diff, examples-test, semantic, fix-proof
#   make asan            the C suites built with clang ASan+UBSan into build/asan
#   make fuzz            libFuzzer on each tests/fuzz/fuzz_*.c for FUZZ_SECONDS each
#   make bench           parser speed and memory against python3's ast.parse
#   make format | format-check | tidy | clean
# WERROR=1 adds -Werror (CI sets it).

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wimplicit-fallthrough
ifdef WERROR
WARN    += -Werror
endif
LDLIBS  := -lpthread -lm
BUILD   ?= build
PYTHON  ?= /usr/bin/python3

SRCS    := $(sort $(wildcard src/*/*.c))
OBJS    := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
DEPS    := $(OBJS:.o=.d) $(BUILD)/obj/main.d
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
UNITBIN := $(UNIT:tests/unit/%.c=$(BUILD)/unit/%)
BIN     := $(BUILD)/sqlasync

# Fuzz targets: tests/fuzz/fuzz_<target>.c, each linked with the shared invariant checks, either
# with a plain replay driver (make test) or with libFuzzer (make fuzz).
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_COMMON  := tests/fuzz/invariants.c
REPLAYBIN    := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZBIN      := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SECONDS ?= 60

SANITIZE     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CFLAGS  := -O1 -g $(SANITIZE)
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
# Sanitized runs: fail on the first report, with a stack trace.
SAN_ENV      := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The suites of `make test`, in order. Each prints a closing "NAME: N passed, N failed" line.
TEST_SUITES ?= unit golden fuzz-replay robust diff examples-test semantic fix-proof
# Time limits in the robust suite are multiplied by this (sanitized builds are slower).
TIME_SCALE  ?= 1

# The main job of `make example`: the migration report of the example application. (Before
# `report` existed it was the parse summary that `make parse-examples` prints.)
MAIN_JOB = $(BIN) report examples/

.PHONY: all test unit golden diff fuzz-replay robust examples-test semantic fix-proof asan fuzz fuzz-bins \
        bench example parse-examples check-all deps format format-check tidy clean

all: $(BIN)

$(BIN): $(OBJS) $(BUILD)/obj/main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/replay_main.c tests/fuzz/fuzz_%.c $(FUZZ_COMMON) \
                        tests/fuzz/fuzz.h $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(LDFLAGS) -Isrc -Itests/fuzz -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) tests/fuzz/fuzz.h $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -fsanitize=fuzzer,address,undefined -Isrc -Itests/fuzz -o $@ \
	  $(filter %.c %.o,$^) $(LDLIBS)

-include $(DEPS)

# ---- the main job and set-up ------------------------------------------------------------------
example:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@$(MAIN_JOB)

# Parses every .py file in examples/ and prints a one-line summary.
parse-examples: all
	@sh scripts/parse_summary.sh $(BIN) examples

# Installs what the tests need (apt-get, only what is missing), then runs them.
check-all: deps
	@$(MAKE) --no-print-directory test

deps:
	@sh scripts/deps.sh test
	@if [ -f tests/pyenv/setup.sh ]; then bash tests/pyenv/setup.sh >/dev/null; fi

# ---- tests -----------------------------------------------------------------------------------
# Runs every suite even when one fails, then prints "total: N passed, N failed".
test: all
	@sh scripts/run_suites.sh $(BUILD)/log "$(MAKE) --no-print-directory" $(TEST_SUITES)

unit: $(UNITBIN)
	@sh tests/unit/run_unit.sh $(UNITBIN)

golden: all
	@sh tests/golden/run_golden.sh $(BIN)

fuzz-replay: $(REPLAYBIN)
	@sh tests/fuzz/replay.sh $(REPLAYBIN)

robust: all
	@TIME_SCALE=$(TIME_SCALE) sh tests/robust/run_robust.sh $(BIN) build/robust

diff: all
	@sh tests/diff/run_diff.sh $(BIN)

# The example application's own pytest suite (Debian's python3, deps from tests/pyenv/setup.sh).
examples-test:
	@mkdir -p $(BUILD)
	@if [ -f tests/pyenv/run_examples.sh ]; then \
	  bash tests/pyenv/run_examples.sh > $(BUILD)/examples-test.log 2>&1; rc=$$?; \
	  cat $(BUILD)/examples-test.log; \
	  sh scripts/pytest_summary.sh examples-test $$rc $(BUILD)/examples-test.log; \
	else echo "examples-test: 0 passed, 0 failed (no tests/pyenv/run_examples.sh)"; fi

# The Query -> select() rewrites run against SQLite before and after (tests/fix/semantic.py).
semantic:
	@if [ -f tests/fix/semantic.py ]; then \
	  pp=$$(bash tests/pyenv/setup.sh 2>/dev/null | tail -n 1) || exit 1; \
	  export "$$pp"; $(PYTHON) tests/fix/semantic.py; \
	else echo "semantic: 0 passed, 0 failed (no tests/fix/semantic.py)"; fi

# `sqlasync fix` proved on the running example app: suite, fix, re-parse, idempotence, suite.
fix-proof: all
	@bash tests/fix/run_example_proof.sh $(BIN)

# The suites that run our binary again, built with ASan+UBSan into build/asan.
asan:
	@$(SAN_ENV) $(MAKE) --no-print-directory BUILD=build/asan CC=clang \
	  CFLAGS="$(ASAN_CFLAGS)" LDFLAGS="$(SANITIZE)" TIME_SCALE=8 \
	  TEST_SUITES="unit golden fuzz-replay robust diff" test

# libFuzzer: each target for FUZZ_SECONDS; crashes are saved into tests/fuzz/corpus/<target>/.
fuzz:
	@$(MAKE) -s --no-print-directory BUILD=build/libfuzzer CC=clang CFLAGS="$(FUZZ_CFLAGS)" fuzz-bins
	@$(SAN_ENV) sh tests/fuzz/run_fuzz.sh build/libfuzzer/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-bins: $(FUZZBIN)

bench: all
	@sh scripts/deps.sh bench
	@sh bench/bench.sh $(BIN)

# ---- style -----------------------------------------------------------------------------------
FORMAT_FILES = $(SRCS) src/main.c $(wildcard src/*/*.h) $(wildcard tests/unit/*.[ch]) \
               $(wildcard tests/fuzz/*.[ch])

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

# One clang-tidy per file, two at a time: a crash or an error in one file does not hide the rest.
TIDY_FILES = $(SRCS) src/main.c $(wildcard tests/fuzz/*.c)
tidy:
	@mkdir -p $(BUILD)
	@printf '%s\n' $(TIDY_FILES) | xargs -P 2 -I{} clang-tidy --quiet {} -- $(WARN) -Isrc \
	  -Itests/fuzz > $(BUILD)/tidy.log 2>&1; rc=$$?; \
	  grep -v 'warnings.* generated' $(BUILD)/tidy.log; \
	  echo "tidy: $$(grep -c ': error: ' $(BUILD)/tidy.log) errors in $(words $(TIDY_FILES)) files"; \
	  exit $$rc

clean:
	rm -rf build
