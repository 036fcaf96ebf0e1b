# sqlasync — plain make, C11, libc only.
# Targets: all test asan fuzz bench format tidy clean (see README.md).

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

.PHONY: all test unit golden diff fuzz-replay asan fuzz bench format tidy clean

all: $(BIN)

$(BIN): $(OBJS) $(BUILD)/obj/main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ $^ $(LDLIBS)

-include $(DEPS)

# ---- tests -----------------------------------------------------------------------------------
test: all unit golden fuzz-replay diff

unit: $(UNITBIN)
	@sh tests/unit/run_unit.sh $(UNITBIN)

golden: all
	@sh tests/golden/run_golden.sh $(BIN)

fuzz-replay: $(BUILD)/fuzz-replay
	@sh tests/fuzz/replay.sh $(BUILD)/fuzz-replay

$(BUILD)/fuzz-replay: tests/fuzz/replay_main.c $(wildcard tests/fuzz/fuzz_*.c) $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ tests/fuzz/replay_main.c $(OBJS) $(LDLIBS)

diff: all
	@sh tests/diff/run_diff.sh $(BIN)

# The whole suite again, built with ASan+UBSan into build/asan.
asan:
	$(MAKE) BUILD=build/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" test

FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/fuzz/run_fuzz.sh $(FUZZ_SECONDS)

bench: all
	@sh bench/bench.sh $(BIN)

format:
	clang-format -i $(SRCS) src/main.c $(wildcard src/*/*.h) $(wildcard tests/unit/*.[ch]) \
	  $(wildcard tests/fuzz/*.c)

tidy:
	clang-tidy --quiet $(SRCS) src/main.c -- $(WARN) -Isrc

clean:
	rm -rf build
