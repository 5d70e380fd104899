// Package tls computes the real key derivations of TLS 1.2 and TLS 1.3, so
// that the symbolic protocol models and the CLI can tie their abstract
// "secrets" to the byte-exact values real peers derive.
//
// Everything here is a pure function of its inputs (no I/O, no randomness)
// and uses SHA-256 throughout: the TLS 1.2 PRF of RFC 5246 and the
// TLS_AES_128_GCM_SHA256 key schedule of RFC 8446.
//
// What each RFC section contributes:
//
//   - RFC 5246 §5 (prf.go): P_SHA256, the data expansion function, and
//     PRF(secret, label, seed) = P_SHA256(secret, label + seed).
//   - RFC 5246 §8.1 (master_secret.go): master_secret =
//     PRF(pre_master_secret, "master secret", ClientHello.random +
//     ServerHello.random)[0..47].
//   - RFC 7627 §3 and §4 (master_secret.go, transcript.go): the session_hash
//     (hash of the handshake messages up to and including ClientKeyExchange)
//     and the extended master secret, PRF(pre_master_secret,
//     "extended master secret", session_hash)[0..47].
//   - RFC 5246 §6.3 (key_block.go): the key block PRF(master_secret,
//     "key expansion", server_random + client_random), split into the
//     client/server MAC keys, write keys and IVs for a cipher suite's sizes
//     (Appendix C; RFC 5288 §3 for the 4-byte implicit GCM nonce salt), with
//     client and server views (the write key of one is the read key of the
//     other).
//   - RFC 5246 §7.4.9 (finished12.go): Finished verify_data =
//     PRF(master_secret, finished_label, Hash(handshake_messages))[0..11].
//   - RFC 5869 §2 and RFC 8446 §7.1 (hkdf.go): HKDF-Extract,
//     HKDF-Expand-Label and Derive-Secret.
//   - RFC 8446 §7.1 (key_schedule.go): early secret, handshake secret,
//     master secret and the secrets derived from them (client/server
//     handshake and application traffic secrets, exporter and resumption
//     master secrets); §4.6.1 the resumption PSK; §7.2 traffic secret
//     updates.
//   - RFC 8446 §7.3 (traffic_keys.go): traffic write keys and IVs.
//   - RFC 8446 §4.4.4 (finished13.go): finished_key and Finished
//     verify_data.
//   - RFC 8446 §4.4.1 (transcript.go): the transcript hash.
//   - RFC 8446 §7.4.2 and RFC 7748 (x25519.go): the X25519 shared secret
//     (the (EC)DHE input of the key schedule).
//
// The tests reproduce every secret, key, IV and verify_data of RFC 8448 §3
// from its two X25519 private keys and handshake messages, and open its
// protected records with the derived keys. Against real Go crypto/tls
// peers over net.Pipe, they show that ExtendedMasterSecret (and, when an
// on-path rewrite hides the extension, MasterSecret) derives exactly the
// TLS 1.2 master secret Go logs, that the key block opens both Finished
// records, and that TLS 1.3 traffic keys and Finished match what Go sends.
package tls
