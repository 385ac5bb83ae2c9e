package eventlog

import (
	"errors"
	"fmt"
	"io"
)

// MaxLogSize bounds the log partition (4 MiB of flash, about 60,000 events).
const MaxLogSize = 4 << 20

// Storage is the medium the log lives on: a flash partition on the device,
// a file in the simulator.
type Storage interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
}

// Log appends records to storage.
type Log struct {
	s    Storage
	size int64
	next uint32
}

// ErrFull is returned when the partition has no room for the record.
var ErrFull = errors.New("event log partition is full")

// Open reads the log of size bytes on s. A torn last record is cut off so
// that new records follow the last valid one; every problem found is
// returned so that the caller records the repair in the log itself.
func Open(s Storage, size int64) (*Log, []Record, []Problem, error) {
	if size > MaxLogSize {
		return nil, nil, nil, fmt.Errorf("event log of %d bytes exceeds the %d byte partition", size, MaxLogSize)
	}
	data := make([]byte, size)
	if _, err := s.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, nil, fmt.Errorf("read event log: %w", err)
	}
	recs, problems, end := Scan(data)
	if end < size {
		if err := s.Truncate(end); err != nil {
			return nil, nil, nil, fmt.Errorf("cut torn record from event log: %w", err)
		}
	}
	l := &Log{s: s, size: end, next: 1}
	if len(recs) > 0 {
		l.next = recs[len(recs)-1].Seq + 1
	}
	return l, recs, problems, nil
}

// Append writes one record and returns it with its sequence number.
func (l *Log) Append(timeMS int64, kind Kind, payload string) (Record, error) {
	r := Record{Seq: l.next, TimeMS: timeMS, Kind: kind, Payload: payload}
	b, err := r.encode(nil)
	if err != nil {
		return Record{}, err
	}
	if l.size+int64(len(b)) > MaxLogSize {
		return Record{}, ErrFull
	}
	if _, err := l.s.WriteAt(b, l.size); err != nil {
		return Record{}, fmt.Errorf("write event log: %w", err)
	}
	l.size += int64(len(b))
	l.next++
	return r, nil
}

// Size is the number of bytes of valid records.
func (l *Log) Size() int64 { return l.size }
