#!/usr/bin/env bash
# wlsim's set-up and everyday commands. On a fresh Debian 12 (as root, or with sudo) it installs the
# Debian packages that are missing, makes the Python virtual environment in .venv, builds, and then:
#   ./dev.sh demo    runs the default example scenario and prints its summary
#   ./dev.sh test    runs every test: the C++ tests (ctest) and the Python tests (pytest)
#   ./dev.sh setup   only installs and builds
#   ./dev.sh check   the checks CI adds: the C++ tests under address+undefined sanitizers, clang-tidy,
#                    and the fuzzer for FUZZ_SECONDS (default 120)
set -euo pipefail
cd "$(dirname "$0")"

DEBIAN_PACKAGES=(g++ cmake ninja-build git python3 python3-venv python3-dev
                 libboost-graph-dev libeigen3-dev catch2 libyaml-cpp-dev libbenchmark-dev
                 nlohmann-json3-dev libcli11-dev libsqlite3-dev libsimdjson-dev)
# What the checks beyond the tests need (./dev.sh check): clang's libFuzzer and clang-tidy.
CHECK_PACKAGES=(clang libclang-rt-14-dev clang-tidy)

install_missing_packages() {
  local missing=()
  for p in "${@:-${DEBIAN_PACKAGES[@]}}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "== installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

make_venv() {
  if [ ! -x .venv/bin/python ]; then
    echo "== making the virtual environment .venv"
    python3 -m venv .venv
  fi
  echo "== building and installing wlsim into .venv (pip install '.[test]')"
  .venv/bin/python -m pip install -q --disable-pip-version-check '.[test]'
}

build_cpp() {
  echo "== building the C++ tests and benchmarks (cmake --preset release)"
  cmake --preset release >/dev/null
  cmake --build --preset release
}

case "${1:-}" in
  setup)
    install_missing_packages
    make_venv
    ;;
  demo)
    install_missing_packages
    make_venv
    echo "== wlsim run scenarios/examples/hello.yaml"
    .venv/bin/wlsim run scenarios/examples/hello.yaml
    ;;
  test)
    install_missing_packages
    make_venv
    build_cpp
    echo "== C++ tests"
    ctest --preset release -j "$(nproc)"
    echo "== Python tests"
    .venv/bin/python -m pytest -q tests/python
    ;;
  check)
    install_missing_packages "${DEBIAN_PACKAGES[@]}" "${CHECK_PACKAGES[@]}"
    echo "== C++ tests under -fsanitize=address,undefined"
    cmake --preset asan >/dev/null
    cmake --build --preset asan
    ctest --preset asan -j "$(nproc)"
    echo "== clang-tidy (.clang-tidy) on engine/, models/, scenarios/"
    cmake --preset tidy >/dev/null
    run-clang-tidy-14 -p build/tidy -quiet -j "$(nproc)" '/(engine|models|scenarios)/(cli/)?[^/]*\.cpp$' >build/tidy/report.txt 2>&1 ||
      { grep -E "(warning|error):" build/tidy/report.txt | head -50; exit 1; }
    echo "== fuzzing the scenario loader and runner for ${FUZZ_SECONDS:-120} s"
    tests/fuzz/run "${FUZZ_SECONDS:-120}" -- -seed="${FUZZ_SEED:-1}"  # a fixed seed: CI replays the same search
    ;;
  *)
    echo "usage: ./dev.sh demo | test | setup | check" >&2
    exit 2
    ;;
esac
