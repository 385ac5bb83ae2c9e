package evidence

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Where a bundle's date comes from.
const (
	DateFromCommit          = "the release commit's date"
	DateFromSourceDateEpoch = "SOURCE_DATE_EPOCH"
)

// ParseSourceDateEpoch reads SOURCE_DATE_EPOCH as the reproducible-builds
// specification defines it: a decimal count of seconds since the Unix
// epoch, UTC. Empty gives the zero time (not set); anything else that is
// not such a number is an error, not a silent fallback to another date.
func ParseSourceDateEpoch(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 253402300799 { // 9999-12-31T23:59:59Z
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds since 1970-01-01 (reproducible-builds.org/specs/source-date-epoch)", s)
	}
	return time.Unix(n, 0).UTC(), nil
}

// zipEpoch is the earliest time a zip entry can carry (MS-DOS dates start
// in 1980); earlier dates are clamped to it.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
