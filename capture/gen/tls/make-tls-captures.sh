#!/bin/sh
# make-tls-captures.sh records the HTTPS captures of capture/testdata/tls,
# each with the NSS key log its client wrote (SSLKEYLOGFILE). Run as root
# from anywhere in the repository:
#
#     capture/gen/tls/make-tls-captures.sh             # all
#     capture/gen/tls/make-tls-captures.sh tls13 cut12
#     HSCAP_OUT=/tmp/x HSCAP_PORT=44500 capture/gen/tls/make-tls-captures.sh
#
# (HSCAP_OUT: the output directory; HSCAP_PORT: the first port minus one,
# each capture uses the next.) All of them took 36 s here.
#
# Everything stays on loopback (127.0.0.1). The server is `openssl s_server
# -www` (it answers a GET with an HTTP/1.0 page and closes with
# close_notify); the clients are curl (which writes SSLKEYLOGFILE),
# `openssl s_client -keylogfile` where curl cannot (a KeyUpdate, TLS 1.2
# session tickets, which curl turns off), and, for the captures without
# close_notify, the Go program cutpeer (client and server). Cipher suites
# have a SHA-256 PRF/HKDF, the hash model/tls implements.
#
# Captures (NAME.pcap and NAME.keylog):
#   tls13        TLS 1.3 1-RTT (TLS_AES_128_GCM_SHA256), then a resumption
#                with a PSK ticket on a second connection (one curl, two URLs)
#   hrr13        TLS 1.3 after a HelloRetryRequest: the client's key share is
#                X25519, the server accepts P-256 only (RFC 8446 §4.1.4)
#   keyupdate13  TLS 1.3 with a KeyUpdate (update_requested) from the client
#                (openssl s_client's K command) answered by the server's
#   ecdhe12      TLS 1.2 ECDHE_RSA_WITH_AES_128_GCM_SHA256, full then
#                abbreviated (session ID resumption) on a second connection
#   cbc12        TLS 1.2 ECDHE_RSA_WITH_AES_128_CBC_SHA256, encrypt-then-MAC
#   cbc12_noetm  TLS 1.2 RSA_WITH_AES_128_CBC_SHA (HMAC-SHA1), the server
#                declining encrypt-then-MAC (MAC-then-encrypt)
#   rsa12        TLS 1.2 RSA_WITH_AES_128_GCM_SHA256 with extended master secret
#   rsa12_noems  the same with the client's EMS turned off (openssl.cnf)
#   chacha12     TLS 1.2 ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, full then
#                abbreviated (session ID; curl turns tickets off)
#   ticket12     TLS 1.2 ECDHE full with a NewSessionTicket, then abbreviated
#                with that ticket (RFC 5077; openssl s_client -sess_out/-sess_in)
#   cut12, cut13 a server that closes TCP without close_notify (cutpeer)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${HSCAP_OUT:-$repo/capture/testdata/tls}
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -p "$out"

