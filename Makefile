# The two commands (see README):
#   make demo   installs dependencies, builds kspm and scans examples/
#   make test   installs dependencies, builds and runs the whole test suite
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test bench docs format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "== kspm scan examples/ (table) =="
	-@$(BUILD)/kspm scan examples/
	@echo
	@echo "== kspm scan --framework pss-restricted examples/ (exit code 1 means findings) =="
	-@$(BUILD)/kspm scan -q --framework pss-restricted examples/ -o markdown | head -40

test: build
	@bash scripts/install-deps.sh --test
	@bash scripts/test.sh $(BUILD)

bench: build
	@bash scripts/bench.sh $(BUILD)

docs: build
	@$(BUILD)/kspm rules list -o markdown > docs/rules.md

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD)
