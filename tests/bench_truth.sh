#!/usr/bin/env bash
# CTest: on a corpus from shared/bench/gen_corpus.py, `costs-sync report daily --json` must
# match the generator's truth.json to the token, scanned in one go and scanned in two halves.
# usage: bench_truth.sh COSTS_SYNC BENCH_DIR WORK_DIR
set -euo pipefail
sync=$1 bench=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
python3 "$bench/gen_corpus.py" "$work/corpus" --claude-mb 12 --codex-mb 4 --openclaw-mb 3 --days 30 --seed 11 >/dev/null
HOME="$work/corpus" COSTS_HOME="$work/state" "$sync" report daily --json --timezone UTC --fresh >"$work/fresh.json"
python3 "$bench/compare_truth.py" "$work/corpus/truth.json" "$work/fresh.json" --format rows

# The same corpus found in two scans: half the files first, then the rest.
mkdir -p "$work/half"
(cd "$work/corpus" && find . -name '*.jsonl*' | sort | awk 'NR % 2 == 0') >"$work/later.txt"
while read -r f; do mkdir -p "$work/half/$(dirname "$f")"; mv "$work/corpus/$f" "$work/half/$f"; done <"$work/later.txt"
HOME="$work/corpus" COSTS_HOME="$work/state" "$sync" report daily --json --timezone UTC >/dev/null
(cd "$work/half" && find . -type f) | while read -r f; do mv "$work/half/$f" "$work/corpus/$f"; done
HOME="$work/corpus" COSTS_HOME="$work/state" "$sync" report daily --json --timezone UTC >"$work/two-scans.json"
python3 "$bench/compare_truth.py" "$work/corpus/truth.json" "$work/two-scans.json" --format rows
rm -rf "$work"
