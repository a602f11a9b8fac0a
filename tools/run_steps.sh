#!/usr/bin/env bash
# Runs the steps of `make test` in order, each timed in wall-clock and CPU seconds (user +
# system, its processes together), and stops at the first that fails.
#
# A step written "a+b" runs the make targets a and b side by side. Each of the test steps leaves
# one of CI's two cores mostly idle (their CPU time is about their wall time), so pairs of steps
# that share no files run together: the unit tests on the two backends, and the studies'
# papermill runs beside the chapters' nbval runs. The output of each side goes to
# _build/steps/<target>.log and is printed once both have finished, one after the other.
#
# Usage: tools/run_steps.sh "VAR=value ..." step...   (the variables are passed to every make)
# The times are printed at the end and kept in _build/step-times.txt.
set -uo pipefail

read -ra make_vars <<< "$1"
shift
make_cmd=${MAKE:-make}
mkdir -p _build/steps
: > _build/step-times.txt

# One make target, timed: its output to stdout, "wall cpu" to _build/steps/<target>.time.
run_target() {
    local target=$1 t0 status
    t0=$(date +%s)
    TIMEFORMAT="%U %S"
    { time "$make_cmd" --no-print-directory "$target" "${make_vars[@]}" 2>&1; } \
        2> "_build/steps/$target.cpu"
    status=$?
    echo "$(( $(date +%s) - t0 )) $(awk '{printf "%.0f", $1 + $2}' "_build/steps/$target.cpu")" \
        > "_build/steps/$target.time"
    return $status
}

start=$(date +%s)
for step in "$@"; do
    IFS=+ read -ra targets <<< "$step"
    echo "==== step $step"
    t0=$(date +%s)
    failed=0
    if [ "${#targets[@]}" -eq 1 ]; then
        run_target "$step" || failed=1
    else
        pids=()
        for target in "${targets[@]}"; do
            run_target "$target" > "_build/steps/$target.log" &
            pids+=($!)
        done
        for pid in "${pids[@]}"; do
            wait "$pid" || failed=1
        done
        for target in "${targets[@]}"; do
            echo "==== $target (beside the others of step $step)"
            cat "_build/steps/$target.log"
        done
    fi
    cpu=0
    sides=""
    for target in "${targets[@]}"; do
        read -r wall target_cpu < "_build/steps/$target.time"
        cpu=$(( cpu + target_cpu ))
        sides+="  $target: $wall s (CPU $target_cpu s)"$'\n'
    done
    echo "step $step: $(( $(date +%s) - t0 )) s (CPU $cpu s)" | tee -a _build/step-times.txt
    if [ "${#targets[@]}" -gt 1 ]; then
        printf "%s" "$sides" | tee -a _build/step-times.txt
    fi
    if [ "$failed" -ne 0 ]; then
        echo "step $step failed" >&2
        exit 1
    fi
done
echo "total: $(( $(date +%s) - start )) s" >> _build/step-times.txt
echo "==== step times"
cat _build/step-times.txt
