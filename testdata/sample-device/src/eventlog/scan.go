package eventlog

import (
	"bytes"
	"fmt"
)

// ProblemKind says what is wrong at a place in the log.
type ProblemKind string

const (
	Corrupt  ProblemKind = "corrupt"   // bytes that are no valid record, followed by valid records
	Gap      ProblemKind = "gap"       // sequence numbers missing between two valid records
	TornTail ProblemKind = "torn-tail" // an incomplete last record: a write cut by power loss
)

// Problem is one defect found while reading the log.
type Problem struct {
	Offset int64
	Kind   ProblemKind
	Detail string
}

func (p Problem) String() string { return fmt.Sprintf("offset %d: %s: %s", p.Offset, p.Kind, p.Detail) }

var magicBytes = []byte{magic & 0xff, magic >> 8}

// Scan reads every valid record of a log image. Bytes that are not a valid
// record are skipped up to the next valid record and reported as a
// problem; end is the offset just after the last valid record.
func Scan(data []byte) (recs []Record, problems []Problem, end int64) {
	off := 0
	for off < len(data) {
		if r, n := decode(data[off:]); n > 0 {
			if len(recs) > 0 {
				if prev := recs[len(recs)-1].Seq; r.Seq != prev+1 {
					problems = append(problems, Problem{int64(off), Gap,
						fmt.Sprintf("record %d follows record %d", r.Seq, prev)})
				}
			}
			recs = append(recs, r)
			off += n
			end = int64(off)
			continue
		}
		next := resync(data, off+1)
		if next < 0 {
			problems = append(problems, Problem{int64(off), TornTail,
				fmt.Sprintf("%d bytes after the last valid record", len(data)-off)})
			break
		}
		problems = append(problems, Problem{int64(off), Corrupt,
			fmt.Sprintf("%d bytes skipped to the next valid record", next-off)})
		off = next
	}
	return recs, problems, end
}

// resync returns the offset of the next valid record at or after from, or
// -1 when none follows.
func resync(data []byte, from int) int {
	for from < len(data) {
		i := bytes.Index(data[from:], magicBytes)
		if i < 0 {
			return -1
		}
		if _, n := decode(data[from+i:]); n > 0 {
			return from + i
		}
		from += i + 1
	}
	return -1
}
