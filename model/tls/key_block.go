package tls

// KeyBlock is the TLS 1.2 key block split into its six parts
// (RFC 5246 §6.3):
//
//	client_write_MAC_key[SecurityParameters.mac_key_length]
//	server_write_MAC_key[SecurityParameters.mac_key_length]
//	client_write_key[SecurityParameters.enc_key_length]
//	server_write_key[SecurityParameters.enc_key_length]
//	client_write_IV[SecurityParameters.fixed_iv_length]
//	server_write_IV[SecurityParameters.fixed_iv_length]
type KeyBlock struct {
	ClientWriteMACKey []byte
	ServerWriteMACKey []byte
	ClientWriteKey    []byte
	ServerWriteKey    []byte
	ClientWriteIV     []byte
	ServerWriteIV     []byte
}

// KeyBlockBytes is the raw key block (RFC 5246 §6.3):
//
//	key_block = PRF(SecurityParameters.master_secret,
//	                "key expansion",
//	                SecurityParameters.server_random +
//	                SecurityParameters.client_random);
//
// Note the order of the randoms: server_random first, unlike the master
// secret derivation of §8.1.
func KeyBlockBytes(masterSecret, clientRandom, serverRandom []byte, length int) []byte {
	seed := make([]byte, 0, len(serverRandom)+len(clientRandom))
	seed = append(seed, serverRandom...)
	seed = append(seed, clientRandom...)
	return PRF(masterSecret, LabelKeyExpansion, seed, length)
}

// KeysFromMasterSecret expands the master secret into the key block for the
// suite's sizes and partitions it (RFC 5246 §6.3). Both peers compute the
// same KeyBlock; ClientKeys and ServerKeys give each side's view of it.
func KeysFromMasterSecret(masterSecret, clientRandom, serverRandom []byte, suite CipherSuite) KeyBlock {
	b := KeyBlockBytes(masterSecret, clientRandom, serverRandom, suite.KeyBlockLength())
	next := func(n int) []byte {
		part := b[:n:n]
		b = b[n:]
		return part
	}
	var kb KeyBlock
	kb.ClientWriteMACKey = next(suite.MACKeyLength)
	kb.ServerWriteMACKey = next(suite.MACKeyLength)
	kb.ClientWriteKey = next(suite.EncKeyLength)
	kb.ServerWriteKey = next(suite.EncKeyLength)
	kb.ClientWriteIV = next(suite.FixedIVLength)
	kb.ServerWriteIV = next(suite.FixedIVLength)
	return kb
}

// ConnectionKeys is one peer's view of the connection state keys
// (RFC 5246 §6.1: the read and write states): what it protects outgoing
// records with and what it expects incoming records to be protected with.
type ConnectionKeys struct {
	WriteMACKey []byte
	WriteKey    []byte
	WriteIV     []byte
	ReadMACKey  []byte
	ReadKey     []byte
	ReadIV      []byte
}

// ClientKeys is the client's view: it writes with the client_write_* keys
// and reads with the server_write_* keys.
func (kb KeyBlock) ClientKeys() ConnectionKeys {
	return ConnectionKeys{
		WriteMACKey: kb.ClientWriteMACKey, WriteKey: kb.ClientWriteKey, WriteIV: kb.ClientWriteIV,
		ReadMACKey: kb.ServerWriteMACKey, ReadKey: kb.ServerWriteKey, ReadIV: kb.ServerWriteIV,
	}
}

// ServerKeys is the server's view: it writes with the server_write_* keys
// and reads with the client_write_* keys.
func (kb KeyBlock) ServerKeys() ConnectionKeys {
	return ConnectionKeys{
		WriteMACKey: kb.ServerWriteMACKey, WriteKey: kb.ServerWriteKey, WriteIV: kb.ServerWriteIV,
		ReadMACKey: kb.ClientWriteMACKey, ReadKey: kb.ClientWriteKey, ReadIV: kb.ClientWriteIV,
	}
}
