# The two commands of the README: `make demo` and `make test`. Each installs dependencies,
# configures (CMake, Release), builds and runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo song through every stage: chart, arrangement, MIDI, stems, mix, master, reports.
demo: build
	@$(BUILD)/reel demo $(BUILD)/gravel-road

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD)
