#!/usr/bin/env bash
# Installs every Debian 12 package corothrift's build, tests, benchmark and demo use.
# Apache Thrift 0.17 (thrift-compiler, libthrift-dev, python3-thrift) is a test and
# benchmark peer only; nothing in corothrift links it (libevent-dev: for Apache's
# TNonblockingServer in bench/rpc_bench).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  ca-certificates g++ clang libclang-rt-14-dev binutils pkg-config meson ninja-build python3 \
  doctest-dev libbenchmark-dev libasio-dev nlohmann-json3-dev libcli11-dev \
  thrift-compiler libthrift-dev python3-thrift libevent-dev
