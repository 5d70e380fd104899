package tls

// VerifyDataLength is the length of the TLS 1.2 Finished verify_data for
// all suites defined by RFC 5246 (§7.4.9: verify_data_length 12).
const VerifyDataLength = 12

// FinishedVerifyData12 is the TLS 1.2 Finished verify_data (RFC 5246
// §7.4.9):
//
//	verify_data = PRF(master_secret, finished_label,
//	                  Hash(handshake_messages))
//	                  [0..verify_data_length-1];
//
// finishedLabel is LabelClientFinished or LabelServerFinished and
// handshakeHash is TranscriptHash of all handshake messages before this
// Finished (the server's transcript includes the client's Finished).
func FinishedVerifyData12(masterSecret []byte, finishedLabel string, handshakeHash []byte) []byte {
	return PRF(masterSecret, finishedLabel, handshakeHash, VerifyDataLength)
}

// ClientFinishedVerifyData is FinishedVerifyData12 with "client finished".
func ClientFinishedVerifyData(masterSecret, handshakeHash []byte) []byte {
	return FinishedVerifyData12(masterSecret, LabelClientFinished, handshakeHash)
}

// ServerFinishedVerifyData is FinishedVerifyData12 with "server finished".
func ServerFinishedVerifyData(masterSecret, handshakeHash []byte) []byte {
	return FinishedVerifyData12(masterSecret, LabelServerFinished, handshakeHash)
}
