// Package readers assembles every format reader into the set the loader
// chooses from. It is the one place that knows all formats, so that the
// formats' packages need not know each other.
package readers

import (
	"github.com/tracegate/tracegate/internal/ingest"
	"github.com/tracegate/tracegate/internal/ingest/record"
	"github.com/tracegate/tracegate/internal/ingest/requirement"
	"github.com/tracegate/tracegate/internal/ingest/risk"
	"github.com/tracegate/tracegate/internal/ingest/testreport"
	"github.com/tracegate/tracegate/internal/ingest/testtag"
)

// All returns every reader, each kind in its auto-detection order.
func All() ingest.Set {
	var rs []ingest.Reader
	rs = append(rs, requirement.Readers()...)
	rs = append(rs, risk.Readers()...)
	rs = append(rs, testreport.Readers()...)
	return ingest.Set{Readers: rs, Tags: testtag.Scanner{}, Records: record.Reader{}}
}
