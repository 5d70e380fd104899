package tls

// HandshakeTranscript holds the transcript hashes (RFC 8446 §4.4.1) at the
// three points of a 1-RTT handshake where the key schedule derives secrets
// (RFC 8446 §7.1).
type HandshakeTranscript struct {
	// ServerHello is Transcript-Hash(ClientHello...ServerHello), the
	// context of the handshake traffic secrets.
	ServerHello []byte
	// ServerFinished is Transcript-Hash(ClientHello...server Finished), the
	// context of the application traffic secrets and the exporter master
	// secret.
	ServerFinished []byte
	// ClientFinished is Transcript-Hash(ClientHello...client Finished), the
	// context of the resumption master secret.
	ClientFinished []byte
}

// KeySchedule holds every secret of the TLS 1.3 key schedule of a 1-RTT
// handshake (RFC 8446 §7.1), in the order the diagram derives them.
type KeySchedule struct {
	EarlySecret                     []byte // HKDF-Extract(0, PSK)
	DerivedForHandshake             []byte // Derive-Secret(Early Secret, "derived", "")
	HandshakeSecret                 []byte // HKDF-Extract(derived, (EC)DHE)
	ClientHandshakeTrafficSecret    []byte // "c hs traffic", ClientHello...ServerHello
	ServerHandshakeTrafficSecret    []byte // "s hs traffic", ClientHello...ServerHello
	DerivedForMaster                []byte // Derive-Secret(Handshake Secret, "derived", "")
	MasterSecret                    []byte // HKDF-Extract(derived, 0)
	ClientApplicationTrafficSecret0 []byte // "c ap traffic", ClientHello...server Finished
	ServerApplicationTrafficSecret0 []byte // "s ap traffic", ClientHello...server Finished
	ExporterMasterSecret            []byte // "exp master", ClientHello...server Finished
	ResumptionMasterSecret          []byte // "res master", ClientHello...client Finished
}

// EarlySecret is the first extraction of the key schedule (RFC 8446 §7.1):
// Early Secret = HKDF-Extract(0, PSK), with a zero PSK of HashLength bytes
// when psk is empty (no PSK in use).
func EarlySecret(psk []byte) []byte {
	return HKDFExtract(nil, psk)
}

// DerivedSecret is Derive-Secret(secret, "derived", "") (RFC 8446 §7.1),
// the salt of the next extraction.
func DerivedSecret(secret []byte) []byte {
	return DeriveSecret(secret, LabelDerived, TranscriptHash())
}

// HandshakeSecret is HKDF-Extract(Derive-Secret(Early Secret, "derived",
// ""), (EC)DHE) (RFC 8446 §7.1); sharedSecret is the (EC)DHE shared secret
// (§7.4), or empty for a PSK-only handshake.
func HandshakeSecret(earlySecret, sharedSecret []byte) []byte {
	return HKDFExtract(DerivedSecret(earlySecret), sharedSecret)
}

// MasterSecretTLS13 is the TLS 1.3 Master Secret, HKDF-Extract(
// Derive-Secret(Handshake Secret, "derived", ""), 0) (RFC 8446 §7.1).
func MasterSecretTLS13(handshakeSecret []byte) []byte {
	return HKDFExtract(DerivedSecret(handshakeSecret), nil)
}

// DeriveKeySchedule runs the whole key schedule of RFC 8446 §7.1 for a
// 1-RTT handshake from the PSK (empty if none), the (EC)DHE shared secret
// (empty if none) and the transcript hashes. Client and server compute the
// same KeySchedule from the same inputs.
func DeriveKeySchedule(psk, sharedSecret []byte, t HandshakeTranscript) KeySchedule {
	var ks KeySchedule
	ks.EarlySecret = EarlySecret(psk)
	ks.DerivedForHandshake = DerivedSecret(ks.EarlySecret)
	ks.HandshakeSecret = HKDFExtract(ks.DerivedForHandshake, sharedSecret)
	ks.ClientHandshakeTrafficSecret = DeriveSecret(ks.HandshakeSecret, LabelClientHandshakeTraffic, t.ServerHello)
	ks.ServerHandshakeTrafficSecret = DeriveSecret(ks.HandshakeSecret, LabelServerHandshakeTraffic, t.ServerHello)
	ks.DerivedForMaster = DerivedSecret(ks.HandshakeSecret)
	ks.MasterSecret = HKDFExtract(ks.DerivedForMaster, nil)
	ks.ClientApplicationTrafficSecret0 = DeriveSecret(ks.MasterSecret, LabelClientApplicationTraffic, t.ServerFinished)
	ks.ServerApplicationTrafficSecret0 = DeriveSecret(ks.MasterSecret, LabelServerApplicationTraffic, t.ServerFinished)
	ks.ExporterMasterSecret = DeriveSecret(ks.MasterSecret, LabelExporterMaster, t.ServerFinished)
	ks.ResumptionMasterSecret = DeriveSecret(ks.MasterSecret, LabelResumptionMaster, t.ClientFinished)
	return ks
}

// NextTrafficSecret is the key update of RFC 8446 §7.2:
// application_traffic_secret_N+1 = HKDF-Expand-Label(
// application_traffic_secret_N, "traffic upd", "", Hash.length).
func NextTrafficSecret(trafficSecret []byte) []byte {
	return HKDFExpandLabel(trafficSecret, LabelTrafficUpdate, nil, HashLength)
}

// ResumptionPSK is the PSK a NewSessionTicket establishes (RFC 8446
// §4.6.1): HKDF-Expand-Label(resumption_master_secret, "resumption",
// ticket_nonce, Hash.length).
func ResumptionPSK(resumptionMasterSecret, ticketNonce []byte) []byte {
	return HKDFExpandLabel(resumptionMasterSecret, LabelResumption, ticketNonce, HashLength)
}
