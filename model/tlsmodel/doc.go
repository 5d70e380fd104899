// Package tlsmodel is the symbolic model of TLS key agreement: a client and
// a server role per session, as state machines, against a Dolev-Yao
// attacker that owns the network. Three protocols are modelled:
//
//   - TLS 1.2 with RSA key transport (RFC 5246 §7.3, §7.4.7.1): ClientHello
//     (client_random, offered suites), ServerHello (server_random, chosen
//     suite) + Certificate + ServerHelloDone, ClientKeyExchange (the
//     pre_master_secret encrypted to the certified key) + Finished, server
//     Finished (§7.4.9) over the transcript.
//   - TLS 1.2 with ECDHE (RFC 8422 §2.1, §5.4): the server adds a
//     ServerKeyExchange with its ephemeral share, signed with
//     client_random + server_random + params; the client answers with its
//     share; the pre_master_secret is the Diffie-Hellman value.
//   - TLS 1.3 1-RTT (RFC 8446 §2): ClientHello with a key_share; ServerHello
//     with a key_share, then {Certificate, CertificateVerify, Finished}
//     over the transcript; the client's Finished.
//
// With Config.Mixed, clients and servers support both TLS 1.3 and TLS 1.2
// ECDHE, and a TLS 1.2 server_random carries the downgrade sentinel of RFC
// 8446 §4.1.3.
//
// The attacker owns the network and has a certificate of its own (E); some
// client sessions may intend E, a legitimate server to them
// (Config.ClientsToE). Its stronger powers are options: a breakable weak
// Diffie-Hellman group (Config.WeakGroup: Logjam), and the compromise of
// S's long-term key and of session keys (Config.Compromise). A Finished
// message is a MAC under the sender's derived key over the sender's
// transcript (view.go): accepted exactly when key and transcript are the
// receiver's, or when the attacker knows the key. The claims (claims.go)
// are stated as the formal analyses of TLS state them: Lowe's agreement on
// the whole transcript and the key with a committed peer, both ways;
// secrecy and no-downgrade for client and server sessions; unknown
// key-share; forward secrecy.
//
// Cryptography is symbolic (the perfect-cryptography assumption): nonces,
// keys, ciphertexts are terms from a finite universe (terms.go), equal only
// when built from equal parts. The attacker's knowledge is a bitset over
// the universe, closed under decomposition (it decrypts what it has the
// key of). What the attacker can compose but never needs to store
// (signatures with its own key, Finished MACs under keys it knows) is
// decided from its atoms; what it can only replay (an honest signature, an
// honest Finished) is decided by looking for the honest session that sent
// it, since a role's state holds everything its messages were built from.
//
// Honest receives are enumerated: a role in a waiting state may take any
// message the attacker can compose from its knowledge that the role would
// accept; messages it would reject change nothing and are not actions.
//
// Real byte-level derivations live in package model/tls; the tests of this
// package check that the symbolic key terms and those derivations agree on
// which inputs determine the key, and, over every reachable state, that the
// real transcripts of the messages the roles send give equal master
// secrets, Finished values and traffic secrets exactly when the symbolic
// keys and views say so.
package tlsmodel
