package capture

import "encoding/binary"

// gopacket's readers allocate a record's buffer from the length its header
// claims, before reading it: a corrupt length would allocate up to 4 GiB.
// The capture is read into memory first, and these scans cut it before the
// first record that claims more bytes than the file has left, which then
// reads as a truncated capture.

// pcapBound returns the length of b's well-formed prefix: the file header
// and every whole record.
func pcapBound(b []byte) int {
	if len(b) < 24 {
		return len(b)
	}
	var order binary.ByteOrder = binary.LittleEndian
	if m := binary.BigEndian.Uint32(b); m == 0xa1b2c3d4 || m == 0xa1b23c4d {
		order = binary.BigEndian
	}
	off := 24
	for off+16 <= len(b) {
		incl := uint64(order.Uint32(b[off+8:]))
		if uint64(off)+16+incl > uint64(len(b)) {
			return off
		}
		off += 16 + int(incl)
	}
	return len(b)
}

// pcapngBound returns the length of b's well-formed prefix of pcapng
// blocks, each within the file and its packet no longer than its block.
func pcapngBound(b []byte) int {
	var order binary.ByteOrder = binary.LittleEndian
	off := 0
	for off+12 <= len(b) {
		if binary.LittleEndian.Uint32(b[off:]) == 0x0a0d0d0a { // section header
			if binary.BigEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = binary.BigEndian
			} else {
				order = binary.LittleEndian
			}
		}
		typ, n := order.Uint32(b[off:]), uint64(order.Uint32(b[off+4:]))
		if n < 12 || n%4 != 0 || uint64(off)+n > uint64(len(b)) {
			return off
		}
		blk := b[off : off+int(n)]
		switch typ {
		case 2, 6: // packet, enhanced packet: captured length at 20
			if n < 32 || uint64(order.Uint32(blk[20:]))+32 > n {
				return off
			}
		case 3: // simple packet: original length at 8
			if n < 16 || uint64(order.Uint32(blk[8:]))+16 > n {
				return off
			}
		}
		off += int(n)
	}
	return off
}
