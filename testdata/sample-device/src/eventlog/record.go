// Package eventlog is the SP-1's event history (software item logging,
// safety class B): an append-only log in which every record carries a
// sequence number and a CRC-32C, so that corruption, lost records and a
// write torn by power loss are all detected and reported, never hidden.
package eventlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Record layout, little-endian:
//
//	offset  size  field
//	0       2     magic 0x4653 ("SF")
//	2       2     payload length n
//	4       4     sequence number
//	8       8     time, milliseconds since the Unix epoch (device clock)
//	16      1     kind
//	17      n     payload (UTF-8 text)
//	17+n    4     CRC-32C of bytes 0 to 17+n
//
// The magic lets a reader find the next record after a corrupt one.
const (
	magic      = 0x4653
	headerSize = 17
	crcSize    = 4
	MaxPayload = 1024
)

// Kind is the type of an event.
type Kind uint8

const (
	KindBoot      Kind = 1 + iota // software version and library version
	KindProgram                   // a programme was confirmed
	KindStart                     // infusion started
	KindStop                      // infusion stopped, with the reason
	KindBolus                     // bolus given
	KindAlarm                     // alarm raised, acknowledged or cleared
	KindRecovered                 // the log was repaired at open
)

var kindNames = map[Kind]string{
	KindBoot: "boot", KindProgram: "program", KindStart: "start", KindStop: "stop",
	KindBolus: "bolus", KindAlarm: "alarm", KindRecovered: "recovered",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Record is one event.
type Record struct {
	Seq     uint32
	TimeMS  int64
	Kind    Kind
	Payload string
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrPayloadTooLarge is returned for a payload above MaxPayload bytes.
var ErrPayloadTooLarge = errors.New("event payload too large")

// encode appends the record's bytes to b.
func (r Record) encode(b []byte) ([]byte, error) {
	if len(r.Payload) > MaxPayload {
		return b, ErrPayloadTooLarge
	}
	start := len(b)
	b = binary.LittleEndian.AppendUint16(b, magic)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(r.Payload)))
	b = binary.LittleEndian.AppendUint32(b, r.Seq)
	b = binary.LittleEndian.AppendUint64(b, uint64(r.TimeMS))
	b = append(b, byte(r.Kind))
	b = append(b, r.Payload...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], castagnoli)), nil
}

// decode reads the record at the start of b. It returns the record's size,
// or 0 when b does not start with a complete, valid record.
func decode(b []byte) (Record, int) {
	if len(b) < headerSize+crcSize || binary.LittleEndian.Uint16(b) != magic {
		return Record{}, 0
	}
	n := int(binary.LittleEndian.Uint16(b[2:]))
	size := headerSize + n + crcSize
	if n > MaxPayload || len(b) < size {
		return Record{}, 0
	}
	if crc32.Checksum(b[:headerSize+n], castagnoli) != binary.LittleEndian.Uint32(b[headerSize+n:]) {
		return Record{}, 0
	}
	return Record{
		Seq:     binary.LittleEndian.Uint32(b[4:]),
		TimeMS:  int64(binary.LittleEndian.Uint64(b[8:])),
		Kind:    Kind(b[16]),
		Payload: string(b[headerSize : headerSize+n]),
	}, size
}
