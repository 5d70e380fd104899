package tcp

// Sequence number comparisons modulo 2^32 (RFC 9293 §3.4): a < b when b is
// less than 2^31 ahead of a. "=<" in the RFC is seqLEQ.

func seqLT(a, b uint32) bool  { return int32(a-b) < 0 }
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }
func seqGT(a, b uint32) bool  { return int32(a-b) > 0 }
func seqGEQ(a, b uint32) bool { return int32(a-b) >= 0 }
