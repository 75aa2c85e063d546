#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for PadLab, builds it in Release, then runs it or its tests.
#   scripts/dev.sh run [ARGS...]   build, then start padlab with ARGS
#   scripts/dev.sh test            build, then run the whole test suite
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PADLAB_BUILD_DIR:-$here/build}"

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
    libopencv-dev libbenchmark-dev libgif-dev
    fonts-dejavu-core
)
# The tests also run the Python scripts `padlab code` writes.
test_packages=(python3-numpy python3-scipy python3-opencv python3-torch)

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

build_all() {
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build "$build" -j "$(nproc)"
}

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
*)
    echo "usage: scripts/dev.sh run [ARGS...] | scripts/dev.sh test" >&2
    exit 2
    ;;
esac
