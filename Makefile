# mcthermo - build, test and install.
#
#   make deps        install every build and test dependency (apt-get)
#   make             build ./mcthermo
#   make test        install missing dependencies, build, run every test
#   make run         build and run the nightly job on the shipped configuration
#   make check-asan  the test suite under AddressSanitizer + UBSan
#   make check-valgrind  a full run over the fixtures under valgrind (leaks fail)
#   make install     PREFIX=/usr/local (DESTDIR honoured)
#   make fuzz        run every fuzz target for FUZZ_SECONDS each
#   make format / make lint

PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/mcthermo
O       ?= build
CC      ?= cc

PKGS = libcurl libxml-2.0 libpcre2-8 sqlite3 inih libzstd libcrypto poppler-glib libutf8proc
# Debian packages: libraries, test tools (cmocka, nginx, sqlite3 CLI, clang
# for libFuzzer and the sanitizers), and chromium for the report's browser test.
DEB_PKGS = build-essential pkg-config libcurl4-openssl-dev libxml2-dev libpcre2-dev \
	libsqlite3-dev libcmocka-dev libinih-dev libzstd-dev libssl-dev libpoppler-glib-dev \
	libutf8proc-dev nginx-light sqlite3 clang libclang-rt-dev valgrind python3 curl ca-certificates chromium

WARN    = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CSTD    = -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) cmocka 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
ifeq ($(SAN),1)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
endif
ALL_CFLAGS  = $(CSTD) $(OPT) $(WARN) $(SANFLAGS) -DMCT_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_DIRS = common config store crawler rules extract score report cli
LIB_SRC  = $(filter-out cli/main.c,$(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_OBJ  = $(LIB_SRC:%.c=$(O)/%.o)
HDRS     = $(wildcard $(addsuffix /*.h,$(LIB_DIRS)) tests/support/*.h)
SUPPORT_SRC = $(wildcard tests/support/*.c)
SUPPORT_OBJ = $(SUPPORT_SRC:%.c=$(O)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(O)/tools/%)

.PHONY: mcthermo all deps ensure-deps test test-run run check-asan check-valgrind install uninstall clean format lint fuzz demo bench

all: mcthermo

V ?= 0
Q = $(if $(filter 1,$(V)),,@)

$(O)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),true,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(O)/libmct.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(O)/mcthermo: $(O)/cli/main.o $(O)/libmct.a
	@$(if $(filter 1,$(V)),true,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

mcthermo: $(O)/mcthermo
	@if [ "$(O)" = build ]; then cp -f $(O)/mcthermo ./mcthermo; fi

$(O)/tests/%: tests/unit/%.c $(O)/libmct.a $(SUPPORT_OBJ) $(HDRS)
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),true,echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(O)/libmct.a $(PKG_LIBS) -lcmocka
# The reliability suites share a header of their own.
$(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_reliability_*.c)): \
	tests/unit/test_reliability.h

$(O)/tools/%: tests/tools/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(OPT) $(WARN) $(SANFLAGS) $(ALL_LDFLAGS) -o $@ $< -lpthread -lz

# ---- dependencies ---------------------------------------------------------
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_PKGS)

# Installs the dependencies only when something is missing.
ensure-deps:
	@if ! pkg-config --exists $(PKGS) cmocka 2>/dev/null || ! [ -x /usr/sbin/nginx ] || \
	   ! command -v chromium >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory deps; fi

# ---- tests ----------------------------------------------------------------
test:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory test-run

test-run: mcthermo $(UNIT_BIN) $(TOOL_BIN)
	@O=$(O) sh tests/run.sh

check-asan:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory O=build-asan SAN=1 test-run

# Two nights and the read commands over tests/fixtures/reliability/full-run.ini.
VALGRIND = valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
	--suppressions=tests/valgrind.supp
check-valgrind:
	@$(MAKE) --no-print-directory ensure-deps
	@command -v valgrind >/dev/null || $(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory mcthermo
	rm -rf $(O)/valgrind && mkdir -p $(O)/valgrind
	set -e; m="$(VALGRIND) $(O)/mcthermo --config tests/fixtures/reliability/full-run.ini \
		--db $(O)/valgrind/mcthermo.db"; $$m run --date 2026-01-15; $$m run --date 2026-01-16; \
		$$m readings >/dev/null; $$m evidence >/dev/null; $$m explain ES >/dev/null; \
		$$m report --out $(O)/valgrind/report >/dev/null

# ---- running --------------------------------------------------------------
run:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory mcthermo
	./mcthermo --config config/mcthermo.ini run

demo:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory mcthermo
	sh tests/demo.sh

bench:
	@$(MAKE) --no-print-directory ensure-deps
	@$(MAKE) --no-print-directory mcthermo
	sh bench/run.sh

# ---- fuzzing (libFuzzer, clang) ----------------------------------------------
FUZZ_SECONDS ?= 60
fuzz:
	@$(MAKE) --no-print-directory ensure-deps
	sh fuzz/run.sh $(FUZZ_SECONDS)

# ---- install --------------------------------------------------------------
install: mcthermo
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(DATADIR)/rules
	install -m 755 $(O)/mcthermo $(DESTDIR)$(PREFIX)/bin/mcthermo
	install -m 644 man/mcthermo.1 $(DESTDIR)$(PREFIX)/share/man/man1/mcthermo.1
	install -m 644 rules/defs/*.rules $(DESTDIR)$(DATADIR)/rules/
	sed -e 's|^path *= *\.\./rules/defs|path = rules|' -e 's|^path *= *\.\./mcthermo\.db|path = ~/.local/share/mcthermo/mcthermo.db|' \
		config/mcthermo.ini > $(DESTDIR)$(DATADIR)/mcthermo.ini

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mcthermo $(DESTDIR)$(PREFIX)/share/man/man1/mcthermo.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz mcthermo

format:
	clang-format -i $(wildcard $(addsuffix /*.[ch],$(LIB_DIRS)) tests/*/*.[ch] fuzz/*.c)

lint:
	clang-format --dry-run --Werror $(wildcard $(addsuffix /*.[ch],$(LIB_DIRS)) tests/*/*.[ch] fuzz/*.c)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem -D__GNUC__ $(LIB_DIRS) tests fuzz
# Keep the support objects (made only as prerequisites of the test binaries).
.SECONDARY: $(SUPPORT_OBJ)
