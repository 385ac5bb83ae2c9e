package eventlog

import (
	"fmt"
	"io"
	"reflect"
	"testing"
)

// memStorage is a flash partition in memory.
type memStorage struct{ b []byte }

func (m *memStorage) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m.b)) {
		return 0, io.EOF
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *memStorage) WriteAt(p []byte, off int64) (int, error) {
	if end := off + int64(len(p)); end > int64(len(m.b)) {
		m.b = append(m.b, make([]byte, end-int64(len(m.b)))...)
	}
	return copy(m.b[off:], p), nil
}

func (m *memStorage) Truncate(size int64) error { m.b = m.b[:size]; return nil }

// sampleLog writes n events and returns the storage and the records.
func sampleLog(t *testing.T, n int) (*memStorage, []Record) {
	t.Helper()
	s := &memStorage{}
	l, _, _, err := Open(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for i := 0; i < n; i++ {
		r, err := l.Append(1_700_000_000_000+int64(i)*1000, KindAlarm, fmt.Sprintf("raised occlusion high #%d", i))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return s, recs
}

// Verifies: SRS-060
func TestAppendScan(t *testing.T) {
	s, want := sampleLog(t, 5)
	got, problems, end := Scan(s.b)
	if !reflect.DeepEqual(got, want) || len(problems) != 0 || end != int64(len(s.b)) {
		t.Fatalf("Scan = %v, %v, %d; want the 5 records written, no problems", got, problems, end)
	}
	// Every single-bit error anywhere in a record is detected.
	one, _ := sampleLog(t, 1)
	for i := range one.b {
		for bit := 0; bit < 8; bit++ {
			b := append([]byte(nil), one.b...)
			b[i] ^= 1 << bit
			if recs, _, _ := Scan(b); len(recs) != 0 {
				t.Fatalf("bit %d of byte %d flipped: record still accepted", bit, i)
			}
		}
	}
}

// Verifies: SRS-061, SRS-062
func TestScanResync(t *testing.T) {
	s, want := sampleLog(t, 3)
	second := int64(len(s.b) / 3) // records of equal length
	s.b[second+20] ^= 0xff        // a flash cell in the second record's payload
	got, problems, _ := Scan(s.b)
	if !reflect.DeepEqual(got, []Record{want[0], want[2]}) {
		t.Errorf("records %v, want the first and the third", got)
	}
	wantProblems := []Problem{
		{second, Corrupt, fmt.Sprintf("%d bytes skipped to the next valid record", second)},
		{2 * second, Gap, "record 3 follows record 1"},
	}
	if !reflect.DeepEqual(problems, wantProblems) {
		t.Errorf("problems\n%v\nwant\n%v", problems, wantProblems)
	}
}

// Verifies: SRS-064
func TestOpenRecoversTornWrite(t *testing.T) {
	full, want := sampleLog(t, 3)
	last := int64(len(full.b)) * 2 / 3
	// Power lost at every point of writing the third record.
	for cut := last + 1; cut < int64(len(full.b)); cut++ {
		s := &memStorage{b: append([]byte(nil), full.b[:cut]...)}
		l, recs, problems, err := Open(s, cut)
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if !reflect.DeepEqual(recs, want[:2]) {
			t.Fatalf("cut at %d: recovered %v, want the first two records", cut, recs)
		}
		if len(problems) != 1 || problems[0].Kind != TornTail || problems[0].Offset != last {
			t.Fatalf("cut at %d: problems %v, want one torn tail at %d", cut, problems, last)
		}
		if int64(len(s.b)) != last {
			t.Fatalf("cut at %d: storage is %d bytes, want it cut back to %d", cut, len(s.b), last)
		}
		r, err := l.Append(0, KindRecovered, problems[0].String())
		if err != nil || r.Seq != 3 {
			t.Fatalf("cut at %d: append after recovery = %v, %v; want sequence 3", cut, r, err)
		}
		if recs, problems, _ := Scan(s.b); len(recs) != 3 || len(problems) != 0 {
			t.Fatalf("cut at %d: after recovery the log reads %d records, problems %v", cut, len(recs), problems)
		}
	}
}

func TestAppendLimits(t *testing.T) {
	s := &memStorage{}
	l, _, _, _ := Open(s, 0)
	if _, err := l.Append(0, KindStop, string(make([]byte, MaxPayload+1))); err != ErrPayloadTooLarge {
		t.Errorf("oversized payload: %v, want ErrPayloadTooLarge", err)
	}
	if _, _, _, err := Open(s, MaxLogSize+1); err == nil {
		t.Error("a log larger than its partition was opened")
	}
}
