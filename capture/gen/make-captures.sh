#!/usr/bin/env bash
# make-captures.sh: record the real Linux captures of capture/testdata/linux
# (see capture/testdata/README.md for what each one shows).
#
# Usage (as root, from anywhere in the repository):
#   capture/gen/make-captures.sh [NAME...]
# NAME is one of: selfconnect keepalive zerowindow timewait bulk_lo
# bulk_veth midpath (default: all). Each writes capture/testdata/linux/NAME.pcap
# (midpath writes midpath_http.pcap). HSCAP_OUT=DIR writes them to DIR
# instead; MIDPATH_CONNS=N makes N connections in midpath (default 200).
# The captures differ from run to run (ports, ISNs, timing, and the
# faults of midpath are random); what each shows does not.
#
# All traffic stays inside network namespaces this script creates (named
# hscap-*) and removes on exit, with the iptables rules in them; nothing
# is sent on the host's own interfaces, loopback included. It installs
# tcpdump, iptables and ethtool with apt-get when they are missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${HSCAP_OUT:-$ROOT/capture/testdata/linux}
BIN=$(mktemp -d /tmp/hscap.XXXXXX)
SNAP=96 # Ethernet 14 + IPv4 20 (no options) + TCP 60 (the most options) octets
NS_LO=hscap-lo
NS_C=hscap-client
NS_S=hscap-server
PIDS=()
CAP_PID=

log() { echo "make-captures: $*" >&2; }

cleanup() {
	set +e
	for p in "${PIDS[@]}" $CAP_PID; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in $NS_LO $NS_C $NS_S; do
		ip netns del "$ns" 2>/dev/null # its interfaces and iptables rules go with it
	done
	rm -rf "$BIN"
}
trap cleanup EXIT INT TERM

