package capture

import (
	"encoding/binary"
	"fmt"
)

// A capture is read into memory whole, and these scans check its framing
// before gopacket's readers see it, for two reasons:
//
//   - gopacket's readers allocate a record's buffer from the length its
//     header claims, before reading it: a corrupt length would allocate up
//     to 4 GiB;
//   - they end a capture without error at a record cut short (tcpdump
//     does the same), so a file cut by "head -c", a full disk or an
//     interrupted copy would lose its last records silently.
//
// A record (pcap) or block (pcapng) that claims more bytes than the file
// has left is reported as a *TruncatedError; a cut exactly between two
// records cannot be told from a shorter capture, and reads as one.

// TruncatedError reports a capture that ends inside a record: its header
// or data goes beyond the end of the file (cut short, or a corrupt
// length). Nothing of the capture is validated then: a connection whose
// last segments are missing could be accepted or rejected wrongly.
type TruncatedError struct {
	// Format is "pcap" or "pcapng".
	Format string
	// Record is the 1-based number of the cut record (pcap: the frame
	// number tcpdump would give it) or block (pcapng); 0 if the file
	// header itself is cut.
	Record int
	// Offset is the byte offset of the cut record's first byte.
	Offset int
	// Need is the length of the record (header and data) as far as its
	// header says, or the header's length if that is cut too; Have is
	// what the file has left from Offset.
	Need, Have int
	// Frames is the number of whole packet records before the cut one.
	Frames int
}

func (e *TruncatedError) Error() string {
	what := "record"
	if e.Format == "pcapng" {
		what = "block"
	}
	if e.Record == 0 {
		return fmt.Sprintf("truncated in the %s file header: %d of %d bytes", e.Format, e.Have, e.Need)
	}
	return fmt.Sprintf("truncated at %s %d, byte %d: it needs %d bytes, %d remain (after %d whole frames: the file was cut short, or the %s's length is corrupt)",
		what, e.Record, e.Offset, e.Need, e.Have, e.Frames, what)
}

// pcapHeader and pcapRecordHeader are the sizes of a pcap file's header
// and of each record's header.
const (
	pcapHeader       = 24
	pcapRecordHeader = 16
)

// pcapCheck checks that b is a pcap file header followed by whole records
// (it reports the first one that is cut).
func pcapCheck(b []byte) error {
	if len(b) < pcapHeader {
		return &TruncatedError{Format: "pcap", Need: pcapHeader, Have: len(b)}
	}
	var order binary.ByteOrder = binary.LittleEndian
	if m := binary.BigEndian.Uint32(b); m == 0xa1b2c3d4 || m == 0xa1b23c4d {
		order = binary.BigEndian
	}
	off := pcapHeader
	for rec := 1; off < len(b); rec++ {
		left := len(b) - off
		if left < pcapRecordHeader {
			return &TruncatedError{Format: "pcap", Record: rec, Offset: off, Need: pcapRecordHeader, Have: left, Frames: rec - 1}
		}
		need := uint64(pcapRecordHeader) + uint64(order.Uint32(b[off+8:]))
		if need > uint64(left) {
			return &TruncatedError{Format: "pcap", Record: rec, Offset: off, Need: int(min(need, 1<<40)), Have: left, Frames: rec - 1}
		}
		off += int(need)
	}
	return nil
}

// pcapngCheck checks that b is a sequence of whole pcapng blocks, each
// packet no longer than its block, and returns the number of blocks.
func pcapngCheck(b []byte) (int, error) {
	var order binary.ByteOrder = binary.LittleEndian
	off, frames := 0, 0
	blk := 1
	for ; off < len(b); blk++ {
		left := len(b) - off
		cut := &TruncatedError{Format: "pcapng", Record: blk, Offset: off, Need: 12, Have: left, Frames: frames}
		if left < 12 {
			return 0, cut
		}
		if binary.LittleEndian.Uint32(b[off:]) == 0x0a0d0d0a { // section header
			if binary.BigEndian.Uint32(b[off+8:]) == 0x1a2b3c4d {
				order = binary.BigEndian
			} else {
				order = binary.LittleEndian
			}
		}
		typ, n := order.Uint32(b[off:]), uint64(order.Uint32(b[off+4:]))
		if n < 12 || n%4 != 0 {
			return 0, fmt.Errorf("pcapng block %d at byte %d: length %d is not a multiple of 4 of at least 12", blk, off, n)
		}
		if n > uint64(left) {
			cut.Need = int(n)
			return 0, cut
		}
		body := b[off : off+int(n)]
		switch typ {
		case 2, 6: // packet, enhanced packet: captured length at 20
			if n < 32 || uint64(order.Uint32(body[20:]))+32 > n {
				return 0, fmt.Errorf("pcapng block %d at byte %d: the packet is longer than its block", blk, off)
			}
			frames++
		case 3: // simple packet: original length at 8
			if n < 16 || uint64(order.Uint32(body[8:]))+16 > n {
				return 0, fmt.Errorf("pcapng block %d at byte %d: the packet is longer than its block", blk, off)
			}
			frames++
		}
		off += int(n)
	}
	return blk - 1, nil
}
