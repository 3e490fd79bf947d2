#!/usr/bin/env bash
# Clang's thread-safety analysis (-Wthread-safety) over the sources whose
# locking is annotated (port/mutex.h, port/thread_annotations.h): today the
# TAPI 3 layer. The builds use GCC, which ignores the annotations, so this
# pass parses those files once more with clang (-fsyntax-only, no objects)
# using the flags of an existing build's compile_commands.json.
#   scripts/check-thread-safety.sh [BUILD_DIR]   # default build/asan
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
clang=$(command -v clang++-14 || command -v clang++ || true)
if [ -z "$clang" ]; then
  echo "check-thread-safety: clang++ not found (install clang-14)" >&2
  exit 1
fi
[ -f "$build/compile_commands.json" ] || {
  echo "check-thread-safety: $build/compile_commands.json missing (configure that build first)" >&2
  exit 1
}
python3 - "$build/compile_commands.json" "$clang" <<'PY' | xargs -0 -n 1 -P "$(nproc)" bash -c
import json, shlex, sys
entries = json.load(open(sys.argv[1]))
clang = sys.argv[2]
for e in entries:
    f = e["file"]
    if "/src/tapi3/" not in f or f.endswith("_test.cpp") or "/testing/" in f:
        continue
    args, skip = [], False
    for a in shlex.split(e["command"])[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        # GCC's warning set and sanitizers are not what this pass checks.
        if a in ("-c", "-MD") or a.startswith("-fsanitize") or (a.startswith("-W") and a != "-Wall") or a == f:
            continue
        args.append(a)
    cmd = [clang, "-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety"] + args + [f]
    sys.stdout.write("cd %s && %s\0" % (shlex.quote(e["directory"]), " ".join(shlex.quote(a) for a in cmd)))
PY
echo "check-thread-safety: no findings"
