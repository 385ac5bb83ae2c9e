package store

import (
	"context"
	"testing"
	"time"
)

func TestAcceptDeduplicates(t *testing.T) {
	forEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn, Options{})
		first, err := s.Accept(ctx, delivery("d-1"), prJob(1, "abc123"))
		if err != nil {
			t.Fatal(err)
		}
		if !first.New || len(first.Jobs) != 1 || first.Jobs[0].Merged {
			t.Fatalf("first Accept = %+v, want new with one new job", first)
		}
		again, err := s.Accept(ctx, delivery("d-1"), prJob(1, "abc123"))
		if err != nil {
			t.Fatal(err)
		}
		if again.New || len(again.Jobs) != 0 {
			t.Fatalf("second Accept = %+v, want a duplicate with no job", again)
		}
		if n := s.count("deliveries", "id = $1", "d-1"); n != 1 {
			t.Errorf("%d delivery rows, want 1", n)
		}
		if n := s.count("jobs", "1 = 1"); n != 1 {
			t.Errorf("%d job rows, want 1", n)
		}
		jobs, err := s.Claim(ctx, "w1", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || jobs[0].DeliveryID != "d-1" || jobs[0].InstallationID != 7 || string(jobs[0].Args) != `{"pr":1}` {
			t.Fatalf("claimed %+v", jobs)
		}
	})
}