need() {
	local missing=()
	command -v tcpdump >/dev/null || missing+=(tcpdump)
	command -v iptables >/dev/null || missing+=(iptables)
	command -v ethtool >/dev/null || missing+=(ethtool)
	if ((${#missing[@]})); then
		log "installing ${missing[*]}"
		apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
	[ "$(id -u)" = 0 ] || { log "must run as root"; exit 2; }
	(cd "$ROOT" && go build -o "$BIN/peer" ./capture/gen/peer && go build -o "$BIN/nfdelay" ./capture/gen/nfdelay)
	mkdir -p "$OUT"
}

# start_capture NS IFACE FILE FILTER: tcpdump in the background, waits until
# it listens. Its pid is in CAP_PID.
start_capture() {
	local ns=$1 ifc=$2 file=$3 filter=$4
	rm -f "$file"
	rm -f "$BIN/tcpdump.err"
	# --immediate-mode: without it libpcap hands packets over in blocks
	# retired every second, and the last block is lost when tcpdump is
	# stopped (seen here: 0 of 40 packets written)
	ip netns exec "$ns" tcpdump --immediate-mode -i "$ifc" -s $SNAP -U -n -w "$file" "$filter" 2>"$BIN/tcpdump.err" &
	CAP_PID=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$BIN/tcpdump.err" 2>/dev/null && return 0
		sleep 0.05
	done
	log "tcpdump did not start: $(cat "$BIN/tcpdump.err")"
	exit 1
}

# stop_capture [SECONDS]: lets the last segments in, stops tcpdump and
# checks that it wrote every packet its filter took (on lo each packet
# passes the filter twice, going out and coming in; libpcap keeps one).
stop_capture() {
	sleep "${1:-1}"
	kill -INT "$CAP_PID"
	wait "$CAP_PID" || true
	CAP_PID=
	local got took lost
	got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$BIN/tcpdump.err")
	took=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$BIN/tcpdump.err")
	lost=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$BIN/tcpdump.err")
	log "tcpdump: $got captured, $took received by filter, $lost dropped by kernel"
	if [ -z "$got" ] || [ "$got" = 0 ] || [ "$lost" != 0 ] || { [ "$got" != "$took" ] && [ $((2 * got)) != "$took" ]; }; then
		log "capture incomplete: $(cat "$BIN/tcpdump.err")"
		exit 1
	fi
}

# loopback_ns: a namespace of its own whose lo carries the loopback
# captures, so no other traffic of the host is in them. lo keeps its
# defaults (MTU 65536, offloads on), as on any Linux host.
loopback_ns() {
	ip netns del $NS_LO 2>/dev/null || true
	ip netns add $NS_LO
	ip -n $NS_LO link set lo up
}

inlo() { ip netns exec $NS_LO "$@"; }

# pair MODE FILE PORT [server args] -- [client args]: a server and a
# client of the peer on the loopback of NS_LO, captured to FILE.
pair() {
	local mode=$1 file=$2 port=$3
	shift 3
	local sargs=() cargs=()
	while (($#)) && [ "$1" != -- ]; do sargs+=("$1"); shift; done
	(($#)) && shift
	cargs=("$@")
	start_capture $NS_LO lo "$file" "tcp port $port"
	inlo "$BIN/peer" -mode "$mode" -role server -addr 127.0.0.1:$port "${sargs[@]}" &
	local spid=$!
	sleep 0.2
	inlo "$BIN/peer" -mode "$mode" -role client -addr 127.0.0.1:$port "${cargs[@]}"
	wait $spid
	stop_capture
}

cap_selfconnect() {
	loopback_ns
	local f=$OUT/selfconnect.pcap
	start_capture $NS_LO lo "$f" "tcp port 40201"
	inlo "$BIN/peer" -mode selfconnect -addr 127.0.0.1:40201
	stop_capture
}

cap_keepalive() {
	loopback_ns
	# 3.5 s idle with TCP_KEEPIDLE = TCP_KEEPINTVL = 1 s on both ends
	pair keepalive "$OUT/keepalive.pcap" 40202 -- -stall 3500ms
}

cap_zerowindow() {
	loopback_ns
	# the server's SO_RCVBUF of 2048 (the kernel doubles it) closes the
	# window after a few KB of the client's 256 KiB; 3 s without reading
	pair zerowindow "$OUT/zerowindow.pcap" 40203 -rcvbuf 2048 -stall 3s -- -size 262144
}

cap_timewait() {
	loopback_ns
	pair timewait "$OUT/timewait_reuse.pcap" 40204 -- -local 127.0.0.1:40304
}

# bulk_lo: 6 MiB over a loopback of MTU 1500 with segmentation offloads
# off, so that the capture shows the segments one by one (on a default
# lo, MTU 65536 and GSO, the same transfer is ~100 segments).
cap_bulk_lo() {
	loopback_ns
	ip -n $NS_LO link set lo mtu 1500
	inlo ethtool -K lo tso off gso off gro off 2>/dev/null || true
	pair bulk "$OUT/bulk_lo.pcap" 40205 -- -size $((6 << 20))
}

# veth_pair: NS_C (10.99.0.1) and NS_S (10.99.0.2) joined by a veth pair,
# veth-c / veth-s, with segmentation offloads off so that each captured
# frame is one segment as on a wire, and gso_max_segs 1 so that TCP builds
# one skb per segment: with offloads off it still hands netfilter GSO skbs
# of several segments (cut up only at the device, after OUTPUT), and the
# loss and TEE rules of midpath would hit bursts (seen: the server's NFQUEUE
# rules counted 3177 skbs where nfdelay received 3379 packets; with
# gso_max_segs 1 the counts agree).
veth_pair() {
	ip netns del $NS_C 2>/dev/null || true
	ip netns del $NS_S 2>/dev/null || true
	ip netns add $NS_C
	ip netns add $NS_S
	ip link add veth-c netns $NS_C type veth peer name veth-s netns $NS_S
	ip -n $NS_C addr add 10.99.0.1/24 dev veth-c
	ip -n $NS_S addr add 10.99.0.2/24 dev veth-s
	for x in "$NS_C veth-c" "$NS_S veth-s"; do
		set -- $x
		ip -n "$1" link set lo up
		ip -n "$1" link set "$2" up gso_max_segs 1
		ip netns exec "$1" ethtool -K "$2" tso off gso off gro off 2>/dev/null || true
	done
}

cap_bulk_veth() {
	veth_pair
	local f=$OUT/bulk_veth.pcap
	start_capture $NS_S veth-s "$f" "tcp port 40206"
	ip netns exec $NS_S "$BIN/peer" -mode bulk -role server -addr 10.99.0.2:40206 &
	local spid=$!
	sleep 0.2
	ip netns exec $NS_C "$BIN/peer" -mode bulk -role client -addr 10.99.0.2:40206 -size $((6 << 20))
	wait $spid
	stop_capture
}

# faults NS DEV OUTGW INGW QOUT QIN: in namespace NS, 5% loss, 2%
# duplication and a delay of 10 ms +- 5 ms with 10% let through at once
# (reordering) on the segments that leave by DEV (mangle OUTPUT: before
# the capture point for segments sent from NS) and on those that come in
# by DEV (mangle INPUT: after the capture point for segments sent to NS).
#
# Duplication is a TEE rule: the copy of an outgoing segment goes out to
# OUTGW (and through OUTPUT again: it may be lost or delayed too, not
# copied again); the copy of an incoming one is sent to INGW, the
# namespace's own address, and comes in again by lo, past these rules.
# Delay and reordering are nfdelay, on NFQUEUE QOUT (outgoing) and QIN
# (incoming). Incoming loss is an iptables DROP; outgoing loss is done by
# nfdelay (NF_DROP verdict), because an iptables DROP in OUTPUT makes the
# sender's IP output fail with EPERM, to which Linux TCP reacts as to no
# loss on a wire (see capture/gen/nfdelay).
faults() {
	local ns=$1 dev=$2 outgw=$3 ingw=$4 qout=$5 qin=$6
	local ipt=(ip netns exec "$ns" iptables -w -t mangle)
	"${ipt[@]}" -A OUTPUT -o "$dev" -p tcp -m statistic --mode random --probability 0.02 -j TEE --gateway "$outgw"
	"${ipt[@]}" -A OUTPUT -o "$dev" -p tcp -j NFQUEUE --queue-num "$qout"
	"${ipt[@]}" -A INPUT -i "$dev" -p tcp -m statistic --mode random --probability 0.05 -j DROP
	"${ipt[@]}" -A INPUT -i "$dev" -p tcp -m statistic --mode random --probability 0.02 -j TEE --gateway "$ingw"
	"${ipt[@]}" -A INPUT -i "$dev" -p tcp -j NFQUEUE --queue-num "$qin"
}

# start_nfdelay NS QUEUE LOSS: nfdelay in NS on QUEUE dropping a fraction
# LOSS, waits until its queue is bound. Its pid is in NFD_PID.
start_nfdelay() {
	local ns=$1 q=$2 loss=$3 err=$BIN/nfdelay-$2.err
	ip netns exec "$ns" "$BIN/nfdelay" -queues "$q" -delay 10ms -jitter 5ms -reorder 0.10 -loss "$loss" 2>"$err" &
	NFD_PID=$!
	PIDS+=($NFD_PID)
	for _ in $(seq 100); do
		grep -q "ready" "$err" 2>/dev/null && return 0
		sleep 0.05
	done
	log "nfdelay did not start: $(cat "$err")"
	exit 1
}

# midpath: MIDPATH_CONNS (200) short HTTP-like connections between NS_C
# and NS_S, captured at veth-s, with faults on both sides of the capture
# point in both directions (see faults).
cap_midpath() {
	local n=${MIDPATH_CONNS:-200}
	veth_pair
	for ns in $NS_C $NS_S; do
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.lo.rp_filter=0
	done
	ip netns exec $NS_C sysctl -qw net.ipv4.conf.veth-c.rp_filter=0
	ip netns exec $NS_S sysctl -qw net.ipv4.conf.veth-s.rp_filter=0
	local nfd=()
	start_nfdelay $NS_C 1 0.05 && nfd+=($NFD_PID) # client -> server, before the capture point
	start_nfdelay $NS_C 2 0 && nfd+=($NFD_PID)    # server -> client, after it
	start_nfdelay $NS_S 3 0.05 && nfd+=($NFD_PID) # server -> client, before it
	start_nfdelay $NS_S 4 0 && nfd+=($NFD_PID)    # client -> server, after it
	faults $NS_C veth-c 10.99.0.2 10.99.0.1 1 2
	faults $NS_S veth-s 10.99.0.1 10.99.0.2 3 4
	local f=$OUT/midpath_http.pcap
	start_capture $NS_S veth-s "$f" "tcp port 40207"
	ip netns exec $NS_S "$BIN/peer" -mode http -role server -addr 10.99.0.2:40207 -size 4000 &
	local spid=$!
	PIDS+=($spid)
	sleep 0.2
	ip netns exec $NS_C "$BIN/peer" -mode http -role client -addr 10.99.0.2:40207 -conns "$n" -par 8
	# the last FINs and ACKs may still be retransmitted (RTO backoff)
	for _ in $(seq 30); do
		[ -z "$(ip netns exec $NS_C ss -Htan state last-ack state fin-wait-1 state fin-wait-2 state closing)$(ip netns exec $NS_S ss -Htan state last-ack state fin-wait-1 state fin-wait-2 state closing state close-wait)" ] && break
		sleep 1
	done
	sleep 1
	log "client sockets left: $(ip netns exec $NS_C ss -Htan | awk '{print $1}' | sort | uniq -c | tr '\n' ' ')"
	log "server sockets left: $(ip netns exec $NS_S ss -Htan | awk '{print $1}' | sort | uniq -c | tr '\n' ' ')"
	stop_capture 0.5
	kill $spid "${nfd[@]}"
	wait $spid "${nfd[@]}" 2>/dev/null || true
	for q in 1 2 3 4; do sed "s/^nfdelay:/nfdelay queue $q:/" "$BIN/nfdelay-$q.err" >&2; done
	for ns in $NS_C $NS_S; do
		log "$ns mangle rules (packets matched):"
		ip netns exec "$ns" iptables -w -t mangle -L -v -n -x | grep -E "DROP|TEE|NFQUEUE" >&2
	done
}

main() {
	local all=(selfconnect keepalive zerowindow timewait bulk_lo bulk_veth midpath)
	(($#)) || set -- "${all[@]}"
	need
	for name in "$@"; do
		case " ${all[*]} " in *" $name "*) ;; *) log "unknown capture $name"; exit 2 ;; esac
		log "capturing $name"
		"cap_$name"
	done
	ls -l "$OUT" >&2
}

main "$@"
