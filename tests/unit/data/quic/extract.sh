#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerates the QUIC client datagram seeds and expected.tsv from nDPI's
# captures: for the first UDP stream of each capture in which tshark shows
# a server name (TLS SNI from its own Initial decryption, or the gQUIC CHLO
# SNI tag), the client's datagrams up to that frame. Run by hand, from here:
#	SHARED_DIR=/work/shared ./extract.sh
set -eu
: "${SHARED_DIR:?}"
out=expected.tsv
printf '# files (one flow, in order)\tsni (tshark)\n' >$out
for cap in quic.pcap quic-23.pcap quic-24.pcap quic-29.pcap quic-34.pcap \
    quic-v2.pcapng quic-mvfst-22.pcap quic-mvfst-27.pcapng quic_q39.pcap \
    quic_q46.pcap quic_q50.pcap quic_t51.pcap gquic.pcap \
    quic_frags_different_dcid.pcapng \
    quic_frags_ch_out_of_order_same_packet_craziness.pcapng; do
	f="$SHARED_DIR/corpus/ndpi/$cap"
	line=$(tshark -r "$f" -Y 'tls.handshake.extensions_server_name || gquic.tag.sni' \
	    -T fields -E separator=";" -e frame.number -e udp.stream -e udp.srcport \
	    -e tls.handshake.extensions_server_name -e gquic.tag.sni \
	    2>/dev/null | head -1)
	[ -n "$line" ] || { echo "$cap: no SNI in tshark" >&2; continue; }
	fr=${line%%;*}; rest=${line#*;}
	st=${rest%%;*}; rest=${rest#*;}
	sp=${rest%%;*}; rest=${rest#*;}
	sni=$(printf '%s' "$rest" | tr -d ';' | cut -d, -f1)
	files=
	tshark -r "$f" -Y "udp.stream == $st && udp.srcport == $sp && frame.number <= $fr" \
	    -T fields -e frame.number -e udp.payload 2>/dev/null >/tmp/quic-extract.$$
	while read -r n hex; do
		b="${cap%%.*}-$n.bin"
		printf '%s' "$hex" | xxd -r -p >"$b"
		files="${files:+$files,}$b"
	done </tmp/quic-extract.$$
	rm -f /tmp/quic-extract.$$
	printf '%s\t%s\n' "$files" "$sni" >>$out
done
