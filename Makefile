# Entry points for people and CI. Every target that builds first runs scripts/install-deps,
# which installs missing Debian and npm packages and is silent when nothing is missing.

SHELL := /bin/bash
JOBS ?= $(shell nproc)
# The preset that `make build` uses; `make run` always uses release, `make test` dev.
PRESET ?= release
SURPLUS := build/release/tools/surplus/surplus
# What `make run` starts; tests and benchmarks are left to `make build` and `make test`.
RUN_TARGETS := surplus surplus-gateway surplus-orders surplus-offers surplus-notifications
FORMAT_DIRS := libs services tools tests bench
FORMAT_FILES = $(shell find $(FORMAT_DIRS) -type f \( -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null)

.PHONY: run test build deps format format-check clean

deps:
	@scripts/install-deps

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

# Migrations also run when a service starts; `surplus migrate` applies them first so that a
# failing migration stops here with its log. `surplus up` replaces the shell (exec), so
# Ctrl-C reaches it directly and it stops the services.
run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target $(RUN_TARGETS)
	$(SURPLUS) migrate
	$(SURPLUS) seed
	exec $(SURPLUS) up

# Runs every test, the PostgreSQL ones against a throwaway cluster that
# scripts/with-test-postgres starts and removes. SURPLUS_REQUIRE_POSTGRES=1 turns a missing
# TEST_DATABASE_URL into a failure instead of a skip.
test: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)
	SURPLUS_REQUIRE_POSTGRES=1 scripts/with-test-postgres ctest --preset dev -j $(JOBS)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

# Removes the two preset build trees; var/ (the local databases) and node_modules/ stay.
clean:
	rm -rf build/dev build/release
