package tcp

// Sequence number comparisons modulo 2^32 (RFC 9293 §3.4): a < b when b is
// less than 2^31 ahead of a. "=<" in the RFC is SeqLEQ. The model, its
// properties and the capture validator all compare with these.

// SeqLT reports a < b modulo 2^32.
func SeqLT(a, b uint32) bool { return int32(a-b) < 0 }

// SeqLEQ reports a =< b modulo 2^32.
func SeqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }

// SeqGT reports a > b modulo 2^32.
func SeqGT(a, b uint32) bool { return int32(a-b) > 0 }

// SeqGEQ reports a >= b modulo 2^32.
func SeqGEQ(a, b uint32) bool { return int32(a-b) >= 0 }
