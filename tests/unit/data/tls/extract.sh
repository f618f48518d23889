#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerates the ClientHello seeds and expected.tsv from nDPI's captures:
# the TCP payload of each single-segment ClientHello with a distinct JA3,
# and what tshark (4.0, Debian 12) shows for it. Run by hand, from here:
#	SHARED_DIR=/work/shared ./extract.sh
set -eu
: "${SHARED_DIR:?}"
out=expected.tsv
printf '# file\tja3 (tshark)\tsni (tshark)\n' >$out
for cap in chrome.pcap 443-curl.pcap 443-firefox.pcap safari.pcap \
    netflix.pcap teams.pcap tls_invalid_reads.pcap tls_esni_sni_both.pcap; do
	tshark -r "$SHARED_DIR/corpus/ndpi/$cap" \
	    -Y 'tls.handshake.type==1 && tcp && tcp.len == tls.record.length + 5' \
	    -T fields -e frame.number -e tcp.payload -e tls.handshake.ja3 \
	    -e tls.handshake.extensions_server_name 2>/dev/null |
	awk -F'\t' -v OFS='\t' '!seen[$3 "/" $4]++ {
		if ($3 == "") $3 = "-"; if ($4 == "") $4 = "-"; print }' |
	head -3 |
	while IFS="$(printf '\t')" read -r fr hex ja3 sni; do
		f="${cap%%.*}-$fr.bin"
		printf '%s' "$hex" | xxd -r -p >"$f"
		printf '%s\t%s\t%s\n' "$f" "$ja3" "$sni" >>$out
	done
done
