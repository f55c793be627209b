#!/bin/bash
# `make fuzz`: builds every libFuzzer target <module>/**/fuzz/*_fuzz.c against
# the toolkit's sources (clang, -fsanitize=fuzzer,address,undefined) and runs
# each for FUZZ_SECONDS (default 30).  Crashes land in build/fuzz/artifacts/.
#   FUZZ_SECONDS=60 make fuzz        FUZZ_ONLY=btf make fuzz   (name filter)
set -u
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-30}
ONLY=${FUZZ_ONLY:-}
OUT=build/fuzz
MODULES="common elf asm loader verifier-helpers"
CC=${FUZZ_CC:-clang}
FLAGS="-std=c17 -D_GNU_SOURCE -DRAWBPF_VERSION=\"fuzz\" -g -O1 -I. -fno-omit-frame-pointer"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang)"; exit 1; }
mkdir -p "$OUT/lib" "$OUT/artifacts" "$OUT/corpus"

# The library: every toolkit source except main.c and other fuzz/ folders.
# A file that does not compile is reported; targets needing it fail to link.
build_lib() {
	local src obj objs=()
	while read -r src; do
		obj=$OUT/lib/${src%.c}.o
		mkdir -p "$(dirname "$obj")"
		if [ ! "$obj" -nt "$src" ]; then
			$CC $FLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2> "$obj.log" ||
				{ echo "fuzz: skipping $src (does not compile: $(head -1 "$obj.log"))"; rm -f "$obj"; continue; }
		fi
		objs+=("$obj")
	done < <(find $MODULES -name '*.c' -not -path '*/fuzz/*' -not -path '*/include/*' \
		-not -path 'loader/cli/main.c' 2>/dev/null | sort)
	rm -f "$OUT/librawbpf.a"
	ar rcs "$OUT/librawbpf.a" "${objs[@]}"
}

# Seeds: the built BPF objects (ELF, .BTF, .BTF.ext) and <dir>/seeds/<name>/.
seed() {
	local name=$1 dir=$2 corpus=$OUT/corpus/$1
	mkdir -p "$corpus"
	[ -d "$dir/seeds/$name" ] && cp -n "$dir/seeds/$name"/* "$corpus/" 2>/dev/null
	find build/progs -name '*.o' -size -64k 2>/dev/null | head -50 | while read -r o; do
		cp -n "$o" "$corpus/$(basename "$o")" 2>/dev/null
	done
	echo "$corpus"
}

build_lib
pass=0 fail=0
failed=()
while read -r target; do
	name=$(basename "$target" .c)
	[ -n "$ONLY" ] && [[ $name != *$ONLY* ]] && continue
	bin=$OUT/$name
	if ! $CC $FLAGS $SAN -fsanitize=fuzzer "$target" "$OUT/librawbpf.a" -o "$bin" 2> "$bin.log"; then
		echo "fuzz: $name does not build:"; head -5 "$bin.log"
		fail=$((fail + 1)); failed+=("$name (build)"); continue
	fi
	corpus=$(seed "$name" "$(dirname "$target")")
	echo "== $name: ${SECONDS_EACH}s"
	if "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$name-" "$corpus" > "$bin.run.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^Done' "$bin.run.log" | tr '\n' ' '; echo
		pass=$((pass + 1))
	else
		echo "fuzz: $name FOUND A PROBLEM:"; grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$bin.run.log" | head -8
		fail=$((fail + 1)); failed+=("$name")
	fi
done < <(find $MODULES -path '*/fuzz/*_fuzz.c' 2>/dev/null | sort)
echo "fuzz: $pass clean, $fail failed${failed:+: ${failed[*]}}"
[ $fail -eq 0 ]
