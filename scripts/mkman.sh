#!/bin/bash
# Turns `rawbpf help --man` (the same text as --help) into a roff man page.
set -euo pipefail
BIN=${1:-./rawbpf}
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
echo ".TH RAWBPF 8 \"$(date -u +%Y-%m-%d)\" \"rawbpf\" \"System Administration\""
mode=text
"$BIN" help --man | while IFS= read -r line; do
	case $line in
	"@SECTION "*) echo ".SH ${line#@SECTION }"; mode=text ;;
	"@COMMAND "*) echo ".SS ${line#@COMMAND }"; echo ".nf"; mode=syn ;;
	"@TEXT") echo ".fi"; echo ".PP"; echo ".nf"; mode=text ;;
	"@RAW") echo ".nf"; mode=raw ;;
	*) printf '%s\n' "$line" | esc ;;
	esac
done
echo ".fi"