# A throwaway self-signed key and certificate, kept next to the captures
# (test data only: an RSA key transport capture can be checked with it).
if [ ! -f "$out/server.key" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 36500 \
		-keyout "$out/server.key" -out "$out/server.crt" 2>/dev/null
fi
(cd "$repo" && go build -o "$work/cutpeer" ./capture/gen/tls/cutpeer)

port=${HSCAP_PORT:-44300}
# record NAME COMMAND...: one capture of COMMAND's connections to $port.
record() {
	name=$1; shift
	rm -f "$out/$name.keylog"
	tcpdump -i lo -s 0 -U -n -w "$work/$name.pcap" "tcp port $port" 2>"$work/$name.tcpdump" &
	tpid=$!; pids="$pids $tpid"
	sleep 1
	"$@"
	sleep 1
	kill -INT "$tpid"; wait "$tpid" || true
	if ! grep -q '^0 packets dropped by kernel' "$work/$name.tcpdump"; then
		cat "$work/$name.tcpdump" >&2; echo "$name: tcpdump dropped packets" >&2; exit 1
	fi
	cp "$work/$name.pcap" "$out/$name.pcap"
	echo "$name: $(grep 'captured' "$work/$name.tcpdump")"
}

# server PORT ARGS...: openssl s_server -www in the background.
server() {
	p=$1; shift
	openssl s_server -quiet -accept "127.0.0.1:$p" -cert "$out/server.crt" -key "$out/server.key" -www "$@" </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
	sleep 0.5
}

run_curl() { # NAME CURL-ARGS...
	n=$1; shift
	SSLKEYLOGFILE="$out/$n.keylog" curl -sS -k -o /dev/null -o /dev/null "$@"
}

tls13() {
	port=$((port + 1))
	server $port -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256
	record tls13 run_curl tls13 --tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256 \
		"https://127.0.0.1:$port/" "https://127.0.0.1:$port/"
}
hrr13() {
	port=$((port + 1))
	server $port -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 -groups P-256
	record hrr13 run_curl hrr13 --tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256 --curves X25519:P-256 \
		"https://127.0.0.1:$port/"
}
keyupdate13() {
	port=$((port + 1))
	server $port -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256
	record keyupdate13 keyupdate_client
}
keyupdate_client() {
	(printf 'K\n'; sleep 0.5; printf 'GET / HTTP/1.0\r\n\r\n'; sleep 1) |
		openssl s_client -connect "127.0.0.1:$port" -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 \
			-keylogfile "$out/keyupdate13.keylog" >/dev/null 2>&1
}
ecdhe12() {
	port=$((port + 1))
	server $port -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -no_ticket
	record ecdhe12 run_curl ecdhe12 --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256 \
		"https://127.0.0.1:$port/" "https://127.0.0.1:$port/"
}
chacha12() {
	port=$((port + 1))
	server $port -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305
	record chacha12 run_curl chacha12 --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-CHACHA20-POLY1305 \
		"https://127.0.0.1:$port/" "https://127.0.0.1:$port/"
}
ticket12() {
	port=$((port + 1))
	server $port -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
	record ticket12 ticket_clients
}
ticket_clients() {
	rm -f "$work/sess"
	for io in "-sess_out $work/sess" "-sess_in $work/sess"; do
		# shellcheck disable=SC2086 # io is two words
		(printf 'GET / HTTP/1.0\r\n\r\n'; sleep 1) |
			openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 \
				-keylogfile "$out/ticket12.keylog" $io >/dev/null 2>&1
	done
}
cbc12() {
	port=$((port + 1))
	server $port -tls1_2 -cipher ECDHE-RSA-AES128-SHA256
	record cbc12 run_curl cbc12 --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-SHA256 "https://127.0.0.1:$port/"
}
cbc12_noetm() {
	port=$((port + 1))
	server $port -tls1_2 -cipher AES128-SHA -no_etm
	record cbc12_noetm run_curl cbc12_noetm --tlsv1.2 --tls-max 1.2 --ciphers AES128-SHA "https://127.0.0.1:$port/"
}
rsa12() {
	port=$((port + 1))
	server $port -tls1_2 -cipher AES128-GCM-SHA256
	record rsa12 run_curl rsa12 --tlsv1.2 --tls-max 1.2 --ciphers AES128-GCM-SHA256 "https://127.0.0.1:$port/"
}
rsa12_noems() {
	port=$((port + 1))
	cat >"$work/noems.cnf" <<'CNF'
openssl_conf = conf
[conf]
ssl_conf = ssl
[ssl]
system_default = sys
[sys]
Options = -ExtendedMasterSecret
CNF
	server $port -tls1_2 -cipher AES128-GCM-SHA256
	OPENSSL_CONF="$work/noems.cnf"; export OPENSSL_CONF
	record rsa12_noems run_curl rsa12_noems --tlsv1.2 --tls-max 1.2 \
		--ciphers AES128-GCM-SHA256 "https://127.0.0.1:$port/"
	unset OPENSSL_CONF
}
cut12() {
	port=$((port + 1))
	"$work/cutpeer" -role server -addr "127.0.0.1:$port" -max 1.2 -cert "$out/server.crt" -key "$out/server.key" &
	pids="$pids $!"; sleep 0.5
	record cut12 "$work/cutpeer" -role client -addr "127.0.0.1:$port" -keylog "$out/cut12.keylog"
}
cut13() {
	port=$((port + 1))
	"$work/cutpeer" -role server -addr "127.0.0.1:$port" -max 1.3 -cert "$out/server.crt" -key "$out/server.key" &
	pids="$pids $!"; sleep 0.5
	record cut13 "$work/cutpeer" -role client -addr "127.0.0.1:$port" -keylog "$out/cut13.keylog"
}

names=${*:-tls13 hrr13 keyupdate13 ecdhe12 chacha12 ticket12 cbc12 cbc12_noetm rsa12 rsa12_noems cut12 cut13}
for n in $names; do
	case $n in
	tls13 | hrr13 | keyupdate13 | ecdhe12 | chacha12 | ticket12 | cbc12 | cbc12_noetm | rsa12 | rsa12_noems | cut12 | cut13) "$n" ;;
	*) echo "unknown capture $n" >&2; exit 2 ;;
	esac
done
