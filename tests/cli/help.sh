#!/bin/bash
# The CLI's help, man page and exit codes.
. "$(dirname "$0")/../lib.sh"
check "help lists commands" bash -c "$RAWBPF --help | grep -q COMMANDS"
check "help documents exit codes" bash -c "$RAWBPF --help | grep -q 'EXIT STATUS'"
check_fails "unknown command is a usage error" 1 "unknown command 'frobnicate'" $RAWBPF frobnicate
check_fails "no command is a usage error" 1 "usage:" $RAWBPF
check "man page renders" bash -c "scripts/mkman.sh $RAWBPF | grep -q '^.SH NAME'"
# The texts ship DEFLATE-compressed (loader/cli/help.c): every line of help.txt
# must come back out, and every command must have all three texts.
all_help_lines_come_back() {
	local shown
	shown=$({ $RAWBPF help --man; $RAWBPF --help; $RAWBPF help help; } 2>&1)
	awk '/^@@ /{on=1} on && !/^@/ && NF' loader/cli/help.txt | while IFS= read -r l; do
		grep -Fqx -- "$l" <<<"$shown" || { echo "missing: $l"; return 1; }
	done
}
check "help.txt comes back whole" all_help_lines_come_back
every_command_has_texts() {
	local w
	for w in $($RAWBPF --help | awk '/^COMMANDS/{on=1; next} on && NF==0{exit} on{print $1}'); do
		[ "$($RAWBPF help "$w" | grep -c .)" -ge 3 ] || { echo "help $w is short"; return 1; }
	done
}
check "every command has a synopsis, summary and help" every_command_has_texts
finish
