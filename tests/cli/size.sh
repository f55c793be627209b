#!/bin/bash
# The release binary's size budget (issue #6: the stripped static binary with
# every feature within 300 KiB) and scripts/sstrip.py, which the release link
# ends with.
. "$(dirname "$0")/../lib.sh"
if [ "$(realpath "$RAWBPF")" != "$(realpath ./rawbpf)" ]; then
	skip "size budget: $RAWBPF is not the release binary ./rawbpf"
	finish
fi
need_cmd readelf "size budget"
check "release binary within 300 KiB (make size tells where the bytes go)" \
	test "$(stat -c %s ./rawbpf)" -le $((300 * 1024))
check "release binary is static (no program interpreter)" \
	bash -c "! readelf -lW ./rawbpf | grep -q INTERP"
check "release binary has no section header table (sstrip.py ran)" \
	bash -c "readelf -hW ./rawbpf | grep -q 'Number of section headers: *0'"
tmp=$TMPDIR
cp ./rawbpf "$tmp/again"
check "sstrip.py on its own output changes nothing" \
	bash -c "scripts/sstrip.py $tmp/again && cmp -s ./rawbpf $tmp/again && $tmp/again --version"
head -c 100 ./rawbpf > "$tmp/short"
check_fails "sstrip.py refuses a truncated file" 1 "program headers missing or past the end" \
	scripts/sstrip.py "$tmp/short"
check "sstrip.py leaves a file it refuses as it was" test "$(stat -c %s "$tmp/short")" -eq 100
printf 'not an elf file at all, but long enough to have a header of 64 bytes......\n' > "$tmp/text"
check_fails "sstrip.py refuses what is not ELF64" 1 "not an ELF64 file" scripts/sstrip.py "$tmp/text"
finish
