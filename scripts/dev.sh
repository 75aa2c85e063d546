#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for PadLab, builds it in Release, then runs it or its tests.
#   scripts/dev.sh run [ARGS...]   build, then start padlab with ARGS
#   scripts/dev.sh test            build, then run the whole test suite
#   scripts/dev.sh sanitize        build with clang, ASan and UBSan (build-asan), run the suites
#                                  labelled "checked" (tests/CMakeLists.txt)
#   scripts/dev.sh fuzz            build the libFuzzer targets (build-asan), run each for
#                                  FUZZ_SECONDS (default 30) on its corpus in tests/fuzz/corpus,
#                                  as many at once as there are cores
# ccache, when installed, serves both builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PADLAB_BUILD_DIR:-$here/build}"
checked="${PADLAB_ASAN_BUILD_DIR:-$here/build-asan}"

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
    libopencv-dev libbenchmark-dev libgif-dev
    fonts-dejavu-core
)
# The tests also run the Python scripts `padlab code` writes.
test_packages=(python3-numpy python3-scipy python3-opencv python3-torch)
# The checked build: clang with its sanitizer and libFuzzer runtimes.
checked_packages=(clang-14 libclang-rt-14-dev)
fuzz_targets=(csv kernel options convolve layers lesson image npy tensorcsv)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Paths inside the repository are hashed relative to it, so that every clone shares the cache.
    export CCACHE_BASEDIR="$here"
fi

build_all() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
    cmake --build "$build" -j "$(nproc)"
}

# One clang build serves the sanitized suites and the fuzz targets: ASan and UBSan (stopping at
# the first report) and libFuzzer's coverage. -O1 without debug information and without the
# benchmarks keeps it quick to build; reports still name the functions.
configure_checked() {
    cmake -S "$here" -B "$checked" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g0" \
        -DPADLAB_FUZZ=ON -DPADLAB_BUILD_BENCH=OFF "${launcher[@]}"
}

build_checked() {
    configure_checked
    cmake --build "$checked" -j "$(nproc)" --target checked_suites "${fuzz_targets[@]/#/fuzz_}"
}

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

case "${1:-}" in
run)
    shift
    install_missing
    build_all
    exec "$build/app/padlab" "$@"
    ;;
test)
    packages+=("${test_packages[@]}")
    install_missing
    build_all
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$(nproc)"
    ;;
sanitize)
    packages+=("${test_packages[@]}" "${checked_packages[@]}")
    install_missing
    build_checked
    cd "$checked"
    # Qt and OpenCV keep some memory to the end on purpose: leaks are not what this run is for.
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" QT_QPA_PLATFORM=offscreen \
        ctest --output-on-failure -j "$(nproc)" -L checked
    ;;
fuzz)
    packages+=("${checked_packages[@]}")
    install_missing
    build_checked
    # New inputs go to a scratch corpus; the committed one is only read. A crash fails the run
    # with the input saved under build-asan/fuzz-findings: fix it, then add the input to
    # tests/fuzz/corpus/TARGET/ so that the plain suite keeps running it. One target per core
    # at a time, each with its log, shown when it ends.
    mkdir -p "$checked/fuzz-findings" "$checked/fuzz-logs"
    fuzz_one() {
        local target="$1" log="$checked/fuzz-logs/$1.log" status=0
        mkdir -p "$checked/fuzz-corpus/$target"
        ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
        "$checked/tests/fuzz/fuzz_$target" "$checked/fuzz-corpus/$target" "$here/tests/fuzz/corpus/$target" \
            -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$checked/fuzz-findings/$target-" >"$log" 2>&1 || status=$?
        if [ "$status" -eq 0 ]; then
            echo "== fuzz_$target: $(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}') inputs in ${FUZZ_SECONDS:-30} s, no finding"
        else
            echo "== fuzz_$target failed (exit $status):"
            cat "$log"
        fi
        return "$status"
    }
    failed=0
    running=0
    for target in "${fuzz_targets[@]}"; do
        fuzz_one "$target" &
        running=$((running + 1))
        if [ "$running" -ge "$(nproc)" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
    done
    while [ "$running" -gt 0 ]; do
        wait -n || failed=1
        running=$((running - 1))
    done
    exit "$failed"
    ;;
*)
    echo "usage: scripts/dev.sh run [ARGS...] | scripts/dev.sh test | scripts/dev.sh sanitize | scripts/dev.sh fuzz" >&2
    exit 2
    ;;
esac
