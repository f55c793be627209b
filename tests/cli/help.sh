#!/bin/bash
# The CLI's help, man page and exit codes.
. "$(dirname "$0")/../lib.sh"
check "help lists commands" bash -c "$RAWBPF --help | grep -q COMMANDS"
check "help documents exit codes" bash -c "$RAWBPF --help | grep -q 'EXIT STATUS'"
check_fails "unknown command is a usage error" 1 "unknown command 'frobnicate'" $RAWBPF frobnicate
check_fails "no command is a usage error" 1 "usage:" $RAWBPF
check "man page renders" bash -c "scripts/mkman.sh $RAWBPF | grep -q '^.SH NAME'"
finish
