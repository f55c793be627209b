# Sourced by every integration test script (tests/<module>/*.sh).
# Environment from scripts/run-tests.sh:
#   RAWBPF   the binary under test      PROGS  built BPF objects (build/progs)
#   RB_RESULTS  file collecting PASS/FAIL/SKIP lines   TMPDIR  a fresh scratch folder
# A script records each case with pass/fail/skip; `check NAME CMD...` runs CMD and
# records the outcome.  Exiting non-zero without any FAIL counts as a failure.
: "${RAWBPF:=./rawbpf}" "${PROGS:=build/progs}" "${RB_RESULTS:=/dev/stderr}"
: "${TMPDIR:=$(mktemp -d)}"
RB_FAILED=0

pass() { echo "PASS $*" >> "$RB_RESULTS"; echo "  ok   $*"; }
fail() { echo "FAIL $*" >> "$RB_RESULTS"; echo "  FAIL $*"; RB_FAILED=1; }
skip() { echo "SKIP $*" >> "$RB_RESULTS"; echo "SKIP $*"; }

# check NAME CMD... : passes when CMD exits 0.
check() {
	local name=$1; shift
	if "$@" > "$TMPDIR/last.out" 2>&1; then pass "$name"
	else fail "$name (exit $?): $(tail -5 "$TMPDIR/last.out" | tr '\n' ' ')"; fi
}

# check_fails NAME EXPECTED_EXIT REGEX CMD... : CMD must exit with EXPECTED_EXIT
# and print (stdout+stderr) something matching REGEX, without a sanitizer report.
check_fails() {
	local name=$1 want=$2 re=$3; shift 3
	"$@" > "$TMPDIR/last.out" 2>&1; local rc=$?
	if grep -q -E 'AddressSanitizer|runtime error:|LeakSanitizer' "$TMPDIR/last.out"; then
		fail "$name: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$TMPDIR/last.out")"
	elif [ "$rc" != "$want" ]; then
		fail "$name: exit $rc, wanted $want: $(tail -3 "$TMPDIR/last.out" | tr '\n' ' ')"
	elif ! grep -q -E -- "$re" "$TMPDIR/last.out"; then
		fail "$name: output does not match /$re/: $(tail -3 "$TMPDIR/last.out" | tr '\n' ' ')"
	else pass "$name"; fi
}

need_root() { [ "$(id -u)" = 0 ] || { skip "$1: needs root"; exit 0; }; }
finish() { exit $RB_FAILED; }

# need_cmd CMD WHAT : skips the whole script when CMD is missing (e.g. clang or
# bpftool inside the qemu guests, which carry only busybox, bash and rawbpf).
need_cmd() { command -v "$1" >/dev/null 2>&1 || { skip "$2: needs $1"; exit 0; }; }
in_guest() { [ -n "${RB_GUEST:-}" ]; }
