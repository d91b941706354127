#!/usr/bin/env bash
# Builds evmone's baseline interpreter and this directory's driver OUTSIDE the repository (the peer build is not
# part of Lanes). Sources come from git mirrors (on this project's machines: the `fetch` tool's
# /work/.mirror/<owner>+<name>/repo for ethereum/evmone, ethereum/evmc, chfast/intx, supranational/blst).
#   tools/evmone-peer/build.sh OUT_DIR [EVMONE_COMMIT]
# Then: OUT_DIR/evmone-drive --cases OUT_DIR/cases.txt   (see README.md)
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR [EVMONE_COMMIT]}
commit=${2:-2cbfad3d5eda9bd920f1174088fe48d41f9edcd7}
mirror=${MIRROR:-/work/.mirror}
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../../shared}
mkdir -p "$out" && cd "$out"
[ -d evmone ] || git clone -q "$mirror/ethereum+evmone/repo" evmone
git -C evmone checkout -q "$commit"
evmc_commit=$(git -C evmone ls-tree HEAD evmc | awk '{print $3}')
[ -d evmone/evmc/.git ] || { rm -rf evmone/evmc; git clone -q "$mirror/ethereum+evmc/repo" evmone/evmc; }
git -C evmone/evmc checkout -q "$evmc_commit"
# intx: the version evmone's Hunter config names (0.13.0 at the default commit), header-only.
intx_version=$(grep -A2 -x '    intx' evmone/cmake/Hunter/config.cmake | grep -o 'VERSION [0-9.]*' | awk '{print $2}')
[ -d intx ] || git clone -q "$mirror/chfast+intx/repo" intx
git -C intx checkout -q "v${intx_version:-0.13.0}"
cmake -S intx -B intx-build -DINTX_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$out/deps-install" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --install intx-build > /dev/null
# blst: evmone's precompiles download it at build time; point that at a local archive instead.
if grep -q 'supranational/blst/archive' evmone/cmake/blst.cmake 2>/dev/null; then
  blst_tag=$(grep -oE 'tags/v[0-9]+\.[0-9]+\.[0-9]+' evmone/cmake/blst.cmake | head -1 | sed 's#tags/v##')
  git -C "$mirror/supranational+blst/repo" archive --prefix="blst-$blst_tag/" -o "$out/blst-v$blst_tag.tar.gz" "v$blst_tag"
  sed -i "s|URL https://github.com/supranational/blst/archive/refs/tags/v$blst_tag.tar.gz|URL $out/blst-v$blst_tag.tar.gz|; /URL_HASH SHA256=/d" evmone/cmake/blst.cmake
fi
cmake -S evmone -B build -DCMAKE_BUILD_TYPE=Release -DHUNTER_ENABLED=OFF -DBUILD_SHARED_LIBS=OFF \
    -DEVMONE_TESTING=OFF -DCMAKE_PREFIX_PATH="$out/deps-install" > /dev/null
cmake --build build -j"$(nproc)" > /dev/null
python3 "$here/extract_cases.py" "$shared/evm-benchmarks" "$out/cases.txt"
g++ -O3 -DNDEBUG -std=c++20 -march=x86-64-v2 -Wall -Wextra \
    -DEVMONE_COMMIT="\"$(git -C evmone rev-parse HEAD)\"" \
    -Ievmone/include -Ievmone/evmc/include -Ideps-install/include \
    "$here/driver.cpp" build/lib/libevmone-standalone.a -o evmone-drive
echo "built $out/evmone-drive (evmone $(git -C evmone describe --tags 2>/dev/null || git -C evmone rev-parse --short HEAD))"
